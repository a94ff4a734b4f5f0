"""reconstructable(): jobs that other processes load again, by module or file and attribute."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path
from typing import Any

import executor_jobs as jobs
import pytest

import headwater as hw
from headwater.execution.executors.reconstructable import OriginJobLoader, ReconstructableJob


def test_a_function_is_found_again_by_module_and_name_after_pickling() -> None:
    recon = hw.reconstructable(jobs.chain_job)
    assert (recon.module, recon.attribute) == ("executor_jobs", "chain_job")
    assert recon.python_file is not None and recon.python_file.endswith("executor_jobs.py")

    again = pickle.loads(pickle.dumps(recon))
    assert again == recon
    assert again.get_definition().name == "chain"


def test_a_module_level_job_is_found_by_its_attribute_and_returned_as_it_is() -> None:
    recon = hw.reconstructable(jobs.dynamic_job)
    assert recon.attribute == "dynamic_job"
    assert recon.get_definition() is jobs.dynamic_job
    assert pickle.loads(pickle.dumps(recon)).get_definition() is jobs.dynamic_job


def test_a_file_is_loaded_when_its_module_cannot_be_imported(tmp_path: Path) -> None:
    source = tmp_path / "nightly_defs.py"
    source.write_text(textwrap.dedent('''
        import headwater as hw

        @hw.asset
        def answer() -> int:
            return 42

        defs = hw.Definitions(assets=[answer], jobs=[hw.define_asset_job("nightly")])
    '''))
    recon = ReconstructableJob(module="not_importable_here", python_file=str(source),
                               attribute="defs", job_name="nightly")  # fmt: skip
    job = recon.get_definition()
    assert job.name == "nightly"
    assert job.execute_in_process().output_for_node("answer") == 42


def test_what_cannot_be_reconstructed_is_refused_with_the_reason() -> None:
    with pytest.raises(hw.InvalidInvocationError, match="lambda"):
        hw.reconstructable(lambda: jobs.chain_job())

    def nested() -> Any:
        return jobs.chain_job()

    with pytest.raises(hw.InvalidInvocationError, match="inside another function"):
        hw.reconstructable(nested)
    with pytest.raises(hw.InvalidInvocationError, match="takes a job or a function"):
        hw.reconstructable("chain")
    with pytest.raises(hw.InvalidInvocationError, match="not a module-level attribute"):
        hw.reconstructable(jobs.chain_job())  # a job of assets made on the fly


def test_a_missing_attribute_or_a_non_job_is_an_error() -> None:
    with pytest.raises(hw.InvalidInvocationError, match="no attribute 'nope'"):
        ReconstructableJob(module="executor_jobs", attribute="nope").get_definition()
    with pytest.raises(hw.InvalidInvocationError, match="is not a job"):
        ReconstructableJob(module="executor_jobs", attribute="SLEEP_SECONDS").get_definition()


def test_an_origin_loader_takes_the_job_from_loaded_definitions() -> None:
    loader = OriginJobLoader(load_definitions=_definitions_of, origin="ignored", job_name="fan")
    assert pickle.loads(pickle.dumps(loader))().name == "fan"


def _definitions_of(origin: str) -> Any:
    return jobs.defs
