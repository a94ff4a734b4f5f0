"""Conformance tests of the asset index (mixed into :class:`StorageConformanceSuite`)."""

from __future__ import annotations

from headwater.events.types import EventType
from headwater.keys import AssetKey
from headwater.storage.base import Storage
from headwater.testing._storage_helpers import make_event, make_run, materialization, observation

ORDERS = AssetKey(["shop", "orders"])
USERS = AssetKey(["shop", "users"])


def _rows(storage: Storage, key: AssetKey) -> int:
    record = storage.get_latest_materialization_records([key])[key]
    mat = record.asset_materialization
    assert mat is not None
    return int(mat.metadata["rows"].value)


class AssetIndexTests:
    """The asset index: latest events per asset and partition, keys, wipes."""

    def test_latest_materialization_is_the_newest_per_key(self, storage: Storage) -> None:
        storage.store_events([materialization("r1", ORDERS, rows=1), materialization("r1", USERS)])
        ids = storage.store_events(
            [materialization("r2", ORDERS, rows=2), materialization("r2", ORDERS, rows=3)]
        )
        latest = storage.get_latest_materialization_records([ORDERS, USERS, AssetKey("nope")])
        assert set(latest) == {ORDERS, USERS}
        assert latest[ORDERS].storage_id == ids[1]
        assert latest[ORDERS].event_log_entry.run_id == "r2"
        assert _rows(storage, ORDERS) == 3
        assert set(storage.get_latest_materialization_records()) == {ORDERS, USERS}

    def test_latest_materialization_of_thousands_of_keys(self, storage: Storage) -> None:
        keys = [AssetKey(["wh", f"t{i}"]) for i in range(1500)]
        storage.store_events([materialization("r", key, rows=i) for i, key in enumerate(keys)])
        storage.store_events([materialization("r", keys[7], rows=-1)])
        wanted = [*keys[:1200], AssetKey("unknown")]
        latest = storage.get_latest_materialization_records(wanted)
        assert set(latest) == set(keys[:1200])
        assert all(latest[k].asset_key == k for k in keys[:1200])
        assert _rows(storage, keys[7]) == -1 and _rows(storage, keys[1199]) == 1199
        assert len(storage.get_latest_materialization_records()) == 1500

    def test_asset_records_hold_latest_materialization_and_observation(
        self, storage: Storage
    ) -> None:
        (planned,) = storage.store_events(
            [make_event("r1", EventType.ASSET_MATERIALIZATION_PLANNED, asset_key=ORDERS)]
        )
        (record,) = storage.get_asset_records([ORDERS])
        assert record.last_materialization_record is None and record.last_run_id == "r1"
        mat_id, obs_id = storage.store_events(
            [materialization("r1", ORDERS), observation("r1", ORDERS)]
        )
        storage.store_events([make_event("r2", EventType.STEP_FAILURE, asset_key=ORDERS)])
        (record,) = storage.get_asset_records([ORDERS])
        assert record.asset_key == ORDERS
        assert record.last_materialization_record is not None
        assert record.last_materialization_record.storage_id == mat_id
        assert record.last_observation_record is not None
        assert record.last_observation_record.storage_id == obs_id
        assert (record.last_run_id, record.last_failed_run_id) == ("r1", "r2")
        assert planned < mat_id

    def test_observations_are_not_materializations(self, storage: Storage) -> None:
        storage.store_events([observation("r", ORDERS, partition="p1")])
        assert storage.get_latest_materialization_records([ORDERS]) == {}
        assert storage.get_materialized_partitions(ORDERS) == set()
        assert storage.get_asset_keys() == [ORDERS]

    def test_runless_events_keep_the_last_run(self, storage: Storage) -> None:
        storage.store_events([materialization("r1", ORDERS)])
        storage.store_events([materialization("", ORDERS, rows=9)])
        (record,) = storage.get_asset_records([ORDERS])
        assert record.last_run_id == "r1"
        assert _rows(storage, ORDERS) == 9

    def test_step_failure_of_an_unknown_asset_does_not_make_it_known(
        self, storage: Storage
    ) -> None:
        storage.store_events([make_event("r", EventType.STEP_FAILURE, asset_key=ORDERS)])
        assert storage.get_asset_keys() == []

    def test_asset_keys_are_sorted_and_page_by_prefix_and_cursor(self, storage: Storage) -> None:
        keys = [AssetKey(p) for p in (["a", "b"], ["a", "bc"], ["a", "b", "c"], ["z"], ["a"])]
        storage.store_events([materialization("r", key) for key in keys])
        strings = [k.to_user_string() for k in storage.get_asset_keys()]
        assert strings == ["a", "a/b", "a/b/c", "a/bc", "z"]
        under_ab = storage.get_asset_keys(prefix=["a", "b"])
        assert under_ab == [AssetKey(["a", "b"]), AssetKey(["a", "b", "c"])]
        page = storage.get_asset_keys(limit=2, cursor="a/b")
        assert page == [AssetKey(["a", "b", "c"]), AssetKey(["a", "bc"])]

    def test_partitions_index_tracks_latest_per_partition(self, storage: Storage) -> None:
        ids = storage.store_events(
            [
                materialization("r1", ORDERS, partition="2024-01-01", rows=1),
                materialization("r1", ORDERS, partition="2024-01-02", rows=2),
                materialization("r2", ORDERS, partition="2024-01-01", rows=3),
                materialization("r2", USERS, partition="2024-01-03"),
            ]
        )
        assert storage.get_materialized_partitions(ORDERS) == {"2024-01-01", "2024-01-02"}
        latest = storage.get_latest_materialization_records_by_partition(ORDERS)
        assert {p: r.storage_id for p, r in latest.items()} == {
            "2024-01-01": ids[2],
            "2024-01-02": ids[1],
        }
        assert latest["2024-01-01"].event_log_entry.run_id == "r2"
        assert storage.get_latest_materialization_records_by_partition(AssetKey("x")) == {}

    def test_partition_statuses_follow_plans_runs_and_materializations(
        self, storage: Storage
    ) -> None:
        done = storage.add_run(make_run())
        failed = storage.add_run(make_run())
        running = storage.add_run(make_run())
        planned = EventType.ASSET_MATERIALIZATION_PLANNED
        storage.store_events(
            [
                make_event(done.run_id, planned, asset_key=ORDERS, partition="a"),
                materialization(done.run_id, ORDERS, partition="a"),
                make_event(done.run_id, EventType.RUN_SUCCESS),
                make_event(done.run_id, planned, asset_key=ORDERS, partition="b"),
                materialization(done.run_id, ORDERS, partition="b"),
                make_event(failed.run_id, planned, asset_key=ORDERS, partition="b"),
                make_event(failed.run_id, planned, asset_key=ORDERS, partition="c"),
                make_event(failed.run_id, EventType.RUN_FAILURE),
                make_event(running.run_id, EventType.RUN_START),
                make_event(running.run_id, planned, asset_key=ORDERS, partition="d"),
            ]
        )
        statuses = storage.get_asset_partition_statuses(ORDERS)
        assert {k: v.value for k, v in statuses.items()} == {
            "a": "MATERIALIZED",
            "b": "FAILED",  # materialized once, but its latest run did not
            "c": "FAILED",
            "d": "IN_PROGRESS",
        }
        storage.store_events([materialization(running.run_id, ORDERS, partition="d")])
        assert storage.get_asset_partition_statuses(ORDERS)["d"].value == "MATERIALIZED"
        assert storage.get_asset_partition_statuses(USERS) == {}

    def test_wipe_asset_forgets_its_history_until_materialized_again(
        self, storage: Storage
    ) -> None:
        storage.store_events(
            [
                make_event("r", EventType.STEP_START, asset_key=ORDERS),
                materialization("r", ORDERS, partition="p1"),
                materialization("r", USERS),
            ]
        )
        storage.wipe_asset(ORDERS)
        assert storage.get_asset_keys() == [USERS]
        assert storage.get_asset_records([ORDERS]) == []
        assert storage.get_latest_materialization_records([ORDERS]) == {}
        assert storage.get_materialized_partitions(ORDERS) == set()
        mat = EventType.ASSET_MATERIALIZATION
        assert [r.event_log_entry.event_type for r in storage.get_logs_for_run("r")] == [
            EventType.STEP_START,
            mat,
        ]
        storage.store_events([materialization("r2", ORDERS, rows=5)])
        (record,) = storage.get_asset_records([ORDERS])
        assert record.wipe_timestamp is not None and record.last_run_id == "r2"
        assert _rows(storage, ORDERS) == 5

    def test_wipe_deletes_every_run_event_and_index_entry(self, storage: Storage) -> None:
        storage.add_run(make_run("r"))
        storage.store_events([materialization("r", ORDERS, partition="p")])
        storage.wipe()
        assert storage.get_runs() == [] and storage.get_logs_for_run("r") == []
        assert storage.get_asset_keys() == [] and storage.get_asset_records() == []
        assert storage.get_materialized_partitions(ORDERS) == set()
        ids = storage.store_events([materialization("r", ORDERS)])
        assert storage.get_latest_materialization_records([ORDERS])[ORDERS].storage_id == ids[0]
