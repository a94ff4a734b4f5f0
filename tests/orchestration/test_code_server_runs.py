"""``POST /runs`` of a real code server: the run a schedule or sensor requested, created once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from code_server_helpers import running_code_server

from headwater import Instance, RunRequest
from headwater.errors import DefinitionError
from headwater.storage.records import RunStatus

DEFS = textwrap.dedent(
    """
    from headwater import Config, Definitions, asset, define_asset_job

    class Settings(Config):
        rows: int = 1

    @asset
    def one(config: Settings) -> int:
        return config.rows

    @asset
    def two() -> int:
        return 2

    defs = Definitions(assets=[one, two],
                       jobs=[define_asset_job("one_job", selection=[one])])
    """
)


def test_a_requested_run_is_created_queued_and_only_once(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(DEFS, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    with running_code_server("-f", "defs.py", cwd=tmp_path) as (client, _process, _log), \
            Instance.from_path(home) as instance:  # fmt: skip
        request = RunRequest(run_config={"ops": {"one": {"config": {"rows": 3}}}},
                             tags={"source": "inbox"})  # fmt: skip
        first = client.create_run(request, job_name="one_job", run_id="r-1", instance_home=home)
        assert first == {"run_id": "r-1", "status": "QUEUED", "created": True}
        again = client.create_run(request, job_name="one_job", run_id="r-1", instance_home=home)
        assert again["created"] is False
        run = instance.get_run_by_id("r-1")
        assert run is not None and run.status is RunStatus.QUEUED
        assert run.tags["source"] == "inbox" and run.job_origin is not None
        assert run.job_origin.location.location_name == "defs"
        assert instance.get_runs_count() == 1

        selected = client.create_run(RunRequest(asset_selection=["two"]), job_name="__ASSET_JOB",
                                     run_id="r-2", instance_home=home)  # fmt: skip
        assert selected["created"] is True
        run = instance.get_run_by_id("r-2")
        assert run is not None and {k.to_user_string() for k in run.asset_selection or ()} == {
            "two"
        }

        with pytest.raises(DefinitionError, match="No job named 'nope'"):
            client.create_run(request, job_name="nope", run_id="r-3", instance_home=home)
        bad = RunRequest(run_config={"ops": {"one": {"config": {"rows": "many"}}}})
        with pytest.raises(DefinitionError, match=r"(?s)Run config is invalid.*rows"):
            client.create_run(bad, job_name="one_job", run_id="r-4", instance_home=home)
        assert instance.get_run_by_id("r-3") is None and instance.get_run_by_id("r-4") is None
