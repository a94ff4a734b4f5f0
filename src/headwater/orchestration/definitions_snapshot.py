"""A code location's definitions as data: what its code server tells the webserver and daemon.

The webserver and the daemon never import user code. A code server loads a location's
``Definitions`` once and hands out a :class:`DefinitionsSnapshot`: every asset (key, group,
description, dependencies, kinds, tags, owners, code version, partitions as data, automation
condition as text, checks), every job (its kind and what it selects), schedule, sensor and
resource, as JSON. :func:`snapshot_definitions` builds one from an already indexed
``Definitions`` without validating anything again.

This is not the *run plan* snapshot (``execution.plan.run_snapshot.RunPlanSnapshot``, what one
run executes); this one describes a whole code location.

The records are msgspec Structs, encoded and decoded straight to and from JSON (10,000 assets
in a few tens of milliseconds). Asset keys are kept as tuples of path parts (``key_path``,
``dep_paths``...: what msgspec decodes natively, and what the JSON holds); the ``key``,
``deps``... properties give the ``AssetKey`` objects, made on first use and shared. Partitions
definitions and automation conditions, which thousands of assets share, are written once in
the tables :attr:`DefinitionsSnapshot.partitions` and
:attr:`DefinitionsSnapshot.automation_conditions`; an asset refers to them by position
(:meth:`DefinitionsSnapshot.partitions_of`, :meth:`DefinitionsSnapshot.automation_condition_of`).
Fields at their default (no tags, no description, ...) are left out of the JSON.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import msgspec

from headwater.errors import InvalidInvocationError
from headwater.keys import AssetKey
from headwater.orchestration.partitions_snapshot import PartitionsSnapshot

__all__ = [
    "SNAPSHOT_FORMAT",
    "AssetCheckSnapshot",
    "AssetSnapshot",
    "DefinitionsSnapshot",
    "JobSnapshot",
    "PartitionsSnapshot",
    "ResourceSnapshot",
    "ScheduleSnapshot",
    "SensorSnapshot",
    "snapshot_definitions",
]

#: The version of the JSON layout, written as ``"format"``; readers refuse other versions.
SNAPSHOT_FORMAT = 1

#: An asset key as data: its parts, e.g. ``("warehouse", "orders")``.
KeyPath = tuple[str, ...]


class _Record(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """Immutable, keyword-only, defaults left out of the JSON."""


class AssetSnapshot(_Record, frozen=True):
    """One asset of a code location.

    Attributes:
        key_path: the asset key's parts (:attr:`key` is the ``AssetKey``); ``"key"`` in JSON.
        node_name: the step that computes it (``None`` for an external asset).
        group_name: its group (``"default"`` when none was given).
        description, code_version: as declared (``None`` when not).
        dep_paths: the key parts of its upstream assets (:attr:`deps` are their keys);
            ``"deps"`` in JSON.
        kinds, owners: as declared (kinds sorted).
        tags: its tags.
        metadata: its definition metadata in JSON form (``headwater.metadata.metadata_to_json``).
        partitions_ref: the position of its partitions in ``DefinitionsSnapshot.partitions``,
            or ``None`` when it is not partitioned.
        automation_condition_ref: the position of its automation condition's text in
            ``DefinitionsSnapshot.automation_conditions``, or ``None``.
        is_materializable: whether headwater can materialize it (it has a function).
        is_observable: whether it is an observable source asset.
        check_names: the names of the checks on it.
        freshness_policy: its ``FreshnessPolicy`` as data (``FreshnessPolicy.to_dict``), or
            ``None``.
    """

    key_path: KeyPath = msgspec.field(name="key")
    node_name: str | None = None
    group_name: str = "default"
    description: str | None = None
    dep_paths: tuple[KeyPath, ...] = msgspec.field(default=(), name="deps")
    kinds: tuple[str, ...] = ()
    tags: dict[str, str] = msgspec.field(default_factory=dict)
    owners: tuple[str, ...] = ()
    code_version: str | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)
    partitions_ref: int | None = None
    automation_condition_ref: int | None = None
    is_materializable: bool = True
    is_observable: bool = False
    check_names: tuple[str, ...] = ()
    freshness_policy: dict[str, Any] | None = None

    @property
    def key(self) -> AssetKey:
        """The asset key."""
        return key_of(self.key_path)

    @property
    def deps(self) -> tuple[AssetKey, ...]:
        """The keys of its upstream assets."""
        return tuple([key_of(p) for p in self.dep_paths])


class AssetCheckSnapshot(_Record, frozen=True):
    """One asset check.

    Attributes:
        asset_path, name: the checked asset's key parts (:attr:`asset_key` is the key) and the
            check's name.
        node_name: the step that evaluates it (the asset's own step for ``check_specs``).
        description: as declared.
        blocking: whether a failure (severity ERROR) skips the steps downstream of the asset.
        additional_dep_paths: the key parts of other assets it reads (:attr:`additional_deps`).
    """

    asset_path: KeyPath = msgspec.field(name="asset_key")
    name: str
    node_name: str
    description: str | None = None
    blocking: bool = False
    additional_dep_paths: tuple[KeyPath, ...] = msgspec.field(default=(), name="additional_deps")

    @property
    def asset_key(self) -> AssetKey:
        """The checked asset's key."""
        return key_of(self.asset_path)

    @property
    def additional_deps(self) -> tuple[AssetKey, ...]:
        """The keys of the other assets it reads."""
        return tuple([key_of(p) for p in self.additional_dep_paths])


class JobSnapshot(_Record, frozen=True):
    """One job.

    Attributes:
        name: the job's name.
        kind: ``"assets"`` (``define_asset_job``) or ``"ops"`` (``@job``).
        description, tags: as declared (tags include the run tags).
        selection: the asset selection as text (``"group:raw+"``); ``None`` for a job of ops.
        asset_paths: the key parts of the materializable assets it selects, sorted (empty for a
            job of ops); :attr:`asset_keys` are their keys.
        op_names: the op nodes of a job of ops, in dependency order (empty for a job of assets).
        partitions: the job's partitions, or ``None``.
    """

    name: str
    kind: str
    description: str | None = None
    tags: dict[str, str] = msgspec.field(default_factory=dict)
    selection: str | None = None
    asset_paths: tuple[KeyPath, ...] = msgspec.field(default=(), name="asset_keys")
    op_names: tuple[str, ...] = ()
    partitions: PartitionsSnapshot | None = None

    @property
    def asset_keys(self) -> tuple[AssetKey, ...]:
        """The keys of the assets it selects."""
        return tuple([key_of(p) for p in self.asset_paths])


class ScheduleSnapshot(_Record, frozen=True):
    """One schedule.

    Attributes:
        name, job_name, description: as declared.
        cron_schedule: the cron string, or several (ticks at their union).
        execution_timezone: the IANA zone its cron is read in (``None``: UTC).
        default_status: ``"RUNNING"`` or ``"STOPPED"``.
        tags, owners: as declared; metadata in JSON form.
    """

    name: str
    cron_schedule: str | tuple[str, ...]
    job_name: str
    execution_timezone: str | None = None
    description: str | None = None
    default_status: str = "STOPPED"
    tags: dict[str, str] = msgspec.field(default_factory=dict)
    owners: tuple[str, ...] = ()
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


class SensorSnapshot(_Record, frozen=True):
    """One sensor.

    Attributes:
        name, description: as declared.
        sensor_type: the definition's class, e.g. ``"SensorDefinition"`` or
            ``"AutomationConditionSensorDefinition"``.
        job_names: the jobs its run requests launch (empty for a sensor without a target).
        minimum_interval_seconds: at least this long between two ticks.
        default_status: ``"RUNNING"`` or ``"STOPPED"``.
        tags, owners: as declared; metadata in JSON form.
        run_status: for a run status sensor, the run status it reacts to (``"FAILURE"``...).
        monitored_job_names: the jobs whose runs it watches (empty: every job of its location,
            or of every location with ``monitor_all_code_locations``).
        monitor_all_code_locations: it watches the runs of every code location.
    """

    name: str
    sensor_type: str = "SensorDefinition"
    job_names: tuple[str, ...] = ()
    minimum_interval_seconds: int = 30
    description: str | None = None
    default_status: str = "STOPPED"
    tags: dict[str, str] = msgspec.field(default_factory=dict)
    owners: tuple[str, ...] = ()
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)
    run_status: str | None = None
    monitored_job_names: tuple[str, ...] = ()
    monitor_all_code_locations: bool = False


