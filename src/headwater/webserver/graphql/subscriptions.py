"""The root Subscription type (graphql-transport-ws over a websocket at ``/graphql``).

``runEvents`` waits on storage (``Storage.wait_for_run_events``: PostgreSQL NOTIFY, SQLite's
``PRAGMA data_version``), so the event log is read only when something was stored;
``codeLocations`` looks at the workspace manager's states in memory.
"""

import functools
import threading
from collections.abc import AsyncGenerator

import anyio
import anyio.to_thread
import strawberry
from strawberry.types import Info

from headwater.webserver.graphql.events import Event
from headwater.webserver.graphql.locations import CodeLocation
from headwater.webserver.graphql.runs import RunStatus

#: The longest one wait for a run's new events lasts before its status is read again.
WAIT_SECONDS = 1.0
#: Seconds between two looks at the code locations' states.
LOCATION_POLL_SECONDS = 0.25
#: The most events one batch carries.
BATCH_SIZE = 1000
#: Threads waiting for subscriptions' events at once: a pool of their own, so that many open
#: run pages never hold the threads queries run in.
WAITING_THREADS = 200
_limiter: anyio.CapacityLimiter | None = None


def _waiters() -> anyio.CapacityLimiter:
    global _limiter
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(WAITING_THREADS)
    return _limiter


@strawberry.type(description="New events of a run, and where the run stands.")
class RunEventBatch:
    events: list[Event] = strawberry.field(description="The new events, oldest first.")
    cursor: str | None = strawberry.field(
        description="The storage id of the last event delivered (resume with `after`)."
    )
    run_status: RunStatus | None = strawberry.field(  # type: ignore[valid-type]
        description="The run's status (null: no such run)."
    )
    is_finished: bool = strawberry.field(
        description="The run has finished and every event was delivered: the last batch."
    )


@strawberry.type(description="Live updates.")
class Subscription:
    @strawberry.subscription(
        description="A run's events as they are stored, in batches, from after the cursor "
        "`after` (null: from the start); ends once the run has finished."
    )
    async def run_events(
        self, info: Info, run_id: strawberry.ID, after: str | None = None
    ) -> AsyncGenerator[RunEventBatch, None]:
        storage = info.context.instance.storage
        cursor = int(after) if after else None
        stop = threading.Event()  # set when the client goes: the waiting thread returns
        first = True
        try:
            while True:
                run = await anyio.to_thread.run_sync(storage.get_run_by_id, str(run_id),
                                                     limiter=_waiters())  # fmt: skip
                finished = run is None or run.is_finished  # read before the events: no gap
                wait = functools.partial(
                    storage.wait_for_run_events, str(run_id), cursor, limit=BATCH_SIZE,
                    timeout=0 if finished else WAIT_SECONDS, stop=stop,
                )  # fmt: skip
                records = await anyio.to_thread.run_sync(wait, limiter=_waiters())
                if records:
                    cursor = records[-1].storage_id
                done = finished and len(records) < BATCH_SIZE
                if records or first or done:
                    yield RunEventBatch(
                        events=[Event(_record=r) for r in records],
                        cursor=None if cursor is None else str(cursor),
                        run_status=None if run is None else run.status, is_finished=done,
                    )  # fmt: skip
                    first = False
                if done:
                    return
        finally:
            stop.set()

    @strawberry.subscription(
        description="Every code location, sent at once and again whenever one changes (status, "
        "load error, definitions: a hot reload under `headwater dev`)."
    )
    async def code_locations(self, info: Info) -> AsyncGenerator[list[CodeLocation], None]:
        state = info.context.state
        last = None
        while True:
            views = await anyio.to_thread.run_sync(state.locations, limiter=_waiters())
            seen = tuple((v.state.name, v.state.status, v.state.snapshot_id, v.state.error,
                          v.snapshot_is_stale) for v in views)  # fmt: skip
            if seen != last:
                last = seen
                yield [CodeLocation(_view=v) for v in views]
            await anyio.sleep(LOCATION_POLL_SECONDS)
