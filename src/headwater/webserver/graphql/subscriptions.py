"""The root Subscription type (graphql-transport-ws over a websocket at ``/graphql``).

Both subscriptions poll: storage by event storage id (one indexed query per poll, nothing read
again), the workspace manager's states in memory.
"""

import functools
from collections.abc import AsyncGenerator

import anyio
import anyio.to_thread
import strawberry
from strawberry.types import Info

from headwater.webserver.graphql.events import Event
from headwater.webserver.graphql.locations import CodeLocation
from headwater.webserver.graphql.runs import RunStatus

#: Seconds between two polls of storage for a run's new events.
EVENT_POLL_SECONDS = 0.2
#: Seconds between two looks at the code locations' states.
LOCATION_POLL_SECONDS = 0.25
#: The most events one batch carries.
BATCH_SIZE = 1000


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
        instance = info.context.instance
        cursor = int(after) if after else None
        first = True
        while True:
            run = await anyio.to_thread.run_sync(instance.get_run_by_id, str(run_id))
            result = await anyio.to_thread.run_sync(
                functools.partial(instance.get_records_for_run, str(run_id), cursor=cursor,
                                  limit=BATCH_SIZE)
            )  # fmt: skip
            records = list(result.records)
            if records:
                cursor = records[-1].storage_id
            finished = run is None or (run.is_finished and not result.has_more)
            if records or first or finished:
                yield RunEventBatch(
                    events=[Event(_record=r) for r in records],
                    cursor=None if cursor is None else str(cursor),
                    run_status=None if run is None else run.status, is_finished=finished,
                )  # fmt: skip
                first = False
            if finished:
                return
            if not result.has_more:
                await anyio.sleep(EVENT_POLL_SECONDS)

    @strawberry.subscription(
        description="Every code location, sent at once and again whenever one changes (status, "
        "load error, definitions: a hot reload under `headwater dev`)."
    )
    async def code_locations(self, info: Info) -> AsyncGenerator[list[CodeLocation], None]:
        state = info.context.state
        last = None
        while True:
            views = await anyio.to_thread.run_sync(state.locations)
            seen = tuple((v.state.name, v.state.status, v.state.snapshot_id, v.state.error,
                          v.snapshot_is_stale) for v in views)  # fmt: skip
            if seen != last:
                last = seen
                yield [CodeLocation(_view=v) for v in views]
            await anyio.sleep(LOCATION_POLL_SECONDS)
