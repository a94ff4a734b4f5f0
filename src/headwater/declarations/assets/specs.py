"""Declarative asset descriptions: AssetSpec, AssetIn, AssetOut, AssetDep."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headwater.declarations._gc import frozen
from headwater.errors import DefinitionError
from headwater.keys import AssetKey, CoercibleToAssetKey
from headwater.metadata import normalize_metadata

DEFAULT_GROUP_NAME = "default"


def _coerce_key_prefix(prefix: str | Sequence[str] | None) -> tuple[str, ...]:
    if prefix is None:
        return ()
    if isinstance(prefix, str):
        return tuple(p for p in prefix.split("/") if p)
    return tuple(prefix)


def _check_tags(tags: Mapping[str, str] | None, where: str) -> dict[str, str]:
    out = dict(tags or {})
    for key, value in out.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise DefinitionError(
                f"{where}: tags must map strings to strings, got {key!r}: {value!r}. "
                "Put non-string data in metadata instead."
            )
    return out


_GROUP_NAME = re.compile(r"[A-Za-z0-9_]+")
_valid_groups: set[str] = set()  # names already checked: one set lookup per asset after that


def _check_group(group_name: str | None, where: str) -> str | None:
    """``group_name`` if it is ``None`` or made of letters, digits and underscores."""
    if group_name is None or group_name in _valid_groups:
        return group_name
    if not isinstance(group_name, str) or not _GROUP_NAME.fullmatch(group_name):
        raise DefinitionError(
            f"{where}: group name {group_name!r} is not valid: use letters, digits and "
            f"underscores only (e.g. {re.sub(r'[^A-Za-z0-9_]', '_', str(group_name))!r})."
        )
    if len(_valid_groups) < 4096:
        _valid_groups.add(group_name)
    return group_name


def _check_condition(condition: Any, where: str) -> Any:
    """``condition`` if it is an ``AutomationCondition`` (or ``None``)."""
    if condition is None:
        return None
    from headwater.declarations.automation.automation_condition import AutomationCondition

    if not isinstance(condition, AutomationCondition):
        raise DefinitionError(
            f"{where}: automation_condition must be an AutomationCondition, got {condition!r}; "
            "e.g. AutomationCondition.eager()."
        )
    return condition


def _check_freshness(policy: Any, where: str) -> Any:
    if policy is None:
        return None
    from headwater.declarations.automation.freshness_policy import check_freshness_policy

    return check_freshness_policy(policy, where)


@dataclass(frozen=True, slots=True)
class AssetDep:
    """A dependency on another asset whose value is not loaded (ordering and lineage only).

    Args:
        asset: the upstream asset: a key, a ``"a/b"`` string, an ``AssetSpec`` or an
            ``AssetsDefinition`` with one key.
        partition_mapping: how the partitions of this asset map to the upstream's (default:
            inferred, e.g. daily -> monthly through time windows).

    Example:
        >>> AssetDep("raw/orders").asset_key
        AssetKey(['raw', 'orders'])
    """

    asset_key: AssetKey
    partition_mapping: Any = None

    def __init__(self, asset: Any, *, partition_mapping: Any = None) -> None:
        key = asset if type(asset) is AssetKey else coerce_to_key(asset, where="AssetDep")
        object.__setattr__(self, "asset_key", key)
        object.__setattr__(self, "partition_mapping", partition_mapping)


def coerce_to_key(value: Any, *, where: str) -> AssetKey:
    """A key from an AssetKey, string, string sequence, AssetSpec, AssetDep or single-key asset."""
    if isinstance(value, AssetKey):
        return value
    if isinstance(value, str):
        return AssetKey.from_user_string(value)
    if isinstance(value, AssetSpec | AssetDep):
        return value.key if isinstance(value, AssetSpec) else value.asset_key
    keys = getattr(value, "keys", None)
    if keys is not None and not callable(keys):
        keys = list(keys)
        if len(keys) != 1:
            raise DefinitionError(
                f"{where}: {value!r} defines {len(keys)} assets; name the one you depend on "
                "with its AssetKey instead."
            )
        return AssetKey(keys[0])
    if isinstance(value, Sequence):
        return AssetKey(list(value))
    raise DefinitionError(f"{where}: cannot turn {value!r} into an asset key.")


# Keys and dependencies are immutable, and every one is an object the cyclic GC tracks: at
# 10,000 assets, each upstream key named again by every downstream asset (``deps=["a"]``, an
# input parameter ``a``) would be tens of thousands of equal objects. Equal keys made here share
# one object, and so do plain dependencies (no partition mapping) on them. Bounded, so that a
# process making new keys forever does not keep them all.
_INTERNED_LIMIT = 1 << 16
_keys_by_path: dict[tuple[str, ...], AssetKey] = {}
_plain_deps: dict[str | AssetKey, AssetDep] = {}


def interned_key(path: tuple[str, ...]) -> AssetKey:
    """The ``AssetKey`` of ``path``, one shared object per path.

    Raises:
        DefinitionError: ``path`` is not a valid key (empty, or an empty component).
    """
    try:
        key = _keys_by_path.get(path)
    except TypeError:  # an unhashable component: the constructor explains what is wrong
        return AssetKey(path)
    if key is None:
        key = AssetKey(path)
        if len(_keys_by_path) >= _INTERNED_LIMIT:
            _keys_by_path.clear()
        _keys_by_path[path] = key
    return key


def _plain_dep(name: str | AssetKey) -> AssetDep:
    """The dependency (no partition mapping) on a ``"a/b"`` string or a key, shared."""
    dep = _plain_deps.get(name)  # a key hashes its components (cached), like a path
    if dep is None:
        key = AssetKey.from_user_string(name) if isinstance(name, str) else name
        dep = AssetDep(_keys_by_path.setdefault(tuple(key.path), key))
        if len(_plain_deps) >= _INTERNED_LIMIT:
            _plain_deps.clear()
        _plain_deps[name] = dep
    return dep


_kinds_seen: dict[frozenset[str], frozenset[str]] = {}


def _interned_kinds(kinds: Iterable[str] | None) -> frozenset[str]:
    """``frozenset(kinds)``; equal sets of kinds (a project uses a handful) share one object."""
    new = frozen(kinds)
    if not new:
        return new
    if len(_kinds_seen) >= _INTERNED_LIMIT:
        _kinds_seen.clear()
    return _kinds_seen.setdefault(new, new)


def coerce_deps(deps: Iterable[Any] | None, *, where: str) -> tuple[AssetDep, ...]:
    """Normalize a ``deps=`` argument (keys, strings, specs, assets or AssetDeps)."""
    out: list[AssetDep] = []
    for dep in deps or ():
        kind = type(dep)
        if kind is AssetDep:
            out.append(dep)
            continue
        if kind is str or kind is AssetKey:
            out.append(_plain_dep(dep))
            continue
        if isinstance(dep, AssetDep):
            out.append(dep)
            continue
        keys = getattr(dep, "keys", None)
        if keys is not None and not callable(keys) and not isinstance(dep, AssetSpec):
            out.extend(AssetDep(AssetKey(k)) for k in keys)  # every key of a multi-asset
            continue
        out.append(AssetDep(coerce_to_key(dep, where=where)))
    return tuple(out)


@dataclass(frozen=True, slots=True, init=False)
class AssetSpec:
    """Everything headwater knows about one asset apart from how to compute it.

    Passed to ``Definitions(assets=[...])`` on its own, an ``AssetSpec`` declares an external
    asset (one headwater does not materialize, e.g. a table another system writes); passed as
    ``specs=`` to ``@multi_asset`` it describes one output of the function.

    Args:
        key: the asset key (``AssetKey``, ``"a/b"`` or a list of strings).
        deps: upstream assets (keys, specs, assets or ``AssetDep``).
        description: free text.
        metadata: definition metadata, kept as given (raw values or ``MetadataValue`` s, as in
            Dagster); every value must have a metadata equivalent (checked here).
        skippable: whether a ``multi_asset`` may leave this asset out of its output.
        group_name: the group (default ``"default"``).
        code_version: a string that changes when the code that computes it changes.
        owners: e-mail addresses or ``team:name`` strings.
        tags: string-to-string tags (used by selections).
        kinds: technologies involved (e.g. ``{"duckdb", "pandas"}``).
        partitions_def: how the asset is partitioned (a ``PartitionsDefinition``).
        automation_condition: when the automation daemon should materialize it (an
            ``AutomationCondition``); stored, evaluated by the daemon.
        freshness_policy: how recently it must have been materialized (a
            ``FreshnessPolicy``); the daemon keeps its freshness state.

    Example:
        >>> AssetSpec("raw/orders", group_name="raw", kinds={"s3"}).key
        AssetKey(['raw', 'orders'])
    """

    key: AssetKey
    deps: tuple[AssetDep, ...]
    description: str | None
    metadata: Mapping[str, Any]
    skippable: bool
    group_name: str | None
    code_version: str | None
    owners: tuple[str, ...]
    tags: Mapping[str, str]
    kinds: frozenset[str]
    partitions_def: Any
    automation_condition: Any
    freshness_policy: Any

    def __init__(
        self,
        key: CoercibleToAssetKey,
        *,
        deps: Iterable[Any] | None = None,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        skippable: bool = False,
        group_name: str | None = None,
        code_version: str | None = None,
        owners: Sequence[str] | None = None,
        tags: Mapping[str, str] | None = None,
        kinds: Iterable[str] | None = None,
        partitions_def: Any = None,
        automation_condition: Any = None,
        freshness_policy: Any = None,
    ) -> None:
        akey = AssetKey.from_coercible(key)
        where = f"AssetSpec {akey.to_user_string()!r}"
        set_ = object.__setattr__
        set_(self, "key", akey)
        set_(self, "deps", coerce_deps(deps, where=where))
        set_(self, "description", description)
        normalize_metadata(metadata, where=where)  # refuses values without an equivalent
        set_(self, "metadata", dict(metadata or {}))
        set_(self, "skippable", skippable)
        set_(self, "group_name", _check_group(group_name, where))
        set_(self, "code_version", code_version)
        set_(self, "owners", tuple(owners or ()))
        set_(self, "tags", _check_tags(tags, where))
        set_(self, "kinds", _interned_kinds(kinds))
        set_(self, "partitions_def", partitions_def)
        set_(self, "automation_condition", _check_condition(automation_condition, where))
        set_(self, "freshness_policy", _check_freshness(freshness_policy, where))

    def replace_attributes(self, **changes: Any) -> AssetSpec:
        """A copy with the given constructor arguments replaced."""
        current: dict[str, Any] = {
            "deps": self.deps,
            "description": self.description,
            "metadata": self.metadata,
            "skippable": self.skippable,
            "group_name": self.group_name,
            "code_version": self.code_version,
            "owners": self.owners,
            "tags": self.tags,
            "kinds": self.kinds,
            "partitions_def": self.partitions_def,
            "automation_condition": self.automation_condition,
            "freshness_policy": self.freshness_policy,
        }
        key = changes.pop("key", self.key)
        unknown = set(changes) - set(current)
        if unknown:
            raise DefinitionError(
                f"AssetSpec.replace_attributes: unknown attributes {sorted(unknown)}."
            )
        current.update(changes)
        return AssetSpec(key, **current)

    def merge_attributes(
        self,
        *,
        metadata: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        owners: Sequence[str] | None = None,
        kinds: Iterable[str] | None = None,
        deps: Iterable[Any] | None = None,
    ) -> AssetSpec:
        """A copy with metadata/tags merged and owners/kinds/deps added."""
        return self.replace_attributes(
            metadata={**self.metadata, **(metadata or {})},
            tags={**self.tags, **(tags or {})},
            owners=(*self.owners, *(owners or ())),
            kinds=self.kinds | frozenset(kinds or ()),
            deps=(*self.deps, *coerce_deps(deps, where="merge_attributes")),
        )

    @property
    def dep_keys(self) -> tuple[AssetKey, ...]:
        """Keys of the upstream assets."""
        return tuple(d.asset_key for d in self.deps)


@dataclass(frozen=True, slots=True)
class AssetIn:
    """How a function parameter maps to an upstream asset.

    Every argument may be given by position, in Dagster's order
    (``key, metadata, key_prefix, input_manager_key, partition_mapping, dagster_type``), or by
    keyword.

    Args:
        key: the upstream asset key: an ``AssetKey``, a ``"a/b"`` string or a sequence of
            components (default: the parameter name, under the asset's key_prefix).
        metadata: passed to the IO manager's ``InputContext.metadata``.
        key_prefix: prefix to put before the parameter name when ``key`` is not given.
        input_manager_key: resource key of the IO manager that loads this input (default: the
            upstream asset's IO manager).
        partition_mapping: how this asset's partitions map to the upstream's (default: inferred).
        dagster_type: the type the loaded value must satisfy (a ``DataType`` or annotation;
            ``Nothing`` makes an order-only dependency without a parameter).

    Example:
        >>> AssetIn(key="raw/orders").key
        AssetKey(['raw', 'orders'])
        >>> AssetIn(AssetKey(["lake", "raw"])).key
        AssetKey(['lake', 'raw'])
    """

    key: AssetKey | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    key_prefix: tuple[str, ...] = ()
    input_manager_key: str | None = None
    partition_mapping: Any = None
    dagster_type: Any = None

    def __post_init__(self) -> None:
        if self.key is not None and not isinstance(self.key, AssetKey):
            object.__setattr__(self, "key", AssetKey.from_coercible(self.key))
        if self.metadata is None:
            object.__setattr__(self, "metadata", {})
        if not isinstance(self.key_prefix, tuple):
            object.__setattr__(self, "key_prefix", _coerce_key_prefix(self.key_prefix))


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetOut:
    """One output of a ``@multi_asset`` (the dict key of ``outs=`` is the output name).

    Args:
        key: the asset key (default: the output name under ``key_prefix``).
        key_prefix: prefix for the default key.
        description, metadata, group_name, code_version, owners, tags, kinds: as in AssetSpec.
        io_manager_key: resource key of the IO manager storing this output (default
            ``"io_manager"``).
        is_required: whether the function must produce this output (``False`` allows subsetting
            within the function).
        dagster_type: the type the output must satisfy (a ``DataType`` or annotation).
    """

    key: AssetKey | None = None
    key_prefix: tuple[str, ...] = ()
    description: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    group_name: str | None = None
    code_version: str | None = None
    owners: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    kinds: frozenset[str] = frozenset()
    io_manager_key: str | None = None
    is_required: bool = True
    dagster_type: Any = None

    def __post_init__(self) -> None:
        if self.key is not None and not isinstance(self.key, AssetKey):
            object.__setattr__(self, "key", AssetKey.from_coercible(self.key))
        if not isinstance(self.key_prefix, tuple):
            object.__setattr__(self, "key_prefix", _coerce_key_prefix(self.key_prefix))
        object.__setattr__(self, "owners", tuple(self.owners))
        object.__setattr__(self, "kinds", frozenset(self.kinds))

    def to_spec(
        self, output_name: str, *, deps: tuple[AssetDep, ...], group_name: str | None
    ) -> AssetSpec:
        """The AssetSpec this output describes."""
        key = self.key or AssetKey([*self.key_prefix, output_name])
        return AssetSpec(
            key,
            deps=deps,
            description=self.description,
            metadata=self.metadata,
            skippable=not self.is_required,
            group_name=self.group_name or group_name,
            code_version=self.code_version,
            owners=self.owners,
            tags=self.tags,
            kinds=self.kinds,
        )


def with_group(spec: AssetSpec, group_name: str | None) -> AssetSpec:
    """The spec with ``group_name`` filled in when it has none."""
    if spec.group_name is not None:
        return spec
    return replace_spec_group(spec, group_name or DEFAULT_GROUP_NAME)


def replace_spec_group(spec: AssetSpec, group_name: str) -> AssetSpec:
    """The spec with another group."""
    new = object.__new__(AssetSpec)
    for name in AssetSpec.__slots__:
        object.__setattr__(new, name, getattr(spec, name))
    where = f"asset {spec.key.to_user_string()!r}"
    object.__setattr__(new, "group_name", _check_group(group_name, where))
    return new
