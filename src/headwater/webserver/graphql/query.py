"""The root Query type."""

from importlib.metadata import PackageNotFoundError, version

import strawberry
from strawberry.types import Info

from headwater.webserver.graphql.asset_graph import AssetGraph, asset_graph
from headwater.webserver.graphql.assets import Asset
from headwater.webserver.graphql.common import (
    MAX_PAGE,
    AssetKey,
    AssetKeyInput,
    PageInfo,
    decode_cursor,
    encode_cursor,
    page_size,
)
from headwater.webserver.graphql.events import EventConnection
from headwater.webserver.graphql.instigators import Schedule, Sensor
from headwater.webserver.graphql.locations import (
    Backfill,
    CodeLocation,
    DaemonHealth,
    Job,
    daemon_health,
    everything,
)
from headwater.webserver.graphql.runs import (
    CapturedLog,
    Run,
    RunConnection,
    RunsFilter,
    RunsOrder,
    captured_logs,
    run_by_id,
    run_events,
    runs_connection,
)

#: The most assets one page of `assets` returns.
MAX_ASSET_PAGE = 20_000


@strawberry.input(description="Which assets to list; every given field must match.")
class AssetsFilter:
    groups: list[str] | None = strawberry.field(default=None, description="Any of these groups.")
    kinds: list[str] | None = strawberry.field(default=None, description="Any of these kinds.")
    location_name: str | None = None
    key_prefix: list[str] | None = strawberry.field(
        default=None, description="Keys starting with these parts."
    )
    text: str | None = strawberry.field(
        default=None, description="Keys whose 'a/b' form contains this text (case-insensitive)."
    )


@strawberry.type(description="A page of assets, in location then declaration order.")
class AssetConnection:
    nodes: list[Asset]
    page_info: PageInfo
    total_count: int = strawberry.field(description="How many assets match (all pages).")


@strawberry.type(description="A group of assets.")
class AssetGroup:
    name: str
    location_name: str
    asset_count: int


@strawberry.type(description="The webserver itself.")
class ServerInfo:
    version: str = strawberry.field(description="headwater's version.")
    read_only: bool = strawberry.field(description="Whether the API offers no mutation.")


