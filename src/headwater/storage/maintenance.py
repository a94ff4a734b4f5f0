"""Records of the instance's maintenance: what storage holds, what retention deletes.

:class:`RetentionPolicy` is what ``retention:`` of ``headwater.yaml`` asks for;
:meth:`~headwater.storage.base.Storage.vacuum` applies it and returns a :class:`VacuumReport`;
:meth:`~headwater.storage.base.Storage.storage_info` returns a :class:`StorageInfo`.

What retention keeps whatever the policy: the history of every asset (materializations,
observations, planned materializations and check evaluations: the asset index, partition
status, data versions and check history are read from them), and every run the asset index
names (the latest run of each asset, its latest failed run, the run that last planned each
partition), and every run of a backfill that is not COMPLETED_SUCCESS (a resume re-executes the
requests without a successful run). ``keep_failed`` keeps failed runs whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True, slots=True, kw_only=True)
class RetentionPolicy:
    """How long finished runs and their events are kept.

    Attributes:
        event_logs_days: days after a run finished when its log and step events (everything
            but asset history and RUN_* events) are deleted; ``None``: keep them.
        runs_days: days after a run finished when the run itself is deleted (with its events,
            asset history excepted); ``None``: keep runs.
        keep_failed: keep failed runs whole, however old (only with ``runs_days``).

    Example:
        >>> RetentionPolicy(event_logs_days=30, runs_days=90).enabled
        True
    """

    event_logs_days: float | None = None
    runs_days: float | None = None
    keep_failed: bool = True

    @property
    def enabled(self) -> bool:
        """Whether anything would ever be deleted."""
        return self.event_logs_days is not None or self.runs_days is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class VacuumReport:
    """What one :meth:`~headwater.storage.base.Storage.vacuum` deleted (or would delete).

    Attributes:
        dry_run: nothing was deleted; the counts are what would have been.
        runs_deleted: runs deleted (with their tags, heartbeats and concurrency slots).
        events_deleted: event rows deleted.
        batches: write transactions used.
        longest_batch_ms: the longest of them, in milliseconds (how long writers waited at most).
        seconds: wall time of the whole vacuum.
        complete: everything due was deleted (``False``: the time limit stopped it first; the
            next vacuum continues).
    """

    dry_run: bool
    runs_deleted: int = 0
    events_deleted: int = 0
    batches: int = 0
    longest_batch_ms: float = 0.0
    seconds: float = 0.0
    complete: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class StorageInfo:
    """What the storage is and holds (``headwater instance info``).

    Attributes:
        kind: ``"sqlite"`` or ``"postgres"``.
        location: the database file, or the URL with its password masked.
        revision: the schema revision the database is stamped with (``None``: unstamped).
        head_revision: the revision this headwater writes.
        row_counts: table name -> rows.
        size_bytes: size on disk (database file plus WAL; the PostgreSQL database), or ``None``.
    """

    kind: str
    location: str
    revision: str | None
    head_revision: str
    row_counts: dict[str, int] = field(default_factory=dict)
    size_bytes: int | None = None
