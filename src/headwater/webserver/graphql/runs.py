"""Runs: the Run type, filters, Relay-style connections, a run's events and captured logs."""

from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from headwater.storage.records import RunStatus as _RunStatus
from headwater.webserver.graphql.common import (
    AssetKey,
    PageInfo,
    Tag,
    TagInput,
    decode_cursor,
    encode_cursor,
    page_size,
    tags_of,
)
from headwater.webserver.graphql.events import EventConnection, event_connection
from headwater.webserver.redaction import redact

#: The most bytes of one captured log a query returns (the end of the file is kept).
MAX_LOG_BYTES = 1 << 20

RunStatus = strawberry.enum(_RunStatus, description="Where a run stands in its lifecycle.")


@strawberry.type(description="What a step printed: its captured stdout and stderr.")
class CapturedLog:
    step_key: str | None = strawberry.field(description="The step (null: the run worker's own).")
    stdout: str = strawberry.field(description="Its stdout (the last MiB at most).")
    stderr: str = strawberry.field(description="Its stderr (the last MiB at most).")
    truncated: bool = strawberry.field(description="Whether the beginning was left out.")


@strawberry.type(description="One step of a run, from its events: for a timeline.")
class RunStep:
    step_key: str
    status: str = strawberry.field(
        description="IN_PROGRESS, SUCCESS, FAILURE, SKIPPED or UP_FOR_RETRY (its last event)."
    )
    start_time: float | None = strawberry.field(description="Its first STEP_START (epoch s).")
    end_time: float | None = strawberry.field(
        description="When it succeeded, failed or was skipped."
    )
    attempts: int = strawberry.field(description="How many times it started.")


_STEP_STATUS = {"STEP_SUCCESS": "SUCCESS", "STEP_FAILURE": "FAILURE", "STEP_SKIPPED": "SKIPPED",
                "STEP_UP_FOR_RETRY": "UP_FOR_RETRY", "STEP_START": "IN_PROGRESS"}  # fmt: skip


def run_steps(instance: Any, run_id: str) -> list[RunStep]:
    """The steps of a run, in the order they started, from its step events only."""
    from headwater.events.types import EventType

    kinds = {EventType(k) for k in _STEP_STATUS}
    steps: dict[str, dict[str, Any]] = {}
    for entry in instance.all_logs(run_id, of_type=kinds):
        if not entry.step_key:
            continue
        step = steps.setdefault(entry.step_key, {"start": None, "end": None, "attempts": 0})
        kind = entry.event_type.value
        step["status"] = _STEP_STATUS[kind]
        if kind == "STEP_START":
            step["attempts"] += 1
            step["start"] = entry.timestamp if step["start"] is None else step["start"]
            step["end"] = None
        elif kind != "STEP_UP_FOR_RETRY":
            step["end"] = entry.timestamp
    return [RunStep(step_key=key, status=v["status"], start_time=v["start"], end_time=v["end"],
                    attempts=v["attempts"]) for key, v in steps.items()]  # fmt: skip


