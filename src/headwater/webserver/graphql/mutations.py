"""The root Mutation type: every mutation returns a payload with user errors (absent under
``--read-only``)."""

from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from headwater.errors import HeadwaterError
from headwater.webserver.graphql.backfill_mutations import (
    BackfillPayload,
    LaunchBackfillInput,
    launch_backfill,
    resume_backfill,
)
from headwater.webserver.graphql.common import AssetKey, AssetKeyInput, TagInput, UserError
from headwater.webserver.graphql.instigators import InstigatorPayload, change_instigator
from headwater.webserver.graphql.locations import Backfill, CodeLocation
from headwater.webserver.graphql.runs import Run, run_by_id
from headwater.webserver.launching import LaunchFailure, submit_to_location


@strawberry.input(description="A range of partition keys, both ends included.")
class PartitionRangeInput:
    start: str
    end: str


@strawberry.input(description="What to materialize: assets of one code location.")
class MaterializeInput:
    asset_keys: list[AssetKeyInput] = strawberry.field(
        default_factory=list, description="The assets to materialize."
    )
    selection: str | None = strawberry.field(
        default=None,
        description="More assets, in the selection grammar (e.g. 'group:raw+', 'tag:team=data'); "
        "external assets it names are left out.",
    )
    partition_key: str | None = strawberry.field(default=None, description="One partition.")
    partition_range: PartitionRangeInput | None = strawberry.field(
        default=None, description="A range of partitions, materialized by one run."
    )
    tags: list[TagInput] | None = None
    run_config: JSON | None = strawberry.field(default=None, description="The run config.")


@strawberry.input(description="A job to launch, with its config.")
class LaunchJobInput:
    location_name: str
    job_name: str
    run_config: JSON | None = None
    tags: list[TagInput] | None = None
    partition_key: str | None = None
    asset_keys: list[AssetKeyInput] | None = strawberry.field(
        default=None, description="Only these assets of an asset job."
    )


@strawberry.enum(description="What of a past run to execute again.")
class ReexecutionStrategy(Enum):
    ALL_STEPS = "ALL_STEPS"
    FROM_FAILURE = "FROM_FAILURE"


@strawberry.input(description="A past run to execute again.")
class ReexecuteInput:
    run_id: strawberry.ID
    strategy: ReexecutionStrategy = ReexecutionStrategy.ALL_STEPS
    step_keys: list[str] | None = strawberry.field(
        default=None, description="Only these steps (with ALL_STEPS)."
    )
    tags: list[TagInput] | None = None


@strawberry.type(description="The run a mutation created, or why none was.")
class LaunchRunPayload:
    run: Run | None
    errors: list[UserError]


@strawberry.type(description="What terminating one run did.")
class TerminationResult:
    run_id: str
    changed: bool = strawberry.field(description="Whether the run was stopped or canceled.")
    message: str
    run: Run | None


@strawberry.type(description="What terminating runs did.")
class TerminateRunsPayload:
    results: list[TerminationResult]
    errors: list[UserError]


@strawberry.type(description="The keys of a dynamic partitions definition after the change.")
class DynamicPartitionsPayload:
    partitions_def_name: str
    partition_keys: list[str]
    errors: list[UserError]


@strawberry.enum(description="The kind of a reported asset event.")
class AssetEventType(Enum):
    MATERIALIZATION = "MATERIALIZATION"
    OBSERVATION = "OBSERVATION"


@strawberry.input(description="An asset event that happened outside any run.")
class ReportAssetEventInput:
    asset_key: AssetKeyInput
    event_type: AssetEventType = AssetEventType.MATERIALIZATION
    partition_keys: list[str] | None = strawberry.field(
        default=None, description="One event per partition; none: the unpartitioned asset."
    )
    description: str | None = None
    metadata: JSON | None = strawberry.field(
        default=None, description='Raw values by label, e.g. {"row_count": 10}.'
    )


@strawberry.type(description="The storage ids of the reported events.")
class ReportAssetEventsPayload:
    storage_ids: list[str]
    errors: list[UserError]