@strawberry.type(description="Read the workspace's definitions and the instance's state.")
class Query:
    @strawberry.field(description="The webserver: version and whether it is read-only.")
    def server(self, info: Info) -> ServerInfo:
        return ServerInfo(version=_version(), read_only=info.context.state.read_only)

    @strawberry.field(
        description="Assets of every code location, filtered; `first` defaults to all of them "
        f"(at most {MAX_ASSET_PAGE:,} per page)."
    )
    def assets(
        self, info: Info, filter: AssetsFilter | None = None, first: int | None = None,
        after: str | None = None,
    ) -> AssetConnection:  # fmt: skip
        nodes = list(info.context.index().nodes.values())
        if filter is not None:
            nodes = [n for n in nodes if _matches(n, filter)]
        start = 0
        if after is not None:
            start = int(decode_cursor("assets", after) or 0)
        limit = MAX_ASSET_PAGE if first is None else first
        if limit < 1 or limit > MAX_ASSET_PAGE:
            raise ValueError(f"first must be between 1 and {MAX_ASSET_PAGE}, got {first}.")
        page = nodes[start : start + limit]
        end = start + len(page)
        return AssetConnection(
            nodes=[Asset(_node=n) for n in page], total_count=len(nodes),
            page_info=PageInfo(has_next_page=end < len(nodes),
                               end_cursor=encode_cursor("assets", end) if page else None),
        )  # fmt: skip

    @strawberry.field(description="One asset by key, or null when no location declares it.")
    def asset(self, info: Info, key: AssetKeyInput) -> Asset | None:
        node = info.context.index().nodes.get(tuple(key.path))
        return None if node is None else Asset(_node=node)

    @strawberry.field(
        description="Every asset in one column-wise answer (keys, groups, dependencies, "
        "kinds, owners, tags, statuses): what the lineage graph and the catalog draw."
    )
    def asset_graph(self, info: Info) -> AssetGraph:
        return asset_graph(info.context)

    @strawberry.field(description="Every asset key of the workspace (the cheapest listing).")
    def asset_keys(self, info: Info) -> list[AssetKey]:
        return [AssetKey(path=list(p)) for p in info.context.index().nodes]

    @strawberry.field(
        description="The assets a selection in the grammar names ('group:raw+', 'key:a*', "
        "'tag:team=data'...), to preview what a materialization would take."
    )
    def select_assets(self, info: Info, selection: str) -> list[AssetKey]:
        from headwater.asset_graph.selection import AssetSelection

        graph = info.context.index().graph()
        keys = AssetSelection.from_string(selection).resolve(graph)
        return [AssetKey(path=list(k.path)) for k in sorted(keys, key=lambda k: k.path)]

    @strawberry.field(description="The asset groups of every location.")
    def asset_groups(self, info: Info) -> list[AssetGroup]:
        counts: dict[tuple[str, str], int] = {}
        for node in info.context.index().nodes.values():
            group = (node.location_name, node.snapshot.group_name)
            counts[group] = counts.get(group, 0) + 1
        return [AssetGroup(name=g, location_name=loc, asset_count=n)
                for (loc, g), n in sorted(counts.items())]  # fmt: skip

    @strawberry.field(description=f"Runs, newest first by default ({MAX_PAGE} per page at most).")
    def runs(
        self, info: Info, filter: RunsFilter | None = None, first: int | None = 50,
        after: str | None = None, order: RunsOrder = RunsOrder.NEWEST_FIRST,
    ) -> RunConnection:  # fmt: skip
        return runs_connection(info.context.instance, filter, first, after, order)

    @strawberry.field(description="One run by id, or null.")
    def run(self, info: Info, run_id: strawberry.ID) -> Run | None:
        return run_by_id(info.context.instance, str(run_id))

    @strawberry.field(
        description="A run's events, oldest first, after the cursor `after` (the `endCursor` "
        "of the previous page, or of a subscription batch)."
    )
    def run_events(
        self, info: Info, run_id: strawberry.ID, after: str | None = None,
        first: int | None = 1000, event_types: list[str] | None = None,
    ) -> EventConnection:  # fmt: skip
        return run_events(info.context.instance, str(run_id), after, first, event_types)

    @strawberry.field(description="What a run's steps printed (stdout/stderr).")
    def captured_logs(
        self, info: Info, run_id: strawberry.ID, step_key: str | None = None
    ) -> list[CapturedLog]:
        return captured_logs(info.context.instance, str(run_id), step_key)

    @strawberry.field(description="Every code location with its state and load error.")
    def code_locations(self, info: Info) -> list[CodeLocation]:
        return [CodeLocation(_view=v) for v in info.context.state.locations()]

    @strawberry.field(description="One code location by name, or null.")
    def code_location(self, info: Info, name: str) -> CodeLocation | None:
        view = info.context.state.location(name)
        return None if view is None else CodeLocation(_view=view)

    @strawberry.field(description="The jobs of every code location.")
    def jobs(self, info: Info) -> list[Job]:
        return everything(info, "jobs", Job, "_job")

    @strawberry.field(description="The schedules of every code location.")
    def schedules(self, info: Info) -> list[Schedule]:
        return everything(info, "schedules", Schedule, "_schedule")

    @strawberry.field(description="The sensors of every code location.")
    def sensors(self, info: Info) -> list[Sensor]:
        return everything(info, "sensors", Sensor, "_sensor")

    @strawberry.field(description="Backfills, newest first; `after` is the last id seen.")
    def backfills(
        self, info: Info, first: int | None = 50, after: str | None = None
    ) -> list[Backfill]:
        found = info.context.instance.get_backfills(limit=page_size(first), cursor=after)
        return [Backfill(_backfill=b) for b in found]

    @strawberry.field(description="The daemon's health, from its heartbeats.")
    def daemon_health(self, info: Info) -> DaemonHealth:
        return daemon_health(info.context.instance)


def _matches(node: object, flt: AssetsFilter) -> bool:
    snap = node.snapshot  # type: ignore[attr-defined]
    if flt.groups is not None and snap.group_name not in flt.groups:
        return False
    if flt.kinds is not None and not set(flt.kinds) & set(snap.kinds):
        return False
    if flt.location_name is not None and node.location_name != flt.location_name:  # type: ignore[attr-defined]
        return False
    if flt.key_prefix is not None and list(snap.key_path[: len(flt.key_prefix)]) != flt.key_prefix:
        return False
    return flt.text is None or flt.text.lower() in "/".join(snap.key_path).lower()


def _version() -> str:
    try:
        return version("headwater")
    except PackageNotFoundError:
        return "unknown"