@strawberry.type(description="A run: what was asked for and where it stands.")
class Run:
    _record: strawberry.Private[Any]

    @property
    def _run(self) -> Any:
        return self._record.run

    @strawberry.field(description="The run's id (a UUID).")
    def run_id(self) -> strawberry.ID:
        return strawberry.ID(self._run.run_id)

    @strawberry.field(description="The job it runs ('__ASSET_JOB' for asset selections).")
    def job_name(self) -> str:
        return str(self._run.job_name)

    @strawberry.field(description="Its status.")
    def status(self) -> RunStatus:  # type: ignore[valid-type]
        return self._run.status  # type: ignore[no-any-return]

    @strawberry.field(description="Its tags.")
    def tags(self) -> list[Tag]:
        return tags_of(self._run.tags)

    @strawberry.field(description="The assets it materializes (null for a job of ops).")
    def asset_selection(self) -> list[AssetKey] | None:
        keys = self._run.asset_selection
        if keys is None:
            return None
        return [AssetKey.of(k) for k in sorted(keys, key=lambda k: k.path)]

    @strawberry.field(description="Its run config, secrets redacted.")
    def run_config(self) -> JSON:
        return cast(JSON, redact(dict(self._run.run_config)))

    @strawberry.field(description="Its partition, when it materializes one.")
    def partition(self) -> str | None:
        return self._run.tags.get("headwater/partition")  # type: ignore[no-any-return]

    @strawberry.field(description="The run it re-executes, if any.")
    def parent_run_id(self) -> str | None:
        return self._run.parent_run_id  # type: ignore[no-any-return]

    @strawberry.field(description="The first run of its re-execution chain, if any.")
    def root_run_id(self) -> str | None:
        return self._run.root_run_id  # type: ignore[no-any-return]

    @strawberry.field(description="The code location of its job (null for a script's run).")
    def location_name(self) -> str | None:
        origin = self._run.job_origin
        return None if origin is None else origin.location.location_name

    @strawberry.field(description="When it was created (epoch seconds).")
    def create_time(self) -> float:
        return float(self._record.create_timestamp)

    @strawberry.field(description="When it started, or null.")
    def start_time(self) -> float | None:
        return self._record.start_time  # type: ignore[no-any-return]

    @strawberry.field(description="When it finished, or null.")
    def end_time(self) -> float | None:
        return self._record.end_time  # type: ignore[no-any-return]

    @strawberry.field(description="When its record last changed (epoch seconds).")
    def update_time(self) -> float:
        return float(self._record.update_timestamp)

    @strawberry.field(description="Seconds from start to end (to now while it runs), or null.")
    def duration_seconds(self) -> float | None:
        start, end = self._record.start_time, self._record.end_time
        if start is None:
            return None
        return float((end if end is not None else datetime.now(UTC).timestamp()) - start)

    @strawberry.field(description="Whether it has finished (SUCCESS, FAILURE or CANCELED).")
    def is_finished(self) -> bool:
        return bool(self._run.is_finished)

    @strawberry.field(description="Its events, oldest first, from after `after` (a cursor).")
    def events(
        self, info: Info, after: str | None = None, first: int | None = 1000,
        event_types: list[str] | None = None,
    ) -> EventConnection:  # fmt: skip
        return run_events(info.context.instance, self._run.run_id, after, first, event_types)

    @strawberry.field(description="Its steps with their status and times (for a timeline).")
    def steps(self, info: Info) -> list[RunStep]:
        return run_steps(info.context.instance, self._run.run_id)

    @strawberry.field(description="What its steps printed (stdout/stderr), per step.")
    def captured_logs(self, info: Info, step_key: str | None = None) -> list[CapturedLog]:
        return captured_logs(info.context.instance, self._run.run_id, step_key)


def run_events(
    instance: Any, run_id: str, after: str | None, first: int | None, types: list[str] | None
) -> EventConnection:
    """A page of a run's events after the cursor ``after`` (a storage id)."""
    from headwater.events.types import EventType

    of_type = None if not types else {EventType(t) for t in types}
    result = instance.get_records_for_run(run_id, cursor=_storage_id(after), of_type=of_type,
                                          limit=page_size(first, 1000))  # fmt: skip
    return event_connection(result.records, has_more=result.has_more, cursor=result.cursor)


def _storage_id(cursor: str | None) -> int | None:
    if cursor is None or cursor == "":
        return None
    if not cursor.isdigit():
        raise ValueError(f"An event cursor is a storage id (digits), got {cursor!r}.")
    return int(cursor)