@strawberry.type(description="The assets whose history was wiped.")
class WipeAssetsPayload:
    asset_keys: list[AssetKey]
    errors: list[UserError]


@strawberry.type(description="The code location being reloaded.")
class ReloadCodeLocationPayload:
    location: CodeLocation | None
    errors: list[UserError]


def selected_paths(index: Any, selection: str) -> list[tuple[str, ...]]:
    """The key paths of the materializable assets ``selection`` (the grammar) names.

    Raises:
        InvalidSelectionError: the text does not parse, or names an unknown asset.
    """
    from headwater.asset_graph.selection import AssetSelection

    graph = index.graph()
    keys = AssetSelection.from_string(selection).resolve(graph)
    found = [tuple(k.path) for k in keys if graph.get(k).is_materializable]
    return sorted(found)


def _launched(info: Info, result: str | LaunchFailure) -> LaunchRunPayload:
    if isinstance(result, LaunchFailure):
        return LaunchRunPayload(run=None, errors=[UserError(message=result.message,
                                                            kind=result.kind)])  # fmt: skip
    return LaunchRunPayload(run=run_by_id(info.context.instance, result), errors=[])


def _tags(tags: list[TagInput] | None) -> dict[str, str] | None:
    return None if tags is None else {t.key: t.value for t in tags}


def _error(message: str, kind: str = "INVALID", field: str | None = None) -> list[UserError]:
    return [UserError(message=message, kind=kind, field=field)]


