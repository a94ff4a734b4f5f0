"""Building a :class:`DefinitionsSnapshot` from the indexes of a loaded ``Definitions``.

One pass over the asset graph's topological order; partitions definitions and automation
conditions shared by many assets are described once (cached by identity).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from headwater.declarations._gc import paused_gc
from headwater.keys import AssetKey
from headwater.metadata import metadata_to_json, normalize_metadata
from headwater.orchestration.definitions_snapshot import (
    AssetCheckSnapshot,
    AssetSnapshot,
    DefinitionsSnapshot,
    JobSnapshot,
    KeyPath,
    ResourceSnapshot,
    ScheduleSnapshot,
    SensorSnapshot,
)
from headwater.orchestration.partitions_snapshot import PartitionsSnapshot


def build_snapshot(definitions: Any, *, location_name: str) -> DefinitionsSnapshot:
    """See :func:`headwater.orchestration.definitions_snapshot.snapshot_definitions`."""
    checks = _checks(definitions)
    tables = _Tables()
    with paused_gc():  # tens of thousands of new objects that all survive
        assets = _assets(definitions, checks, tables)
    return DefinitionsSnapshot(
        location_name=location_name,
        assets=assets,
        checks=checks,
        partitions=tuple(tables.partitions),
        automation_conditions=tuple(tables.conditions),
        jobs=tuple(_job(definitions.get_job_def(name)) for name in definitions.job_names),
        schedules=tuple(
            _schedule(definitions.get_schedule_def(n)) for n in definitions.schedule_names
        ),
        sensors=tuple(_sensor(definitions.get_sensor_def(n)) for n in definitions.sensor_names),
        resources=tuple(
            ResourceSnapshot(key=key, type=_type_name(definitions.resources[key]))
            for key in sorted(definitions.resources)
        ),
        metadata=_metadata(definitions.metadata, "Definitions"),
    )


class _Tables:
    """The snapshot's tables of distinct partitions definitions and condition texts, each
    described once. Lookups go by identity first: equal values that are distinct objects
    (``eager()`` written on every asset) are compared by value only once per object."""

    def __init__(self) -> None:
        self.partitions: list[PartitionsSnapshot] = []
        self.conditions: list[str] = []
        self._by_id: dict[int, tuple[Any, int]] = {}  # the object is kept: its id stays unique
        self._by_value: dict[Any, int] = {}

    def partitions_ref(self, partitions_def: Any) -> int | None:
        if partitions_def is None:
            return None
        found = self._by_id.get(id(partitions_def))
        return found[1] if found is not None else self._ref(partitions_def, self.partitions)

    def condition_ref(self, condition: Any) -> int | None:
        if condition is None:
            return None
        found = self._by_id.get(id(condition))
        return found[1] if found is not None else self._ref(condition, self.conditions)

    def _ref(self, value: Any, table: list[Any]) -> int:
        ref = self._by_value.get(value)
        if ref is None:
            if table is self.partitions:
                table.append(PartitionsSnapshot.from_partitions_def(value))
            else:
                table.append(value.describe())
            ref = self._by_value[value] = len(table) - 1
        self._by_id[id(value)] = (value, ref)
        return ref


def _assets(
    definitions: Any, checks: tuple[AssetCheckSnapshot, ...], tables: _Tables
) -> tuple[AssetSnapshot, ...]:
    from headwater.declarations.assets.observable import ObservableSourceAsset

    check_names: dict[KeyPath, list[str]] = {}
    for check in checks:
        check_names.setdefault(check.asset_path, []).append(check.name)
    sorted_kinds: dict[int, tuple[Any, tuple[str, ...]]] = {}  # kinds sets are interned
    out = []
    for assets_def, spec in _specs(definitions):
        key = spec.key
        path = _path(key)
        external = assets_def.compute_fn is None
        kinds = spec.kinds
        if kinds:
            cached = sorted_kinds.get(id(kinds))
            if cached is None:
                cached = sorted_kinds[id(kinds)] = (kinds, tuple(sorted(kinds)))
            kinds = cached[1]
        names = check_names.get(path)
        out.append(
            AssetSnapshot(
                key_path=path,
                node_name=None if external else assets_def.node_name,
                group_name=spec.group_name or "default",
                description=spec.description,
                dep_paths=tuple([_path(d.asset_key) for d in spec.deps]) if spec.deps else (),
                kinds=kinds or (),
                tags=spec.tags,
                owners=spec.owners,
                code_version=spec.code_version,
                metadata=_metadata(spec.metadata, key) if spec.metadata else {},
                partitions_ref=tables.partitions_ref(
                    assets_def.partitions_def or spec.partitions_def
                ),
                automation_condition_ref=tables.condition_ref(spec.automation_condition),
                is_materializable=not external,
                is_observable=isinstance(assets_def, ObservableSourceAsset),
                check_names=tuple(names) if names else (),
                freshness_policy=None
                if spec.freshness_policy is None
                else spec.freshness_policy.to_dict(),
            )
        )
    return tuple(out)


def _specs(definitions: Any) -> Iterator[tuple[Any, Any]]:
    """Each asset's definition and spec, in the order ``Definitions`` indexed them (no lookups
    by key: an ``AssetKey`` hashes and compares in Python)."""
    seen: set[int] = set()
    for assets_def in definitions.assets_by_key.values():
        if id(assets_def) not in seen:
            seen.add(id(assets_def))
            for spec in assets_def.specs_by_output_name.values():
                yield assets_def, spec


def _checks(definitions: Any) -> tuple[AssetCheckSnapshot, ...]:
    found: dict[Any, AssetCheckSnapshot] = {}
    owners = [a for a in definitions.assets_by_key.values() if a.check_specs]
    owners += list(definitions.asset_checks_by_key.values())
    for owner in owners:
        for spec in owner.check_specs:
            found[spec.key] = AssetCheckSnapshot(
                asset_path=_path(spec.asset_key),
                name=spec.name,
                node_name=owner.node_name,
                description=spec.description,
                blocking=spec.blocking,
                additional_dep_paths=tuple(_path(k) for k in spec.additional_deps),
            )
    return tuple(found[k] for k in sorted(found))


def _job(job: Any) -> JobSnapshot:
    partitions_def = getattr(job, "partitions_def", None)
    common: dict[str, Any] = {
        "name": job.name,
        "description": getattr(job, "description", None),
        "tags": dict(getattr(job, "tags", None) or {}),
        "partitions": None
        if partitions_def is None
        else PartitionsSnapshot.from_partitions_def(partitions_def),
    }
    if getattr(job, "is_asset_job", False):
        return JobSnapshot(
            kind="assets",
            selection=None if job.selection is None else str(job.selection),
            asset_paths=tuple(_path(k) for k in sorted(job.resolve_selection())),
            **common,
        )
    return JobSnapshot(kind="ops", op_names=tuple(getattr(job, "nodes", ())), **common)


def _schedule(schedule: Any) -> ScheduleSnapshot:
    cron = schedule.cron_schedule
    return ScheduleSnapshot(
        name=schedule.name,
        cron_schedule=cron if isinstance(cron, str) else tuple(cron),
        job_name=schedule.job_name,
        execution_timezone=schedule.execution_timezone,
        description=schedule.description,
        default_status=schedule.default_status.value,
        tags=dict(schedule.tags),
        owners=tuple(schedule.owners),
        metadata=_metadata(schedule.metadata, f"schedule {schedule.name!r}"),
    )


def _sensor(sensor: Any) -> SensorSnapshot:
    return SensorSnapshot(
        name=sensor.name,
        sensor_type=type(sensor).__name__,
        job_names=tuple(sensor.job_names),
        minimum_interval_seconds=sensor.minimum_interval_seconds,
        description=sensor.description,
        default_status=sensor.default_status.value,
        tags=dict(sensor.tags),
        owners=tuple(sensor.owners),
        metadata=_metadata(sensor.metadata, f"sensor {sensor.name!r}"),
        run_status=_run_status(sensor),
        monitored_job_names=tuple(getattr(sensor, "monitored_job_names", ())),
        monitor_all_code_locations=bool(getattr(sensor, "monitor_all_code_locations", False)),
    )


def _path(key: AssetKey) -> KeyPath:
    # ``AssetKey.path`` copies the parts into a new list; the key's own tuple is immutable and
    # can be shared (40,000 keys at 10,000 assets: a third of the build)
    return key._parts


def _metadata(raw: Any, owner: Any) -> dict[str, Any]:
    if not raw:
        return {}
    where = f"asset {owner.to_user_string()!r}" if isinstance(owner, AssetKey) else owner
    return metadata_to_json(normalize_metadata(raw, where=where))


def _type_name(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _run_status(sensor: Any) -> str | None:
    status = getattr(sensor, "run_status", None)
    return None if status is None else str(getattr(status, "value", status))
