"""Conformance tests of concurrency pool storage (mixed into :class:`StorageConformanceSuite`)."""

from __future__ import annotations

from headwater.storage.base import Storage


class ConcurrencyStorageTests:
    """Pool limits and slots: set, claim up to the limit, release, reclaim a run's slots."""

    def test_limits_are_set_replaced_and_deleted(self, storage: Storage) -> None:
        storage.set_concurrency_limit("warehouse", 2)
        storage.set_concurrency_limit("warehouse", 3)
        storage.set_concurrency_limit("api", 1)
        assert storage.get_concurrency_limits() == {"api": 1, "warehouse": 3}
        assert storage.delete_concurrency_limit("api") is True
        assert storage.delete_concurrency_limit("api") is False
        assert storage.get_concurrency_limits() == {"warehouse": 3}

    def test_slots_are_claimed_up_to_the_limit_and_released(self, storage: Storage) -> None:
        assert storage.claim_concurrency_slot("warehouse", 2, "r1", "a")
        assert storage.claim_concurrency_slot("warehouse", 2, "r1", "a")  # held: kept
        assert storage.claim_concurrency_slot("warehouse", 2, "r2", "b")
        assert not storage.claim_concurrency_slot("warehouse", 2, "r3", "c")
        assert storage.claim_concurrency_slot("other", 1, "r3", "c")  # pools are separate
        assert [(r, s) for _, r, s, _ in storage.get_concurrency_slots("warehouse")] == [
            ("r1", "a"), ("r2", "b"),
        ]  # fmt: skip
        assert storage.release_concurrency_slot("warehouse", "r1", "a") is True
        assert storage.release_concurrency_slot("warehouse", "r1", "a") is False
        assert storage.claim_concurrency_slot("warehouse", 2, "r3", "c")

    def test_the_slots_of_a_run_are_reclaimed_together(self, storage: Storage) -> None:
        storage.claim_concurrency_slot("warehouse", 5, "dead", "a")
        storage.claim_concurrency_slot("api", 5, "dead", "b")
        storage.claim_concurrency_slot("api", 5, "alive", "c")
        assert storage.release_run_concurrency_slots("dead") == 2
        assert [(p, r) for p, r, _, _ in storage.get_concurrency_slots()] == [("api", "alive")]

    def test_wipe_removes_limits_and_slots(self, storage: Storage) -> None:
        storage.set_concurrency_limit("warehouse", 1)
        storage.claim_concurrency_slot("warehouse", 1, "r", "a")
        storage.wipe()
        assert storage.get_concurrency_limits() == {}
        assert storage.get_concurrency_slots() == []