class ResourceSnapshot(_Record, frozen=True):
    """One resource: its key and the class of the object given for it.

    Attributes:
        key: the resource key (``"io_manager"``, ``"warehouse"``...).
        type: ``module.QualifiedName`` of the resource's class.
    """

    key: str
    type: str


class DefinitionsSnapshot(
    _Record, frozen=True, gc=True, dict=True, tag_field="format", tag=SNAPSHOT_FORMAT
):
    """Everything a code location declares, as data (see the module docstring).

    Attributes:
        location_name: the code location's name.
        assets: every asset (external ones included), in the order ``Definitions`` indexed
            them (declaration order).
        checks: every asset check, sorted by key.
        jobs, schedules, sensors: sorted by name.
        resources: sorted by key.
        partitions: the distinct partitions definitions the assets refer to.
        automation_conditions: the distinct automation condition texts the assets refer to.
        metadata: the location's metadata (``Definitions(metadata=...)``) in JSON form.

    Example:
        >>> from headwater import Definitions, asset
        >>> @asset(group_name="raw", kinds={"duckdb"})
        ... def orders() -> int:
        ...     return 1
        >>> snap = snapshot_definitions(Definitions(assets=[orders]), location_name="shop")
        >>> snap.asset(AssetKey("orders")).group_name
        'raw'
        >>> DefinitionsSnapshot.from_json(snap.to_json()) == snap
        True
    """

    location_name: str
    assets: tuple[AssetSnapshot, ...] = ()
    checks: tuple[AssetCheckSnapshot, ...] = ()
    jobs: tuple[JobSnapshot, ...] = ()
    schedules: tuple[ScheduleSnapshot, ...] = ()
    sensors: tuple[SensorSnapshot, ...] = ()
    resources: tuple[ResourceSnapshot, ...] = ()
    partitions: tuple[PartitionsSnapshot, ...] = ()
    automation_conditions: tuple[str, ...] = ()
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)

    # -- lookups ------------------------------------------------------------------------------
    def asset(self, key: AssetKey) -> AssetSnapshot:
        """The asset with ``key`` (an index is built on the first call).

        Raises:
            KeyError: no asset has that key.
        """
        by_path = self.__dict__.get("_by_path")
        if by_path is None:
            by_path = self.__dict__["_by_path"] = {a.key_path: a for a in self.assets}
        try:
            return by_path[tuple(key.path)]  # type: ignore[no-any-return]
        except KeyError:
            raise KeyError(f"No asset {key.to_user_string()!r} in this snapshot.") from None

    @property
    def asset_keys(self) -> list[AssetKey]:
        """Every asset key, in the order of :attr:`assets`."""
        return [a.key for a in self.assets]

    def partitions_of(self, asset: AssetSnapshot) -> PartitionsSnapshot | None:
        """The partitions of ``asset``, or ``None`` when it is not partitioned."""
        ref = asset.partitions_ref
        return None if ref is None else self.partitions[ref]

    def automation_condition_of(self, asset: AssetSnapshot) -> str | None:
        """The text of ``asset``'s automation condition, or ``None``."""
        ref = asset.automation_condition_ref
        return None if ref is None else self.automation_conditions[ref]

    def job(self, name: str) -> JobSnapshot:
        """The job named ``name``. Raises ``KeyError`` when there is none."""
        return _named(self.jobs, name, "job")  # type: ignore[no-any-return]

    def schedule(self, name: str) -> ScheduleSnapshot:
        """The schedule named ``name``. Raises ``KeyError`` when there is none."""
        return _named(self.schedules, name, "schedule")  # type: ignore[no-any-return]

    def sensor(self, name: str) -> SensorSnapshot:
        """The sensor named ``name``. Raises ``KeyError`` when there is none."""
        return _named(self.sensors, name, "sensor")  # type: ignore[no-any-return]

    # -- JSON ---------------------------------------------------------------------------------
    def to_json(self) -> bytes:
        """The compact JSON text, UTF-8 encoded."""
        return _ENCODER.encode(self)

    @staticmethod
    def from_json(data: bytes | str) -> DefinitionsSnapshot:
        """The snapshot :meth:`to_json` produced.

        Raises:
            InvalidInvocationError: ``data`` is not a definitions snapshot of this format.
        """
        try:
            return _DECODER.decode(data)
        except msgspec.ValidationError as exc:
            raise InvalidInvocationError(
                f"Not a definitions snapshot of format {SNAPSHOT_FORMAT} ({exc}); is the code "
                "server running the same headwater version?"
            ) from None

    def to_dict(self) -> dict[str, Any]:
        """The snapshot as plain JSON values: what :meth:`to_json` writes, decoded."""
        return msgspec.json.decode(self.to_json())  # type: ignore[no-any-return]

    @property
    def snapshot_id(self) -> str:
        """The SHA-256 of :meth:`to_json`: equal definitions give equal ids. It encodes the
        whole snapshot; a code server computes it once."""
        return hashlib.sha256(self.to_json()).hexdigest()


