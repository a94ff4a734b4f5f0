"""Conformance tests of asset check evaluation storage (mixed into the storage suite)."""

from __future__ import annotations

from headwater.events.records import EventLogEntry
from headwater.events.types import EventType
from headwater.keys import AssetCheckKey, AssetKey
from headwater.storage.base import Storage
from headwater.testing._storage_helpers import make_event, make_run

ORDERS = AssetKey(["shop", "orders"])
NOT_EMPTY = AssetCheckKey(ORDERS, "not_empty")
POSITIVE = AssetCheckKey(ORDERS, "positive")


def evaluation(run_id: str, key: AssetCheckKey, passed: bool) -> EventLogEntry:
    """An ``ASSET_CHECK_EVALUATION`` event of ``key``."""
    return make_event(
        run_id,
        EventType.ASSET_CHECK_EVALUATION,
        asset_key=key.asset_key,
        data={"check_name": key.name, "passed": passed, "severity": "ERROR", "metadata": {}},
    )


class AssetCheckStorageTests:
    """Evaluations per check: newest first, limited, gone with their run or asset."""

    def test_check_evaluations_newest_first_per_check(self, storage: Storage) -> None:
        ids = storage.store_events(
            [
                evaluation("r1", NOT_EMPTY, True),
                evaluation("r1", POSITIVE, False),
                evaluation("r2", NOT_EMPTY, False),
            ]
        )
        records = storage.get_asset_check_evaluation_records(NOT_EMPTY)
        assert [r.storage_id for r in records] == [ids[2], ids[0]]
        assert [r.event_log_entry.data["passed"] for r in records] == [False, True]
        assert [r.storage_id for r in storage.get_asset_check_evaluation_records(NOT_EMPTY, 1)] == [
            ids[2]
        ]
        assert [r.storage_id for r in storage.get_asset_check_evaluation_records(POSITIVE)] == [
            ids[1]
        ]
        unknown = AssetCheckKey(AssetKey("nope"), "not_empty")
        assert storage.get_asset_check_evaluation_records(unknown) == []

    def test_check_evaluations_go_with_their_run_and_asset(self, storage: Storage) -> None:
        storage.add_run(make_run("r1"))
        storage.add_run(make_run("r2"))
        storage.store_events([evaluation("r1", NOT_EMPTY, True)])
        storage.store_events([evaluation("r2", NOT_EMPTY, False)])
        storage.delete_run("r2")
        remaining = storage.get_asset_check_evaluation_records(NOT_EMPTY)
        assert [r.run_id for r in remaining] == ["r1"]
        storage.wipe_asset(ORDERS)
        assert storage.get_asset_check_evaluation_records(NOT_EMPTY) == []
        storage.store_events([evaluation("r3", NOT_EMPTY, True)])
        storage.wipe()
        assert storage.get_asset_check_evaluation_records(NOT_EMPTY) == []

    def test_the_latest_evaluation_of_many_checks_in_one_call(self, storage: Storage) -> None:
        storage.add_run(make_run("r1"))
        storage.add_run(make_run("r2"))
        ids = storage.store_events([evaluation("r1", NOT_EMPTY, True),
                                    evaluation("r1", POSITIVE, False)])  # fmt: skip
        storage.store_events([evaluation("r2", NOT_EMPTY, False)])
        unknown = AssetCheckKey(AssetKey("nope"), "not_empty")
        latest = storage.get_latest_asset_check_evaluation_records([NOT_EMPTY, POSITIVE, unknown])
        assert set(latest) == {NOT_EMPTY, POSITIVE}
        assert latest[NOT_EMPTY].run_id == "r2" and latest[POSITIVE].storage_id == ids[1]
        storage.delete_run("r2")  # its evaluation goes: the one before is the latest again
        latest = storage.get_latest_asset_check_evaluation_records([NOT_EMPTY])
        assert {k: r.storage_id for k, r in latest.items()} == {NOT_EMPTY: ids[0]}
        assert storage.get_latest_asset_check_evaluation_records([]) == {}
