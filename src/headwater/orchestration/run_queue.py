"""The run queue: which QUEUED runs start now, under the instance's concurrency limits.

Launched runs wait in status QUEUED. Each call of :meth:`RunQueue.dequeue` (one tick of the
daemon's ``run_queue`` loop) takes them in order, highest ``headwater/priority`` first, then
oldest first, and starts those that fit under ``run_queue: max_concurrent_runs`` and every
matching ``tag_concurrency_limits`` entry, counting runs already in progress (STARTING, STARTED,
CANCELING). A run that does not fit waits; a run behind it that fits (other tags) goes ahead.

A run is started by :func:`headwater.orchestration.launcher.launch_run`, which claims it by
one conditional status update, QUEUED -> STARTING, stored together with its RUN_STARTING
event, and starts a worker only when its update moved the status. Two daemons dequeuing at
once, or a daemon restarted after a crash, therefore never start a run twice: the loser's
launch is refused and it moves on. A run that cannot be launched (no code location origin,
a worker that does not start) is failed with the reason as an ENGINE_EVENT.
"""

from __future__ import annotations

import logging
import traceback
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from headwater.errors import InvalidInvocationError
from headwater.orchestration.run_tags import run_priority
from headwater.storage.records import Run, RunRecord, RunsFilter, RunStatus

if TYPE_CHECKING:
    from headwater.instance.daemon_settings import RunQueueConfig, TagConcurrencyLimit
    from headwater.instance.instance import Instance

logger = logging.getLogger("headwater.daemon.run_queue")

#: Statuses that count against the concurrency limits.
IN_PROGRESS_STATUSES = (RunStatus.STARTING, RunStatus.STARTED, RunStatus.CANCELING)

#: ``launch(instance, run_id)``: claim a QUEUED run (QUEUED -> STARTING, one conditional
#: update) and start it; raises ``InvalidInvocationError`` when the run was claimed elsewhere.
Launcher = Callable[["Instance", str], object]


@dataclass(frozen=True, slots=True, kw_only=True)
class DequeueResult:
    """What one dequeue did.

    Attributes:
        launched: ids of the runs claimed and launched, in launch order.
        launch_failed: ids of the runs claimed whose launch raised (now FAILURE).
        waiting: how many QUEUED runs remain (blocked by a limit, or claimed elsewhere).
    """

    launched: tuple[str, ...] = ()
    launch_failed: tuple[str, ...] = ()
    waiting: int = 0


class RunQueue:
    """Dequeues QUEUED runs of an instance under its ``run_queue`` settings.

    Args:
        instance: where the runs are.
        config: the settings; the instance's ``run_queue:`` by default.
        launch: claims and starts a run; :func:`headwater.orchestration.launcher.launch_run`
            by default.
        claimed_by: who dequeues (a daemon id), recorded in an ENGINE_EVENT of each run.

    Example:
        >>> from headwater.instance.instance import Instance
        >>> with Instance.ephemeral() as instance:
        ...     RunQueue(instance).dequeue().launched
        ()
    """

    def __init__(
        self,
        instance: Instance,
        config: RunQueueConfig | None = None,
        *,
        launch: Launcher | None = None,
        claimed_by: str | None = None,
    ) -> None:
        self.instance = instance
        self.config = config or instance.config.run_queue
        self._launch = launch
        self.claimed_by = claimed_by

    def dequeue(self) -> DequeueResult:
        """Claim and launch every QUEUED run that fits under the limits now.

        Returns:
            What was launched and what still waits.
        """
        queued = self.instance.get_run_records(RunsFilter(statuses=[RunStatus.QUEUED]))
        if not queued:
            return DequeueResult()
        limit = self.config.max_concurrent_runs
        in_progress = self.instance.get_runs(RunsFilter(statuses=list(IN_PROGRESS_STATUSES)))
        slots = _Slots(self.config.tag_concurrency_limits, [r.tags for r in in_progress])
        running = len(in_progress)
        launched: list[str] = []
        failed: list[str] = []
        for record in sorted(queued, key=_queue_order):
            if limit != -1 and running >= limit:
                break
            run = record.run
            if slots.blocked(run.tags):
                continue
            outcome = self._start(run)
            if outcome == _LAUNCHED:
                slots.take(run.tags)
                running += 1
                launched.append(run.run_id)
            elif outcome == _FAILED:
                failed.append(run.run_id)
            # _TAKEN: another daemon claimed it first; it counts at the next dequeue
        return DequeueResult(
            launched=tuple(launched),
            launch_failed=tuple(failed),
            waiting=len(queued) - len(launched) - len(failed),
        )

    def _start(self, run: Run) -> str:
        """Claim and launch ``run``: ``launched``, ``taken`` (claimed elsewhere) or ``failed``."""
        if run.job_origin is None and self._launch is None:
            self._fail(run, "The run has no code location origin, so no worker can load its job.")
            return _FAILED
        try:
            self._launcher()(self.instance, run.run_id)
        except InvalidInvocationError as exc:
            current = self.instance.get_run_by_id(run.run_id)
            if current is None or current.status is not RunStatus.QUEUED:
                return _TAKEN
            self._fail(run, f"The run could not be launched: {exc}")
            return _FAILED
        except Exception as exc:
            logger.exception("Launching run %s failed.", run.run_id)
            self._fail(run, f"The run could not be launched: {_one_line(exc)}")
            return _FAILED
        who = f" by daemon {self.claimed_by}" if self.claimed_by else ""
        self.instance.report_engine_event(
            f"Dequeued{who} (priority {run_priority(run.tags)}).",
            run,
            data={"daemon_id": self.claimed_by, "priority": run_priority(run.tags)},
        )
        logger.info("Launched run %s.", run.run_id)
        return _LAUNCHED

    def _fail(self, run: Run, message: str) -> None:
        """Fail a run that could not be launched (unless it finished or moved on meanwhile)."""
        if self.instance.report_run_failed(run, message, data={"error": {"message": message}}):
            self.instance.report_engine_event(message, run, level=logging.ERROR)
            logger.error("Run %s failed: %s", run.run_id, message)

    def _launcher(self) -> Launcher:
        if self._launch is None:
            from headwater.orchestration.launcher import launch_run

            self._launch = launch_run
        return self._launch


_LAUNCHED, _TAKEN, _FAILED = "launched", "taken", "failed"


def _one_line(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def _queue_order(record: RunRecord) -> tuple[int, float, int]:
    return (-run_priority(record.run.tags), record.create_timestamp, record.storage_id)


class _Slots:
    """Counts of in-progress runs per tag limit; whether one more run fits."""

    def __init__(
        self, limits: Sequence[TagConcurrencyLimit], in_progress: Sequence[Mapping[str, str]]
    ) -> None:
        self.limits = limits
        self.counts: Counter[tuple[int, str | None]] = Counter()
        for tags in in_progress:
            self.take(tags)

    def _buckets(self, tags: Mapping[str, str]) -> list[tuple[int, str | None]]:
        buckets = []
        for index, limit in enumerate(self.limits):
            value = tags.get(limit.key)
            if value is None or (limit.value is not None and value != limit.value):
                continue
            buckets.append((index, value if limit.per_unique_value else None))
        return buckets

    def blocked(self, tags: Mapping[str, str]) -> bool:
        return any(
            self.counts[bucket] >= self.limits[bucket[0]].limit for bucket in self._buckets(tags)
        )

    def take(self, tags: Mapping[str, str]) -> None:
        for bucket in self._buckets(tags):
            self.counts[bucket] += 1