def _named(items: Sequence[Any], name: str, what: str) -> Any:
    for item in items:
        if item.name == name:
            return item
    raise KeyError(f"No {what} named {name!r}; there are {[i.name for i in items]}.")


_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(DefinitionsSnapshot)

_INTERNED_LIMIT = 1 << 17
_keys: dict[KeyPath, AssetKey] = {}


def key_of(path: KeyPath) -> AssetKey:
    """The ``AssetKey`` of ``path`` (tuple of parts), one shared object per path (bounded)."""
    key = _keys.get(path)
    if key is None:
        if len(_keys) >= _INTERNED_LIMIT:
            _keys.clear()
        key = _keys[path] = AssetKey(path)
    return key


def snapshot_definitions(definitions: Any, *, location_name: str) -> DefinitionsSnapshot:
    """The snapshot of an already loaded, validated ``Definitions``.

    Reads the indexes ``Definitions`` built at construction; nothing is validated again and no
    user code runs.

    Args:
        definitions: the ``Definitions``.
        location_name: the code location's name.

    Returns:
        The :class:`DefinitionsSnapshot`.

    Example:
        >>> from headwater import Definitions, asset
        >>> @asset
        ... def a() -> int:
        ...     return 1
        >>> @asset(deps=[a])
        ... def b() -> None: ...
        >>> snap = snapshot_definitions(Definitions(assets=[a, b]), location_name="x")
        >>> [asset.deps for asset in snap.assets]
        [(), (AssetKey(['a']),)]
    """
    from headwater.orchestration.definitions_snapshot_build import build_snapshot

    return build_snapshot(definitions, location_name=location_name)
