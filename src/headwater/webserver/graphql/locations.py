"""Code locations and what they declare besides assets (jobs; schedules and sensors are in
``instigators``); backfills and the daemon's health."""

import graphlib
from typing import Any

import strawberry
from strawberry.types import Info

from headwater.webserver.graphql.common import AssetKey, PythonError, Tag, tags_of
from headwater.webserver.graphql.instigators import Schedule, Sensor


@strawberry.type(description="One step of a job's plan: the op computing some of its assets.")
class JobStep:
    key: str = strawberry.field(description="The step key (the op's name).")
    asset_keys: list[AssetKey] = strawberry.field(description="The assets it materializes.")
    upstream_step_keys: list[str] = strawberry.field(
        description="The steps of the job it waits for (they produce assets it reads)."
    )


@strawberry.type(description="A job of a code location.")
class Job:
    _location: strawberry.Private[str]
    _job: strawberry.Private[Any]

    @strawberry.field(description="The job's name.")
    def name(self) -> str:
        return str(self._job.name)

    @strawberry.field(description="'assets' (define_asset_job) or 'ops' (@job).")
    def kind(self) -> str:
        return str(self._job.kind)

    @strawberry.field(description="The code location declaring it.")
    def location_name(self) -> str:
        return self._location

    @strawberry.field(description="Its description, when given.")
    def description(self) -> str | None:
        return self._job.description  # type: ignore[no-any-return]

    @strawberry.field(description="Its tags (run tags included).")
    def tags(self) -> list[Tag]:
        return tags_of(self._job.tags)

    @strawberry.field(description="Its asset selection as text, e.g. 'group:raw+'.")
    def selection(self) -> str | None:
        return self._job.selection  # type: ignore[no-any-return]

    @strawberry.field(description="The assets it materializes (empty for a job of ops).")
    def asset_keys(self) -> list[AssetKey]:
        return [AssetKey(path=list(p)) for p in self._job.asset_paths]

    @strawberry.field(description="Its op nodes in dependency order (empty for a job of assets).")
    def op_names(self) -> list[str]:
        return list(self._job.op_names)

    @strawberry.field(description="Its partitions definition in one line, when partitioned.")
    def partitions_description(self) -> str | None:
        partitions = self._job.partitions
        return None if partitions is None else partitions.description

    @strawberry.field(
        description="Its plan: the steps, in dependency order, with the assets each "
        "materializes and the steps it waits for (a job of ops: its ops, in order)."
    )
    def steps(self, info: Info) -> list[JobStep]:
        if not self._job.asset_paths:
            return [JobStep(key=name, asset_keys=[], upstream_step_keys=[])
                    for name in self._job.op_names]  # fmt: skip
        return job_steps(info.context.index(), self._job.asset_paths)


@strawberry.type(description="A code location: its server's state and what it declares.")
class CodeLocation:
    _view: strawberry.Private[Any]

    @strawberry.field(description="The location's name.")
    def name(self) -> str:
        return str(self._view.state.name)

    @strawberry.field(
        description="STARTING, LOADED, LOAD_ERROR, RESTARTING, UNREACHABLE or STOPPED."
    )
    def status(self) -> str:
        return str(self._view.state.status.value)

    @strawberry.field(description="Why it is not loaded: the load error with its traceback.")
    def error(self) -> PythonError | None:
        state = self._view.state
        if state.error is None:
            return None
        return PythonError(message=state.error, traceback=state.error_traceback)

    @strawberry.field(
        description="Whether the definitions shown are the last good ones of a location that "
        "no longer loads (or is restarting)."
    )
    def definitions_are_stale(self) -> bool:
        return bool(self._view.snapshot_is_stale)

    @strawberry.field(description="The id of the definitions snapshot shown, when there is one.")
    def snapshot_id(self) -> str | None:
        snap = self._view.snapshot
        return None if snap is None else self._view.state.snapshot_id or "stale"

    @strawberry.field(description="Its code server's process id (null when not ours or none).")
    def pid(self) -> int | None:
        return self._view.state.pid  # type: ignore[no-any-return]

    @strawberry.field(description="How many times its server was started again after dying.")
    def restarts(self) -> int:
        return int(self._view.state.restarts)

    @strawberry.field(description="How many assets it declares.")
    def asset_count(self) -> int:
        snap = self._view.snapshot
        return 0 if snap is None else len(snap.assets)

    @strawberry.field(description="Its jobs.")
    def jobs(self) -> list[Job]:
        return [Job(_location=self.name(), _job=j) for j in _items(self._view, "jobs")]

    @strawberry.field(description="Its schedules.")
    def schedules(self) -> list[Schedule]:
        return [Schedule(_location=self.name(), _schedule=s)
                for s in _items(self._view, "schedules")]  # fmt: skip

    @strawberry.field(description="Its sensors.")
    def sensors(self) -> list[Sensor]:
        return [Sensor(_location=self.name(), _sensor=s) for s in _items(self._view, "sensors")]