@strawberry.type(description="Change the instance's state: launch, stop, wipe, reload.")
class Mutation:
    @strawberry.mutation(
        description="Materialize assets of one code location (optionally one partition or a "
        "range): a run is created, validated by the location's code server, and queued for "
        "the daemon (or launched at once when no daemon runs)."
    )
    def materialize(self, info: Info, input: MaterializeInput) -> LaunchRunPayload:
        index = info.context.index()
        paths = [tuple(k.path) for k in input.asset_keys]
        if input.selection:
            try:
                paths += selected_paths(index, input.selection)
            except HeadwaterError as exc:
                return LaunchRunPayload(run=None, errors=_error(str(exc), field="selection"))
        paths = list(dict.fromkeys(paths))
        if not paths:
            return LaunchRunPayload(
                run=None,
                errors=_error(
                    "Select at least one asset (assetKeys or selection).", field="assetKeys"
                ),
            )
        locations, unknown = set(), []
        for path in paths:
            node = index.nodes.get(path)
            if node is None:
                unknown.append("/".join(path))
            else:
                locations.add(node.location_name)
        if unknown:
            return LaunchRunPayload(
                run=None,
                errors=_error(
                    f"No code location declares the assets {unknown}.", "NOT_FOUND", "assetKeys"
                ),
            )
        if len(locations) > 1:
            return LaunchRunPayload(
                run=None,
                errors=_error(
                    f"The assets belong to several code locations ({sorted(locations)}); "
                    "materialize each location's assets separately.",
                    field="assetKeys",
                ),
            )
        request: dict[str, Any] = {
            "asset_selection": [list(p) for p in paths],
            "partition_key": input.partition_key,
            "tags": _tags(input.tags),
            "run_config": input.run_config,
        }
        if input.partition_range is not None:
            request["partition_key_range"] = [input.partition_range.start,
                                              input.partition_range.end]  # fmt: skip
        return _launched(info, submit_to_location(info.context.state, locations.pop(), request))

    @strawberry.mutation(description="Launch a job of a code location with its run config.")
    def launch_job(self, info: Info, input: LaunchJobInput) -> LaunchRunPayload:
        request = {
            "job_name": input.job_name, "run_config": input.run_config,
            "tags": _tags(input.tags), "partition_key": input.partition_key,
            "asset_selection": None if input.asset_keys is None
            else [list(k.path) for k in input.asset_keys],
        }  # fmt: skip
        return _launched(info, submit_to_location(info.context.state, input.location_name, request))

    @strawberry.mutation(description="Execute a past run again: all of it, or from failure.")
    def reexecute_run(self, info: Info, input: ReexecuteInput) -> LaunchRunPayload:
        parent = info.context.instance.get_run_by_id(str(input.run_id))
        if parent is None:
            return LaunchRunPayload(
                run=None, errors=_error(f"No run with id {input.run_id!r}.", "NOT_FOUND", "runId")
            )
        if parent.job_origin is None:
            return LaunchRunPayload(
                run=None,
                errors=_error(
                    f"Run {parent.run_id} was not launched from a code location (a script's "
                    "materialize()): re-execute it where it ran.",
                    "INVALID",
                    "runId",
                ),
            )
        request = {"tags": _tags(input.tags), "reexecute": {
            "parent_run_id": parent.run_id,
            "from_failure": input.strategy is ReexecutionStrategy.FROM_FAILURE,
            "step_selection": input.step_keys}}  # fmt: skip
        name = parent.job_origin.location.location_name
        return _launched(info, submit_to_location(info.context.state, name, request))

    @strawberry.mutation(
        description="Stop runs: cancel those not started, signal the workers of the others."
    )
    def terminate_runs(self, info: Info, run_ids: list[strawberry.ID]) -> TerminateRunsPayload:
        from headwater.orchestration.termination import terminate_run

        instance, results, errors = info.context.instance, [], []
        for run_id in run_ids:
            try:
                done = terminate_run(instance, str(run_id), grace_seconds=5.0)
            except HeadwaterError as exc:
                errors.append(UserError(message=str(exc), kind="NOT_FOUND", field="runIds"))
                continue
            results.append(TerminationResult(run_id=str(run_id), changed=done.changed,
                                             message=done.message,
                                             run=run_by_id(instance, str(run_id))))  # fmt: skip
        return TerminateRunsPayload(results=results, errors=errors)

    @strawberry.mutation(description="Add keys to a dynamic partitions definition.")
    def add_dynamic_partitions(
        self, info: Info, partitions_def_name: str, partition_keys: list[str]
    ) -> DynamicPartitionsPayload:
        instance = info.context.instance
        try:
            instance.add_dynamic_partitions(partitions_def_name, partition_keys)
            errors: list[UserError] = []
        except HeadwaterError as exc:
            errors = _error(str(exc), field="partitionKeys")
        return DynamicPartitionsPayload(
            partitions_def_name=partitions_def_name, errors=errors,
            partition_keys=instance.get_dynamic_partitions(partitions_def_name))  # fmt: skip

    @strawberry.mutation(description="Delete keys of a dynamic partitions definition.")
    def delete_dynamic_partitions(
        self, info: Info, partitions_def_name: str, partition_keys: list[str]
    ) -> DynamicPartitionsPayload:
        instance = info.context.instance
        for key in partition_keys:
            instance.delete_dynamic_partition(partitions_def_name, key)
        return DynamicPartitionsPayload(
            partitions_def_name=partitions_def_name, errors=[],
            partition_keys=instance.get_dynamic_partitions(partitions_def_name))  # fmt: skip

    @strawberry.mutation(
        description="Record materializations or observations that happened outside any run."
    )
    def report_runless_asset_events(
        self, info: Info, input: ReportAssetEventInput
    ) -> ReportAssetEventsPayload:
        from headwater.declarations.results import AssetMaterialization, AssetObservation

        cls = (AssetMaterialization if input.event_type is AssetEventType.MATERIALIZATION
               else AssetObservation)  # fmt: skip
        if input.metadata is not None and not isinstance(input.metadata, dict):
            return ReportAssetEventsPayload(
                storage_ids=[],
                errors=_error("metadata must be an object of values by label.", field="metadata"),
            )
        ids = []
        try:
            partitions: list[str | None] = (
                [*input.partition_keys] if input.partition_keys else [None]
            )
            for partition in partitions:
                event = cls(asset_key=input.asset_key.to_key(), description=input.description,
                            metadata=input.metadata or {}, partition=partition)  # fmt: skip
                ids.append(str(info.context.instance.report_runless_asset_event(event)))
        except HeadwaterError as exc:
            return ReportAssetEventsPayload(storage_ids=ids, errors=_error(str(exc)))
        return ReportAssetEventsPayload(storage_ids=ids, errors=[])

    @strawberry.mutation(description="Forget the materialization and observation history.")
    def wipe_assets(self, info: Info, asset_keys: list[AssetKeyInput]) -> WipeAssetsPayload:
        keys = [k.to_key() for k in asset_keys]
        info.context.instance.wipe_assets(keys)
        return WipeAssetsPayload(asset_keys=[AssetKey.of(k) for k in keys], errors=[])

    @strawberry.mutation(
        description="Start a code location's server again (to pick up code changes or retry a "
        "load error); the location is STARTING until it answers."
    )
    def reload_code_location(self, info: Info, name: str) -> ReloadCodeLocationPayload:
        state = info.context.state
        try:
            state.manager.reload(name)
        except HeadwaterError as exc:
            return ReloadCodeLocationPayload(location=None, errors=_error(str(exc), "NOT_FOUND",
                                                                          "name"))  # fmt: skip
        view = state.location(name)
        found = None if view is None else CodeLocation(_view=view)
        return ReloadCodeLocationPayload(location=found, errors=[])

    @strawberry.mutation(
        description="Start a schedule: the daemon evaluates it from its next cron tick on (no "
        "catch-up of the ticks before)."
    )
    def start_schedule(self, info: Info, location_name: str, name: str) -> InstigatorPayload:
        return change_instigator(info, "SCHEDULE", location_name, name, running=True)

    @strawberry.mutation(description="Stop a schedule.")
    def stop_schedule(self, info: Info, location_name: str, name: str) -> InstigatorPayload:
        return change_instigator(info, "SCHEDULE", location_name, name, running=False)

    @strawberry.mutation(description="Start a sensor: the daemon evaluates it again.")
    def start_sensor(self, info: Info, location_name: str, name: str) -> InstigatorPayload:
        return change_instigator(info, "SENSOR", location_name, name, running=True)

    @strawberry.mutation(description="Stop a sensor.")
    def stop_sensor(self, info: Info, location_name: str, name: str) -> InstigatorPayload:
        return change_instigator(info, "SENSOR", location_name, name, running=False)

    @strawberry.mutation(description="Set (or with null, clear) a sensor's cursor.")
    def set_sensor_cursor(
        self, info: Info, location_name: str, name: str, cursor: str | None = None
    ) -> InstigatorPayload:
        return change_instigator(info, "SENSOR", location_name, name, running=None,
                                 cursor=cursor, set_cursor=True)  # fmt: skip

    @strawberry.mutation(
        description="Cancel a backfill: no new run starts (CANCELING while one of its runs is "
        "in progress, then CANCELED); a finished backfill is left as it is."
    )
    def cancel_backfill(self, info: Info, backfill_id: strawberry.ID) -> BackfillPayload:
        from headwater.orchestration.backfills.launch import cancel_backfill

        try:
            found = cancel_backfill(info.context.instance, str(backfill_id))
        except HeadwaterError as exc:
            return BackfillPayload(backfill=None, errors=_error(str(exc), "NOT_FOUND",
                                                                "backfillId"))  # fmt: skip
        return BackfillPayload(backfill=Backfill(_backfill=found), errors=[])

    @strawberry.mutation(
        description="Launch a backfill over partitions of assets of one code location: planned "
        "by the location's code server and stored for the daemon, which queues its runs "
        "(as `headwater backfill launch --background`)."
    )
    def launch_backfill(self, info: Info, input: LaunchBackfillInput) -> BackfillPayload:
        return launch_backfill(info, input)

    @strawberry.mutation(
        description="Resume a FAILED, CANCELED or COMPLETED_FAILED background backfill: the "
        "daemon runs again what never ran, failed or was skipped (never what succeeded)."
    )
    def resume_backfill(self, info: Info, backfill_id: strawberry.ID) -> BackfillPayload:
        return resume_backfill(info, backfill_id)
