"""Conformance tests of schedule and sensor storage (mixed into the conformance suite)."""

from __future__ import annotations

import threading

from headwater.storage.base import Storage
from headwater.storage.instigator_records import (
    InstigatorId,
    InstigatorStatus,
    InstigatorTick,
    InstigatorType,
    TickStatus,
)

_SENSOR = InstigatorId(instigator_type=InstigatorType.SENSOR, location_name="shop", name="inbox")
_SCHEDULE = InstigatorId(
    instigator_type=InstigatorType.SCHEDULE, location_name="shop", name="inbox"
)


class InstigatorStorageTests:
    """Instigator state, tick history and run key claims."""

    def test_an_instigator_never_written_has_no_state(self, storage: Storage) -> None:
        assert storage.get_instigator_state(_SENSOR) is None
        assert storage.get_instigator_states() == []

    def test_status_cursor_and_last_tick_are_written_independently(self, storage: Storage) -> None:
        state = storage.update_instigator_state(_SENSOR, cursor="c1")
        assert (state.status, state.cursor, state.last_tick_timestamp) == (None, "c1", None)
        assert state.effective_status("RUNNING") is InstigatorStatus.RUNNING
        storage.update_instigator_state(_SENSOR, status=InstigatorStatus.STOPPED)
        state = storage.update_instigator_state(_SENSOR, last_tick_timestamp=12.5)
        assert (state.status, state.cursor, state.last_tick_timestamp) == (
            InstigatorStatus.STOPPED,
            "c1",
            12.5,
        )
        assert state.effective_status("RUNNING") is InstigatorStatus.STOPPED
        cleared = storage.update_instigator_state(_SENSOR, cursor=None)
        assert cleared.cursor is None and cleared.last_tick_timestamp == 12.5
        assert storage.get_instigator_state(_SENSOR) == cleared

    def test_a_schedule_and_a_sensor_of_one_name_have_separate_states(
        self, storage: Storage
    ) -> None:
        storage.update_instigator_state(_SENSOR, status=InstigatorStatus.RUNNING)
        storage.update_instigator_state(_SCHEDULE, status=InstigatorStatus.STOPPED)
        other = InstigatorId(instigator_type=InstigatorType.SENSOR, location_name="b", name="x")
        storage.update_instigator_state(other, cursor="7")
        sensors = storage.get_instigator_states(InstigatorType.SENSOR)
        assert [s.instigator for s in sensors] == [other, _SENSOR]
        assert [s.instigator for s in storage.get_instigator_states(location_name="shop")] == [
            _SCHEDULE,
            _SENSOR,
        ]
        state = storage.get_instigator_state(_SCHEDULE)
        assert state is not None and state.status is InstigatorStatus.STOPPED

    def test_ticks_round_trip_newest_first_and_are_updated_in_place(self, storage: Storage) -> None:
        first = storage.add_tick(InstigatorTick(instigator=_SENSOR, timestamp=100.0,
                                                cursor_before=None))  # fmt: skip
        second = storage.add_tick(InstigatorTick(instigator=_SENSOR, timestamp=200.0,
                                                 cursor_before="a"))  # fmt: skip
        assert first.tick_id is not None and second.tick_id is not None
        assert second.tick_id > first.tick_id
        done = InstigatorTick(
            instigator=_SENSOR, timestamp=100.0, tick_id=first.tick_id,
            status=TickStatus.FAILURE, end_timestamp=101.0, run_ids=("r1",), run_keys=("k1",),
            error="Traceback ...\nValueError: boom", cursor_before=None, cursor_after="b",
            extra={"partitions_added": ["p"]},
        )  # fmt: skip
        storage.update_tick(done)
        assert storage.get_ticks(_SENSOR) == [second, done]
        assert storage.get_ticks(_SENSOR, limit=1) == [second]
        assert storage.get_ticks(_SENSOR, statuses=[TickStatus.FAILURE]) == [done]
        assert storage.get_ticks(_SENSOR, after=100.0) == [second]
        assert storage.get_ticks(_SENSOR, before=200.0) == [done]
        assert storage.get_ticks(_SCHEDULE) == []

    def test_updating_a_tick_that_was_never_stored_fails(self, storage: Storage) -> None:
        import pytest

        from headwater.errors import StorageError

        with pytest.raises(StorageError, match="no such tick"):
            storage.update_tick(InstigatorTick(instigator=_SENSOR, timestamp=1.0, tick_id=999))

    def test_a_run_key_is_claimed_once(self, storage: Storage) -> None:
        assert storage.claim_run_key(_SENSOR, "file-1.csv", "run-a") == "run-a"
        assert storage.claim_run_key(_SENSOR, "file-1.csv", "run-b") == "run-a"
        assert storage.claim_run_key(_SCHEDULE, "file-1.csv", "run-c") == "run-c"
        assert storage.get_run_ids_for_run_keys(_SENSOR, ["file-1.csv", "file-2.csv"]) == {
            "file-1.csv": "run-a"
        }
        assert storage.get_run_ids_for_run_keys(_SENSOR, []) == {}

    def test_many_run_keys_are_looked_up_at_once(self, storage: Storage) -> None:
        keys = [f"key-{i}" for i in range(1500)]
        for key in keys[::3]:
            storage.claim_run_key(_SENSOR, key, f"run-{key}")
        found = storage.get_run_ids_for_run_keys(_SENSOR, keys)
        assert found == {key: f"run-{key}" for key in keys[::3]}

    def test_concurrent_claims_of_one_run_key_have_one_winner(self, storage: Storage) -> None:
        winners: list[str] = []
        lock = threading.Lock()

        def claim(run_id: str) -> None:
            owner = storage.claim_run_key(_SENSOR, "contended", run_id)
            with lock:
                winners.append(owner)

        threads = [threading.Thread(target=claim, args=(f"run-{i}",)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(winners) == 8 and len(set(winners)) == 1

    def test_wipe_deletes_states_ticks_and_run_keys(self, storage: Storage) -> None:
        storage.update_instigator_state(_SENSOR, cursor="c")
        storage.add_tick(InstigatorTick(instigator=_SENSOR, timestamp=1.0))
        storage.claim_run_key(_SENSOR, "k", "r")
        storage.wipe()
        assert storage.get_instigator_states() == []
        assert storage.get_ticks(_SENSOR) == []
        assert storage.claim_run_key(_SENSOR, "k", "r2") == "r2"
