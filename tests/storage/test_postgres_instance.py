"""An instance on PostgreSQL, configured in headwater.yaml; schema checks; secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, make_url, text

from headwater import Instance, InvalidConfigError, StorageError
from headwater.cli.main import cli
from headwater.instance.config import load_instance_config
from headwater.storage.migrations import REVISIONS, upgrade
from headwater.storage.postgres import PostgresStorage
from headwater.storage.revisions import HEAD_REVISION
from headwater.testing.storage_suite import make_run, materialization

pytestmark = pytest.mark.postgres


def _home(tmp_path: Path, storage_yaml: str) -> Path:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "headwater.yaml").write_text(storage_yaml, encoding="utf-8")
    return home


def _url_with_password(url: str) -> str:
    # trust auth accepts any password: one that must never appear in output
    return make_url(url).set(password="hunter2-secret").render_as_string(hide_password=False)


def test_an_instance_configured_for_postgres_stores_runs_there(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HW_PG_URL", _url_with_password(postgres_url))
    home = _home(tmp_path, "storage:\n  postgres:\n    url: {env: HW_PG_URL}\n    pool_size: 2\n")
    with Instance.from_path(home) as instance:
        assert isinstance(instance.storage, PostgresStorage)
        instance.add_run(make_run("r1"))
        instance.store_events([materialization("r1", "orders")])
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT run_id FROM runs")).scalars().all() == ["r1"]
        assert conn.execute(text("SELECT count(*) FROM event_logs")).scalar_one() == 1
    engine.dispose()
    with Instance.from_path(home) as again:  # a second process sees the same history
        assert [r.run_id for r in again.get_runs()] == ["r1"]


def test_postgres_may_be_configured_by_parts_each_from_the_environment(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(postgres_url)
    monkeypatch.setenv("HW_PG_PASSWORD", "hunter2-secret")
    monkeypatch.setenv("HW_PG_DB", str(url.database))
    home = _home(
        tmp_path,
        "storage:\n  postgres:\n"
        f"    host: {url.host}\n    port: {url.port}\n    username: {url.username}\n"
        "    password: {env: HW_PG_PASSWORD}\n    db_name: {env: HW_PG_DB}\n",
    )
    config = load_instance_config(home)
    assert config.postgres is not None
    assert "hunter2-secret" not in repr(config) and "hunter2-secret" not in str(config)
    assert "***" in config.postgres.display_url
    with Instance.from_path(home) as instance:
        instance.add_run(make_run("r1"))
        assert instance.get_runs_count() == 1


def test_an_unset_secret_variable_is_named_without_a_value(tmp_path: Path) -> None:
    home = _home(tmp_path, "storage:\n  postgres:\n    url: {env: HW_PG_MISSING}\n")
    with pytest.raises(InvalidConfigError, match="HW_PG_MISSING is not set"):
        load_instance_config(home)


def test_a_url_that_does_not_connect_is_one_line_naming_host_and_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HW_PG_URL", "postgresql://app:hunter2-secret@127.0.0.1:1/flights")
    home = _home(tmp_path, "storage:\n  postgres:\n    url: {env: HW_PG_URL}\n")
    result = CliRunner().invoke(cli, ["--home", str(home), "run", "list"])
    assert result.exit_code == 2
    message = result.output.strip()
    assert len(message.splitlines()) == 1, message
    assert "127.0.0.1:1" in message and "'flights'" in message
    assert "hunter2-secret" not in message


def test_a_schema_behind_is_refused_until_instance_migrate(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = REVISIONS[-2]
    engine = create_engine(postgres_url)
    upgrade(engine, old)
    engine.dispose()
    monkeypatch.setenv("HW_PG_URL", postgres_url)
    home = _home(tmp_path, "storage:\n  postgres:\n    url: {env: HW_PG_URL}\n")
    with pytest.raises(StorageError, match="headwater instance migrate") as info:
        Instance.from_path(home)
    assert old in str(info.value) and HEAD_REVISION in str(info.value)

    shown = CliRunner().invoke(cli, ["--home", str(home), "instance", "info"])
    assert shown.exit_code == 0, shown.output
    assert f"{old}, this headwater needs {HEAD_REVISION}" in shown.output

    migrated = CliRunner().invoke(cli, ["--home", str(home), "instance", "migrate"])
    assert migrated.exit_code == 0, migrated.output
    assert f"upgraded from {old} to {HEAD_REVISION}" in migrated.output
    with Instance.from_path(home) as instance:
        assert instance.get_runs_count() == 0
    again = CliRunner().invoke(cli, ["--home", str(home), "instance", "migrate"])
    assert "already at" in again.output


def test_a_schema_from_a_newer_headwater_is_refused_naming_both_revisions(
    postgres_url: str,
) -> None:
    PostgresStorage.from_url(postgres_url).dispose()
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    with pytest.raises(StorageError) as info:
        PostgresStorage.from_url(postgres_url)
    assert "9999_from_the_future" in str(info.value) and HEAD_REVISION in str(info.value)


def test_instance_info_shows_kind_revision_rows_and_size_without_the_password(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HW_PG_URL", _url_with_password(postgres_url))
    home = _home(tmp_path, "storage:\n  postgres:\n    url: {env: HW_PG_URL}\n")
    with Instance.from_path(home) as instance:
        instance.add_run(make_run("r1"))
    result = CliRunner().invoke(cli, ["--home", str(home), "instance", "info", "--json"])
    assert result.exit_code == 0, result.output
    assert "hunter2-secret" not in result.output
    import json

    data = json.loads(result.output)
    assert data["kind"] == "postgres"
    assert data["revision"] == HEAD_REVISION
    assert data["row_counts"]["runs"] == 1
    assert data["size_bytes"] > 0


def test_a_launched_run_worker_process_writes_to_postgres_and_show_follow_reads_it(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import subprocess
    import sys

    home = _home(tmp_path, "storage:\n  postgres:\n    url: {env: HW_PG_URL}\n")
    (tmp_path / "defs.py").write_text(
        "import headwater as hw\n\n"
        "@hw.asset\ndef orders() -> int:\n    return 3\n\n"
        "@hw.asset\ndef revenue(orders: int) -> int:\n    return orders * 2\n\n"
        "defs = hw.Definitions(assets=[orders, revenue], "
        "jobs=[hw.define_asset_job('daily', selection='*')])\n"
    )
    monkeypatch.setenv("HW_PG_URL", postgres_url)
    env = {**os.environ, "HEADWATER_HOME": str(home)}
    cli_cmd = [sys.executable, "-m", "headwater"]
    launched = subprocess.run(
        [*cli_cmd, "job", "launch", "-f", "defs.py", "--job", "daily", "--now"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert launched.returncode == 0, launched.stderr
    with Instance.from_path(home) as instance:
        (run,) = instance.get_runs()
    followed = subprocess.run(
        [*cli_cmd, "run", "show", run.run_id, "--follow", "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert followed.returncode == 0, followed.stderr
    assert '"event_type": "RUN_SUCCESS"' in followed.stdout
    with Instance.from_path(home) as instance:
        assert instance.get_run_by_id(run.run_id).status.value == "SUCCESS"  # type: ignore[union-attr]
        materialized = instance.storage.get_latest_materialization_records([hw_key("revenue")])
        assert list(materialized) == [hw_key("revenue")]


def hw_key(name: str):  # type: ignore[no-untyped-def]
    from headwater import AssetKey

    return AssetKey(name)


def test_a_forked_child_opens_connections_of_its_own(postgres_url: str) -> None:
    import os

    def backend_pid() -> int:
        with storage.engine.connect() as conn:
            return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())

    storage = PostgresStorage.from_url(postgres_url, pool_size=1)
    try:
        storage.add_run(make_run("parent"))
        parent_backend = backend_pid()
        pid = os.fork()
        if pid == 0:  # the child: uses the storage it inherited, then leaves at once
            code = 1
            try:
                storage.add_run(make_run("child"))
                storage.store_events([materialization("child", "orders")])
                own = backend_pid() != parent_backend
                code = 0 if own and storage.get_runs_count() == 2 else 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        # The parent's pooled connection still works after the child used "it".
        storage.store_events([materialization("parent", "orders")])
        assert backend_pid() == parent_backend
        assert {r.run_id for r in storage.get_runs()} == {"parent", "child"}
    finally:
        storage.dispose()
