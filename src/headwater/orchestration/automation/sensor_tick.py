"""One tick of an automation sensor, evaluated where the ``Definitions`` are: the code server.

The daemon never imports user code, and conditions are Python objects (the snapshot only
carries their text), so the location's code server evaluates the tick
(``POST /automation-sensors/{name}/tick``) against the instance and answers with what to run,
grouped into runs, the evaluations to store and the next cursor; the daemon
(:mod:`headwater.daemon.automation`) then launches the runs through the run queue and stores
the tick, the evaluations and the cursor.

Sensors: every ``AutomationConditionSensorDefinition`` evaluates its ``target``; the default
automation sensor :data:`DEFAULT_SENSOR_NAME` evaluates every asset with an
``automation_condition`` that no such sensor targets.

Runs: requested asset partitions are grouped by partition key (and partitions definition):
one run per partition key holding every asset requested for it, one run for the requested
unpartitioned assets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from headwater.keys import AssetKey
from headwater.orchestration.automation.engine import (
    EvaluateAutomationConditionsResult,
    evaluate_automation_conditions,
)
from headwater.orchestration.automation.records import signature, to_record

#: The sensor that evaluates the assets no user-declared automation sensor targets.
DEFAULT_SENSOR_NAME = "default_automation_condition_sensor"

# (location, sensor) -> asset key string -> signature of the last evaluation handed out
_signatures: dict[tuple[str, str], dict[str, int]] = {}


def automation_sensors(defs: Any) -> list[Any]:
    """The ``AutomationConditionSensorDefinition`` objects of ``defs``."""
    from headwater.declarations.automation.automation_condition_sensor import (
        AutomationConditionSensorDefinition,
    )

    sensors = [defs.get_sensor_def(n) for n in defs.sensor_names]
    return [s for s in sensors if isinstance(s, AutomationConditionSensorDefinition)]


def sensor_targets(defs: Any, name: str) -> tuple[list[AssetKey], Any, dict[str, str]]:
    """The keys sensor ``name`` evaluates, its default condition and its run tags.

    Raises:
        KeyError: no automation sensor has that name.
    """
    from headwater.asset_graph.selection import AssetSelection

    graph = defs.resolve_asset_graph()
    sensors = automation_sensors(defs)
    if name == DEFAULT_SENSOR_NAME and all(s.name != name for s in sensors):
        taken: set[AssetKey] = set()
        for sensor in sensors:
            taken |= AssetSelection.from_coercible(sensor.asset_selection).resolve(graph)
        keys = [k for k in graph.toposorted_keys if k not in taken]
        return keys, None, {}
    for sensor in sensors:
        if sensor.name == name:
            chosen = AssetSelection.from_coercible(sensor.asset_selection).resolve(graph)
            keys = [k for k in graph.toposorted_keys if k in chosen]
            return keys, sensor.default_condition, dict(sensor.run_tags)
    raise KeyError(name)


def evaluate_sensor_tick(
    defs: Any,
    instance: Any,
    *,
    location_name: str,
    sensor_name: str,
    cursor: str | None,
    evaluation_time: datetime | None = None,
    fresh: bool = False,
) -> dict[str, Any]:
    """Evaluate one tick of an automation sensor; the answer as JSON-able data.

    Args:
        defs: the location's ``Definitions``.
        instance: the instance to read.
        location_name / sensor_name: which sensor.
        cursor: the cursor the previous tick left (``None``: the first tick).
        evaluation_time: the tick's time (default: now).
        fresh: hand out every evaluation (the daemon just started and stored none yet), not
            only those that changed since the last tick answered.

    Returns:
        ``{"cursor", "evaluation_id", "timestamp", "total_requested", "runs": [{"asset_keys",
        "partition_key", "tags"}], "evaluations": [{"asset_key", "num_requested", "body"}]}``.

    Raises:
        KeyError: no automation sensor has that name.
    """
    keys, default_condition, run_tags = sensor_targets(defs, sensor_name)
    result = evaluate_automation_conditions(
        defs, instance, asset_selection=keys, cursor=cursor, evaluation_time=evaluation_time,
        default_condition=default_condition,
    )  # fmt: skip
    tick = result.evaluation_id
    seen = _signatures.setdefault((location_name, sensor_name), {})
    if fresh:
        seen.clear()
    timestamp = result.evaluation_time.timestamp()
    evaluations = []
    for evaluation in result.evaluations:
        sig = signature(evaluation)
        if not evaluation.requested and seen.get(evaluation.view.name) == sig:
            continue
        seen[evaluation.view.name] = sig
        record = to_record(evaluation, evaluation_id=tick, timestamp=timestamp,
                           sensor_name=f"{location_name}:{sensor_name}")  # fmt: skip
        item = {"asset_key": evaluation.key.path, "body": record.body}
        evaluations.append({**item, "num_requested": record.num_requested})
    return {
        "cursor": result.cursor, "evaluation_id": tick, "timestamp": timestamp,
        "total_requested": result.total_requested, "runs": group_runs(result, run_tags, defs),
        "evaluations": evaluations,
    }  # fmt: skip


def group_runs(
    result: EvaluateAutomationConditionsResult, tags: dict[str, str], defs: Any = None
) -> list[Any]:
    """The runs to launch: one per (partitions definition, partition key), one for the
    unpartitioned assets; assets in topological order inside a run. A requested asset of a
    multi-asset that cannot be subset brings the multi-asset's other assets into its run
    (they are materialized together anyway)."""
    groups: dict[tuple[int, str | None], list[AssetKey]] = {}
    for evaluation in result.evaluations:  # topological order
        partitions_id = id(evaluation.view.partitions_def)
        for partition in sorted(evaluation.requested, key=lambda k: (k is not None, k or "")):
            groups.setdefault((partitions_id, partition), []).append(evaluation.key)
    runs = []
    for (_, partition), keys in groups.items():
        if defs is not None:
            keys = _whole_multi_assets(defs, keys)
        runs.append({"asset_keys": [k.path for k in keys], "partition_key": partition,
                     "tags": {**tags, "headwater/automation": "true"}})  # fmt: skip
    return runs


def _whole_multi_assets(defs: Any, keys: list[AssetKey]) -> list[AssetKey]:
    wanted = set(keys)
    for key in keys:
        assets_def = defs.assets_by_key.get(key)
        if assets_def is not None and not assets_def.can_subset and not assets_def.is_external:
            wanted |= set(assets_def.keys)
    if len(wanted) == len(keys):
        return keys
    return [k for k in defs.resolve_asset_graph().toposorted_keys if k in wanted]


def automation_tick_route(state: Any, name: str | None, body: dict[str, Any]) -> dict[str, Any]:
    """Handle ``POST /automation-sensors/{name}/tick`` for the code server's loaded location.

    Body: ``{"cursor", "evaluation_time": {"iso", "timezone"} | null, "instance_home",
    "fresh"}``; the answer is :func:`evaluate_sensor_tick`'s.

    Raises:
        DefinitionError: no automation sensor has that name.
        InvalidInvocationError: no instance to read.
    """
    from headwater.errors import DefinitionError, InvalidInvocationError
    from headwater.orchestration.code_server_protocol import datetime_from_json

    instance = state.instance(body.get("instance_home"))
    if instance is None:
        raise InvalidInvocationError(
            "POST /automation-sensors/{name}/tick needs instance_home (or a code server "
            "started with HEADWATER_HOME)."
        )
    raw_time = body.get("evaluation_time")
    cursor = body.get("cursor")
    try:
        return evaluate_sensor_tick(
            state.definitions, instance, location_name=state.location_name,
            sensor_name=str(name), cursor=cursor if isinstance(cursor, str) else None,
            evaluation_time=None if raw_time is None else datetime_from_json(raw_time),
            fresh=bool(body.get("fresh")),
        )  # fmt: skip
    except KeyError:
        names = [DEFAULT_SENSOR_NAME, *(s.name for s in automation_sensors(state.definitions))]
        raise DefinitionError(
            f"No automation sensor named {name!r} in location {state.location_name!r}; the "
            f"automation sensors are {names}."
        ) from None