def captured_logs(instance: Any, run_id: str, step_key: str | None) -> list[CapturedLog]:
    """The captured stdout/stderr of a run's steps (and of its worker when ``step_key`` is
    null and the worker wrote any)."""
    from headwater.events.types import EventType
    from headwater.orchestration.launcher import worker_log_paths

    base = instance.logs_directory
    out = []
    for entry in instance.all_logs(run_id, of_type=EventType.LOGS_CAPTURED):
        if step_key is not None and entry.step_key != step_key:
            continue
        texts = [_read(base, entry.data.get(f"{n}_path")) for n in ("stdout", "stderr")]
        out.append(CapturedLog(step_key=entry.step_key, stdout=texts[0][0], stderr=texts[1][0],
                               truncated=texts[0][1] or texts[1][1]))  # fmt: skip
    if step_key is None:
        paths = worker_log_paths(instance, run_id)
        texts = [_read(base, str(p)) for p in paths]
        if any(t for t, _ in texts):
            out.append(CapturedLog(step_key=None, stdout=texts[0][0], stderr=texts[1][0],
                                   truncated=texts[0][1] or texts[1][1]))  # fmt: skip
    return out


def _read(base: Path, relative: str | None) -> tuple[str, bool]:
    if not relative:
        return "", False
    path = base / relative
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - MAX_LOG_BYTES))
            return handle.read().decode(errors="replace"), size > MAX_LOG_BYTES
    except OSError:
        return "", False


@strawberry.input(description="Which runs to list; every given field must match.")
class RunsFilter:
    statuses: list[RunStatus] | None = None  # type: ignore[valid-type]
    job_name: str | None = None
    run_ids: list[str] | None = None
    tags: list[TagInput] | None = None
    created_after: float | None = strawberry.field(default=None, description="Epoch seconds.")
    created_before: float | None = strawberry.field(default=None, description="Epoch seconds.")

    def to_filter(self) -> Any:
        from headwater.storage.records import RunsFilter as _RunsFilter

        return _RunsFilter(
            run_ids=self.run_ids, job_name=self.job_name,
            statuses=None if self.statuses is None else list(self.statuses),
            tags=None if self.tags is None else {t.key: t.value for t in self.tags},
            created_after=self.created_after, created_before=self.created_before,
        )  # fmt: skip


@strawberry.type(description="An edge of a run connection.")
class RunEdge:
    cursor: str
    node: Run


@strawberry.type(description="A page of runs, newest first.")
class RunConnection:
    edges: list[RunEdge]
    page_info: PageInfo
    _count: strawberry.Private[Any]

    @strawberry.field(description="The runs of this page (the edges' nodes).")
    def nodes(self) -> list[Run]:
        return [e.node for e in self.edges]

    @strawberry.field(description="How many runs match the filter (all pages).")
    def total_count(self) -> int:
        return int(self._count())


@strawberry.enum(description="How runs are ordered.")
class RunsOrder(Enum):
    NEWEST_FIRST = "NEWEST_FIRST"
    OLDEST_FIRST = "OLDEST_FIRST"


def runs_connection(
    instance: Any, filters: RunsFilter | None, first: int | None, after: str | None,
    order: RunsOrder,
) -> RunConnection:  # fmt: skip
    """A page of runs matching ``filters`` after the cursor ``after``."""
    limit = page_size(first)
    flt = None if filters is None else filters.to_filter()
    records = instance.get_run_records(flt, limit=limit + 1, cursor=decode_cursor("run", after),
                                       ascending=order is RunsOrder.OLDEST_FIRST)  # fmt: skip
    page = records[:limit]
    edges = [RunEdge(cursor=encode_cursor("run", r.run.run_id), node=Run(_record=r)) for r in page]
    info = PageInfo(has_next_page=len(records) > limit,
                    end_cursor=edges[-1].cursor if edges else None)  # fmt: skip
    return RunConnection(edges=edges, page_info=info, _count=lambda: instance.get_runs_count(flt))


def run_by_id(instance: Any, run_id: str) -> Run | None:
    """The run ``run_id``, or ``None``."""
    from headwater.storage.records import RunsFilter as _RunsFilter

    found = instance.get_run_records(_RunsFilter(run_ids=[run_id]), limit=1)
    return Run(_record=found[0]) if found else None
