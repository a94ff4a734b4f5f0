"""Conformance tests of automation evaluation and freshness storage (mixed into the suite)."""

from __future__ import annotations

from headwater.keys import AssetKey
from headwater.storage.automation_records import (
    ConditionEvaluationRecord,
    FreshnessState,
    FreshnessStateRecord,
)
from headwater.storage.base import Storage

_A, _B = AssetKey(["shop", "orders"]), AssetKey("b")


def _evaluation(key: AssetKey, tick: int, timestamp: float = 1.0) -> ConditionEvaluationRecord:
    body = {"requested": {"n": tick, "runs": []}, "nodes": [{"path": "0", "name": "AND"}]}
    return ConditionEvaluationRecord(
        asset_key=key,
        evaluation_id=tick,
        timestamp=timestamp,
        num_requested=tick,
        sensor_name="loc:auto",
        body=body,
    )


class AutomationStorageTests:
    """Condition evaluations per asset and tick; freshness states per asset."""

    def test_evaluations_are_read_back_newest_first_per_asset(self, storage: Storage) -> None:
        storage.add_condition_evaluations([_evaluation(_A, 1), _evaluation(_B, 1)])
        storage.add_condition_evaluations([_evaluation(_A, 2)])
        found = storage.get_condition_evaluations(_A)
        assert [e.evaluation_id for e in found] == [2, 1]
        assert found[0].body["nodes"] == [{"path": "0", "name": "AND"}]
        assert (found[0].sensor_name, found[0].num_requested) == ("loc:auto", 2)
        assert found[0].storage_id is not None
        assert [e.evaluation_id for e in storage.get_condition_evaluations(_A, limit=1)] == [2]
        assert storage.get_condition_evaluations(AssetKey("never")) == []

    def test_old_evaluations_are_deleted_by_timestamp(self, storage: Storage) -> None:
        storage.add_condition_evaluations([_evaluation(_A, 1, 10.0), _evaluation(_A, 2, 20.0)])
        assert storage.delete_condition_evaluations(15.0) == 1
        assert [e.evaluation_id for e in storage.get_condition_evaluations(_A)] == [2]

    def test_freshness_state_replaces_and_returns_the_previous_one(self, storage: Storage) -> None:
        first = FreshnessStateRecord(
            asset_key=_A,
            state=FreshnessState.PASS,
            updated_timestamp=1.0,
            changed_timestamp=1.0,
            info={"last_updated": 0.5},
        )
        assert storage.set_freshness_state(first) is None
        second = FreshnessStateRecord(
            asset_key=_A, state=FreshnessState.FAIL, updated_timestamp=2.0, changed_timestamp=2.0
        )
        previous = storage.set_freshness_state(second)
        assert previous == first
        assert storage.get_freshness_states() == {_A: second}
        assert storage.get_freshness_states([_B]) == {}

    def test_wipe_forgets_evaluations_and_freshness(self, storage: Storage) -> None:
        storage.add_condition_evaluations([_evaluation(_A, 1)])
        storage.set_freshness_state(
            FreshnessStateRecord(
                asset_key=_A,
                state=FreshnessState.WARN,
                updated_timestamp=1.0,
                changed_timestamp=1.0,
            )
        )
        storage.wipe()
        assert storage.get_condition_evaluations(_A) == []
        assert storage.get_freshness_states() == {}
