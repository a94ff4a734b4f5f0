"""Conformance tests of daemon heartbeat storage (mixed into :class:`StorageConformanceSuite`)."""

from __future__ import annotations

from headwater.storage.base import Storage
from headwater.storage.daemon_records import DaemonHeartbeat


def _beat(
    daemon_id: str, timestamp: float, loop: str = "run_queue", **kw: object
) -> DaemonHeartbeat:
    return DaemonHeartbeat(loop_name=loop, daemon_id=daemon_id, timestamp=timestamp, **kw)  # type: ignore[arg-type]


class DaemonStorageTests:
    """Daemon heartbeats: claiming a loop, keeping it, taking it over, releasing it."""

    def test_first_heartbeat_claims_the_loop_and_round_trips(self, storage: Storage) -> None:
        beat = _beat("d1", 100.0, info={"pid": 12, "hostname": "h"}, cursor="7")
        stored = storage.claim_daemon_heartbeat(beat, expired_before=0.0)
        assert stored == beat
        assert storage.get_daemon_heartbeats() == [beat]

    def test_a_live_heartbeat_of_another_daemon_is_not_replaced(self, storage: Storage) -> None:
        storage.claim_daemon_heartbeat(_beat("d1", 100.0), expired_before=0.0)
        stored = storage.claim_daemon_heartbeat(_beat("d2", 101.0), expired_before=90.0)
        assert (stored.daemon_id, stored.timestamp) == ("d1", 100.0)

    def test_an_expired_heartbeat_is_taken_over(self, storage: Storage) -> None:
        storage.claim_daemon_heartbeat(_beat("d1", 100.0), expired_before=0.0)
        stored = storage.claim_daemon_heartbeat(_beat("d2", 200.0), expired_before=150.0)
        assert (stored.daemon_id, stored.timestamp) == ("d2", 200.0)

    def test_a_daemon_named_as_replaced_is_taken_over_at_once(self, storage: Storage) -> None:
        storage.claim_daemon_heartbeat(_beat("d1", 100.0), expired_before=0.0)
        assert (
            storage.claim_daemon_heartbeat(
                _beat("d2", 101.0), expired_before=0.0, replacing="d3"
            ).daemon_id
            == "d1"
        )
        assert (
            storage.claim_daemon_heartbeat(
                _beat("d2", 101.0), expired_before=0.0, replacing="d1"
            ).daemon_id
            == "d2"
        )

    def test_error_and_cursor_are_kept_until_replaced(self, storage: Storage) -> None:
        storage.claim_daemon_heartbeat(
            _beat("d1", 100.0, last_error="boom", last_error_timestamp=99.0, cursor="5"),
            expired_before=0.0,
        )
        stored = storage.claim_daemon_heartbeat(_beat("d1", 110.0), expired_before=0.0)
        assert (stored.timestamp, stored.last_error, stored.last_error_timestamp) == (
            110.0,
            "boom",
            99.0,
        )
        assert stored.cursor == "5"
        stored = storage.claim_daemon_heartbeat(
            _beat("d1", 120.0, last_error="again", last_error_timestamp=119.0, cursor="9"),
            expired_before=0.0,
        )
        assert (stored.last_error, stored.last_error_timestamp, stored.cursor) == (
            "again",
            119.0,
            "9",
        )

    def test_loops_are_listed_by_name_and_released_only_by_their_daemon(
        self, storage: Storage
    ) -> None:
        for loop in ("run_queue", "controller", "run_monitoring"):
            storage.claim_daemon_heartbeat(_beat("d1", 100.0, loop=loop), expired_before=0.0)
        names = [b.loop_name for b in storage.get_daemon_heartbeats()]
        assert names == ["controller", "run_monitoring", "run_queue"]
        assert storage.release_daemon_heartbeat("controller", "d2") is False
        assert storage.release_daemon_heartbeat("controller", "d1") is True
        assert [b.loop_name for b in storage.get_daemon_heartbeats()] == [
            "run_monitoring",
            "run_queue",
        ]
