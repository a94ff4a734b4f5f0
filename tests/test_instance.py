"""The Instance: opening from HEADWATER_HOME and headwater.yaml, and its query surface."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater import (
    AssetKey,
    AssetMaterialization,
    AssetObservation,
    AssetRecordsFilter,
    EventRecordsFilter,
    EventType,
    Instance,
    InvalidConfigError,
    RunNotFoundError,
    RunsFilter,
    RunStatus,
    StorageError,
)
from headwater.testing.storage_suite import make_event, materialization, observation

ORDERS = AssetKey(["shop", "orders"])


@pytest.fixture
def ephemeral() -> Iterator[Instance]:
    with Instance.ephemeral() as instance:
        yield instance


def _write_config(home: Path, text: str) -> None:
    (home / "headwater.yaml").write_text(text, encoding="utf-8")


# -- opening -----------------------------------------------------------------------------
def test_get_opens_sqlite_history_in_headwater_home(headwater_home: Path) -> None:
    with Instance.get() as instance:
        assert instance.root_directory == headwater_home
        assert instance.storage_directory == headwater_home / "storage"
        assert instance.logs_directory == headwater_home / "logs"
        assert not instance.is_ephemeral
        run = instance.create_run(job_name="etl")
    assert (headwater_home / "history.db").is_file()
    with Instance.get() as reopened:
        assert reopened.get_run_by_id(run.run_id) == run


def test_get_defaults_to_dot_headwater_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HEADWATER_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    with Instance.get() as instance:
        assert instance.root_directory == tmp_path / ".headwater"
    assert (tmp_path / ".headwater" / "history.db").is_file()


def test_yaml_sqlite_base_dir_moves_the_database(headwater_home: Path, tmp_path: Path) -> None:
    _write_config(headwater_home, "storage:\n  sqlite:\n    base_dir: db\n")
    with Instance.get():
        pass
    assert (headwater_home / "db" / "history.db").is_file()
    elsewhere = tmp_path / "elsewhere"
    _write_config(headwater_home, f"storage:\n  sqlite:\n    base_dir: {elsewhere}\n")
    with Instance.from_path(headwater_home):
        pass
    assert (elsewhere / "history.db").is_file()


@pytest.mark.parametrize("text", ["", "storage:\n", "storage:\n  sqlite:\n"])
def test_empty_config_sections_mean_the_defaults(headwater_home: Path, text: str) -> None:
    _write_config(headwater_home, text)
    with Instance.get():
        pass
    assert (headwater_home / "history.db").is_file()


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("storage: {}\nrun_launchr: {}\n", "run_launchr"),
        ("storage:\n  sqlite:\n    base_dri: x\n", "storage.sqlite.base_dri"),
        ("storage:\n  mysql: {}\n", "storage.mysql"),
    ],
)
def test_unknown_config_keys_are_named(headwater_home: Path, text: str, path: str) -> None:
    _write_config(headwater_home, text)
    with pytest.raises(InvalidConfigError, match="Unknown key") as info:
        Instance.get()
    assert [where for where, _ in info.value.errors] == [path]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("storage:\n  postgres:\n    url: mysql://x/db\n", "expected a postgresql:// URL"),
        ("retention:\n  runs: {purge_after_days: 0}\n", "at least 1 day"),
        ("storage:\n  sqlite:\n    base_dir: 3\n", "expected a path string"),
        ("storage:\n  sqlite: [a]\n", "expected a mapping"),
        ("- just\n- a list\n", "expected a mapping"),
        ("storage: [unclosed\n", "not valid YAML"),
    ],
)
def test_invalid_config_says_what_is_wrong(headwater_home: Path, text: str, message: str) -> None:
    _write_config(headwater_home, text)
    with pytest.raises(InvalidConfigError) as info:
        Instance.get()
    assert message in str(info.value)


def test_ephemeral_instance_removes_its_directory_on_dispose() -> None:
    instance = Instance.ephemeral()
    root = instance.root_directory
    assert root.is_dir() and instance.is_ephemeral
    instance.create_run(job_name="etl")
    instance.dispose()
    assert not root.exists()


def test_importing_the_instance_module_does_not_import_sqlalchemy() -> None:
    code = "import sys, headwater.instance.instance; print('sqlalchemy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# -- runs --------------------------------------------------------------------------------
def test_create_run_stores_a_new_run(ephemeral: Instance) -> None:
    run = ephemeral.create_run(
        job_name="etl",
        run_config={"ops": {}},
        tags={"team": "data"},
        asset_selection=[ORDERS],
    )
    assert len(run.run_id) == 36 and run.status is RunStatus.NOT_STARTED
    assert run.asset_selection == frozenset({ORDERS})
    assert ephemeral.get_run_by_id(run.run_id) == run
    queued = ephemeral.create_run(job_name="etl", run_id="q", status=RunStatus.QUEUED)
    assert ephemeral.get_runs(RunsFilter(statuses=[RunStatus.QUEUED])) == [queued]
    with pytest.raises(StorageError, match="already exists"):
        ephemeral.create_run(job_name="etl", run_id="q")


def test_runs_are_queried_filtered_and_counted(ephemeral: Instance) -> None:
    for run_id, job in (("a", "etl"), ("b", "report"), ("c", "etl")):
        ephemeral.create_run(job_name=job, run_id=run_id, tags={"job": job})
    assert ephemeral.get_run_ids() == ["c", "b", "a"]
    assert ephemeral.get_run_ids(RunsFilter(job_name="etl"), limit=1) == ["c"]
    assert ephemeral.get_run_ids(cursor="b") == ["a"]
    assert ephemeral.get_runs_count(RunsFilter(tags={"job": "etl"})) == 2
    ephemeral.store_event(make_event("a", EventType.RUN_START, timestamp=5.0))
    ephemeral.store_event(make_event("b", EventType.RUN_START, timestamp=9.0))
    records = ephemeral.get_run_records(order_by="start_time", limit=2)
    assert [r.run.run_id for r in records] == ["b", "a"]
    assert [r.run.status for r in records] == [RunStatus.STARTED, RunStatus.STARTED]


def test_run_tags_and_deletion(ephemeral: Instance) -> None:
    run = ephemeral.create_run(job_name="etl", tags={"a": "1"})
    ephemeral.add_run_tags(run.run_id, {"b": "2"})
    stored = ephemeral.get_run_by_id(run.run_id)
    assert stored is not None and dict(stored.tags) == {"a": "1", "b": "2"}
    with pytest.raises(RunNotFoundError):
        ephemeral.add_run_tags("missing", {"b": "2"})
    ephemeral.store_event(make_event(run.run_id, EventType.RUN_START))
    ephemeral.delete_run(run.run_id)
    assert ephemeral.get_run_by_id(run.run_id) is None
    assert ephemeral.all_logs(run.run_id) == []


# -- events ------------------------------------------------------------------------------
def test_all_logs_and_records_for_run_page_in_order(ephemeral: Instance) -> None:
    kinds = [EventType.RUN_START, EventType.STEP_START, EventType.STEP_SUCCESS]
    ids = ephemeral.store_events([make_event("r", k) for k in kinds])
    assert [e.event_type for e in ephemeral.all_logs("r")] == kinds
    assert [e.event_type for e in ephemeral.all_logs("r", of_type=EventType.STEP_START)] == [
        EventType.STEP_START
    ]
    page = ephemeral.get_records_for_run("r", limit=2)
    assert [r.storage_id for r in page.records] == ids[:2] and page.has_more
    rest = ephemeral.get_records_for_run("r", cursor=page.cursor, limit=2)
    assert [r.storage_id for r in rest.records] == ids[2:] and not rest.has_more
    done = ephemeral.get_records_for_run("r", cursor=rest.cursor)
    assert done.records == [] and done.cursor == rest.cursor


def test_event_records_filter(ephemeral: Instance) -> None:
    ids = ephemeral.store_events([materialization("r", ORDERS), materialization("r", "x")])
    records_filter = EventRecordsFilter(event_type=EventType.ASSET_MATERIALIZATION)
    found = ephemeral.get_event_records(records_filter, ascending=True)
    assert [r.storage_id for r in found] == ids


# -- assets ------------------------------------------------------------------------------
def test_latest_materialization_events(ephemeral: Instance) -> None:
    ephemeral.store_events([materialization("r1", ORDERS, rows=1)])
    ephemeral.store_events([materialization("r2", ORDERS, rows=2)])
    latest = ephemeral.get_latest_materialization_event(ORDERS)
    assert latest is not None and latest.run_id == "r2"
    assert ephemeral.get_latest_materialization_event(AssetKey("missing")) is None
    events = ephemeral.get_latest_materialization_events([ORDERS, AssetKey("missing")])
    assert events[AssetKey("missing")] is None
    event = events[ORDERS]
    assert event is not None and event.run_id == "r2"


def test_fetch_materializations_and_observations(ephemeral: Instance) -> None:
    ids = ephemeral.store_events(
        [
            materialization("r", ORDERS, partition="p1"),
            materialization("r", ORDERS, partition="p2"),
            observation("r", ORDERS),
        ]
    )
    result = ephemeral.fetch_materializations(ORDERS, limit=1)
    assert [r.storage_id for r in result.records] == [ids[1]] and result.has_more
    nxt = ephemeral.fetch_materializations(ORDERS, limit=1, cursor=result.cursor)
    assert [r.storage_id for r in nxt.records] == [ids[0]] and not nxt.has_more
    by_partition = AssetRecordsFilter(asset_key=ORDERS, asset_partitions=["p2"])
    assert [r.storage_id for r in ephemeral.fetch_materializations(by_partition, 10).records] == [
        ids[1]
    ]
    observed = ephemeral.fetch_observations(ORDERS, limit=10)
    assert [r.storage_id for r in observed.records] == [ids[2]]


def test_report_runless_asset_events(ephemeral: Instance) -> None:
    ephemeral.report_runless_asset_event(
        AssetMaterialization("shop/orders", metadata={"rows": 10}, partition="2024-01-01")
    )
    ephemeral.report_runless_asset_event(AssetObservation(ORDERS, metadata={"size": 3}))
    event = ephemeral.get_latest_materialization_event(ORDERS)
    assert event is not None and event.run_id == ""
    mat = event.asset_materialization
    assert mat is not None and mat.metadata["rows"].value == 10 and mat.partition == "2024-01-01"
    assert ephemeral.get_materialized_partitions(ORDERS) == {"2024-01-01"}
    (record,) = ephemeral.get_asset_records([ORDERS])
    assert record.last_observation_record is not None
    obs = record.last_observation_record.event_log_entry.asset_observation
    assert obs is not None and obs.metadata["size"].value == 3
    assert record.last_run_id is None


def test_partitions_status_is_the_deprecated_name_of_the_partitions_summary(
    ephemeral: Instance,
) -> None:
    from headwater import StaticPartitionsDefinition

    ephemeral.report_runless_asset_event(AssetMaterialization("shop/orders", partition="eu"))
    regions = StaticPartitionsDefinition(["eu", "us"])
    with pytest.warns(DeprecationWarning, match="renamed get_asset_partitions_summary"):
        old = ephemeral.get_asset_partitions_status(ORDERS, regions)
    assert old == ephemeral.get_asset_partitions_summary(ORDERS, regions)
    assert (old.materialized, old.missing) == (["eu"], ["us"])


def test_asset_keys_records_and_wipes(ephemeral: Instance) -> None:
    users = AssetKey(["shop", "users"])
    ephemeral.store_events([materialization("r", ORDERS), materialization("r", users)])
    assert ephemeral.get_asset_keys() == [ORDERS, users]
    assert ephemeral.get_asset_keys(prefix=["shop"], limit=1) == [ORDERS]
    assert ephemeral.has_asset_key(ORDERS)
    assert [r.asset_key for r in ephemeral.get_asset_records()] == [ORDERS, users]
    ephemeral.wipe_assets([ORDERS])
    assert not ephemeral.has_asset_key(ORDERS) and ephemeral.has_asset_key(users)
    ephemeral.create_run(job_name="etl")
    ephemeral.wipe()
    assert ephemeral.get_asset_keys() == [] and ephemeral.get_runs() == []


def test_latest_data_version_record_is_the_materialization_else_the_observation() -> None:
    from headwater import DataVersion, asset, materialize, observable_source_asset, observe

    @observable_source_asset
    def feed() -> DataVersion:
        return DataVersion("v7")

    @asset
    def table() -> int:
        return 1

    with Instance.ephemeral() as instance:
        assert instance.get_latest_data_version_record(feed.key) is None
        observe([feed], instance=instance)
        materialize([table], instance=instance)
        observed = instance.get_latest_data_version_record(feed.key)
        not_made = instance.get_latest_data_version_record(feed.key, is_source=False)
        made = instance.get_latest_data_version_record(table.key, is_source=False)
        not_observed = instance.get_latest_data_version_record(table.key, is_source=True)

    assert observed is not None and observed.event_log_entry.data["data_version"] == "v7"
    assert not_made is None and not_observed is None
    assert made is not None and made.event_log_entry.asset_materialization is not None