def job_steps(index: Any, paths: Any) -> list[JobStep]:
    """The steps computing ``paths`` (asset key paths), parents first."""
    step_of: dict[tuple[str, ...], str] = {}
    for path in paths:
        node = index.nodes.get(tuple(path))
        if node is not None and node.snapshot.node_name:
            step_of[tuple(path)] = node.snapshot.node_name
    assets: dict[str, list[tuple[str, ...]]] = {}
    upstream: dict[str, set[str]] = {}
    for path, step in step_of.items():
        assets.setdefault(step, []).append(path)
        deps = index.nodes[path].snapshot.dep_paths
        upstream.setdefault(step, set()).update(
            step_of[d] for d in deps if d in step_of and step_of[d] != step
        )
    try:  # parents first, ties by name
        sorter = graphlib.TopologicalSorter({k: upstream[k] for k in sorted(assets)})
        ordered = list(sorter.static_order())
    except graphlib.CycleError:  # steps that feed each other (multi-assets): by name
        ordered = sorted(assets)
    return [JobStep(key=s, asset_keys=[AssetKey(path=list(p)) for p in assets[s]],
                    upstream_step_keys=sorted(upstream[s])) for s in ordered]  # fmt: skip


def _items(view: Any, what: str) -> tuple[Any, ...]:
    snap = view.snapshot
    return () if snap is None else tuple(getattr(snap, what))


def everything(info: Info, what: str, cls: Any, attr: str) -> list[Any]:
    """``what`` (jobs, schedules, sensors) of every location, as ``cls``."""
    out = []
    for view in info.context.state.locations():
        out += [cls(_location=view.state.name, **{attr: item}) for item in _items(view, what)]
    return out


@strawberry.type(description="A backfill: many runs over partitions of a selection.")
class Backfill:
    _backfill: strawberry.Private[Any]

    @strawberry.field(description="Its id.")
    def backfill_id(self) -> strawberry.ID:
        return strawberry.ID(self._backfill.backfill_id)

    @strawberry.field(description="REQUESTED, COMPLETED, FAILED, CANCELING, CANCELED, ...")
    def status(self) -> str:
        return str(getattr(self._backfill.status, "value", self._backfill.status))

    @strawberry.field(description="The assets it materializes.")
    def asset_selection(self) -> list[AssetKey]:
        return [AssetKey.of(k) for k in self._backfill.asset_selection]

    @strawberry.field(description="The partitions it targets, when given as a list.")
    def partition_keys(self) -> list[str] | None:
        keys = self._backfill.partition_keys
        return None if keys is None else list(keys)

    @strawberry.field(description="The partition range it targets, as [start, end].")
    def partition_range(self) -> list[str] | None:
        found = self._backfill.partition_range
        return None if found is None else [str(found.start), str(found.end)]

    @strawberry.field(description="Whether it targets every partition.")
    def all_partitions(self) -> bool:
        return bool(self._backfill.all_partitions)

    @strawberry.field(description="Its tags.")
    def tags(self) -> list[Tag]:
        return tags_of(self._backfill.tags)

    @strawberry.field(description="When it was created (epoch seconds).")
    def create_time(self) -> float:
        return float(self._backfill.create_timestamp)

    @strawberry.field(description="The ids of the runs it launched so far, newest first.")
    def run_ids(self, info: Info) -> list[str]:
        from headwater.storage.backfill_records import BACKFILL_ID_TAG
        from headwater.storage.records import RunsFilter

        flt = RunsFilter(tags={BACKFILL_ID_TAG: self._backfill.backfill_id})
        return list(info.context.instance.get_run_ids(flt))

    @strawberry.field(description="Why it failed, when it did.")
    def error(self) -> str | None:
        return self._backfill.error  # type: ignore[no-any-return]


@strawberry.type(description="One loop of the daemon, from its heartbeats.")
class DaemonLoop:
    name: str
    healthy: bool
    last_heartbeat: float | None = strawberry.field(description="Epoch seconds, or null.")
    last_error: str | None


@strawberry.type(description="Whether a daemon runs on the instance and how its loops do.")
class DaemonHealth:
    running: bool = strawberry.field(description="A daemon heartbeat is fresh.")
    healthy: bool = strawberry.field(description="Running, and every loop is healthy.")
    daemon_id: str | None
    pid: int | None = strawberry.field(description="The running daemon's process id.")
    hostname: str | None = strawberry.field(description="The machine it runs on.")
    loops: list[DaemonLoop]


def daemon_health(instance: Any) -> DaemonHealth:
    """The daemon's health from its heartbeats."""
    from headwater.daemon.status import get_daemon_status

    status = get_daemon_status(instance)
    loops = [DaemonLoop(name=loop.name, healthy=loop.healthy,
                        last_heartbeat=None if loop.heartbeat is None else loop.heartbeat.timestamp,
                        last_error=None if loop.heartbeat is None else loop.heartbeat.last_error)
             for loop in status.loops]  # fmt: skip
    info = {} if status.daemon is None else dict(status.daemon.info)
    pid = info.get("pid")
    return DaemonHealth(running=status.daemon is not None, healthy=status.healthy,
                        daemon_id=None if status.daemon is None else status.daemon.daemon_id,
                        pid=pid if isinstance(pid, int) else None,
                        hostname=None if info.get("hostname") is None else str(info["hostname"]),
                        loops=loops)  # fmt: skip
