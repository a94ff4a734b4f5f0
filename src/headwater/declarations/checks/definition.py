"""Asset checks: specs, results, severities, stored evaluations and ``AssetChecksDefinition``.

An asset check tests the data of one asset (no nulls, row counts in bounds, a fresh enough
update). It runs in its own step after the asset (``@asset_check``, ``@multi_asset_check``)
or in the asset's own step (``@asset(check_specs=[...])``), and each result is recorded as an
``ASSET_CHECK_EVALUATION`` event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ParamSpec, TypeVar

from headwater.declarations.assets.definition import AssetsDefinition
from headwater.declarations.signature import FunctionParams
from headwater.errors import DefinitionError
from headwater.keys import AssetCheckKey, AssetKey, CoercibleToAssetKey
from headwater.metadata import (
    MetadataValue,
    metadata_from_json,
    metadata_to_json,
    normalize_metadata,
)

P = ParamSpec("P")
R = TypeVar("R")


class AssetCheckSeverity(StrEnum):
    """How bad a failed check is.

    ``ERROR`` failures of a *blocking* check stop everything downstream of the asset; ``WARN``
    failures are recorded only.
    """

    WARN = "WARN"
    ERROR = "ERROR"


def coerce_asset_key(asset: Any, where: str) -> AssetKey:
    """The key of ``asset``: a key, ``"a/b"``, a list of strings, an ``AssetSpec`` or a
    single-asset definition."""
    if isinstance(asset, AssetsDefinition):
        return asset.key
    key = getattr(asset, "key", None)
    if isinstance(key, AssetKey):
        return key
    try:
        return AssetKey.from_coercible(asset)
    except (DefinitionError, TypeError):
        raise DefinitionError(
            f"{where}: asset={asset!r} is not an asset; give an AssetKey, 'a/b', an AssetSpec "
            "or an @asset definition."
        ) from None


@dataclass(frozen=True, slots=True, init=False)
class AssetCheckSpec:
    """The declaration of one check on one asset.

    Args:
        name: the check's name, unique among the checks of the asset.
        asset: the checked asset (key, ``"a/b"``, spec or definition).
        description: shown in the UI and CLI.
        blocking: when a result fails with severity ``ERROR``, steps downstream of the asset
            do not run.
        additional_deps: other assets the check reads (ordering only).
        metadata: definition metadata.

    Example:
        >>> AssetCheckSpec("no_nulls", asset="orders").key.to_user_string()
        'orders:no_nulls'
    """

    name: str
    asset_key: AssetKey
    description: str | None
    blocking: bool
    additional_deps: tuple[AssetKey, ...]
    metadata: Mapping[str, MetadataValue]

    def __init__(
        self,
        name: str,
        *,
        asset: Any,
        description: str | None = None,
        blocking: bool = False,
        additional_deps: Iterable[Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise DefinitionError(
                f"Asset check name {name!r} is not valid: use letters, digits and underscores."
            )
        where = f"AssetCheckSpec {name!r}"
        set_ = object.__setattr__
        set_(self, "name", name)
        set_(self, "asset_key", coerce_asset_key(asset, where))
        set_(self, "description", description)
        set_(self, "blocking", bool(blocking))
        deps = tuple(coerce_asset_key(d, where) for d in additional_deps or ())
        set_(self, "additional_deps", deps)
        set_(self, "metadata", normalize_metadata(metadata, where=where))

    @property
    def key(self) -> AssetCheckKey:
        """The check's key (asset key and name)."""
        return AssetCheckKey(self.asset_key, self.name)


@dataclass(frozen=True, slots=True, init=False)
class AssetCheckResult:
    """The outcome of one check, returned or yielded by a check (or asset) function.

    Args:
        passed: whether the data passed.
        asset_key: the checked asset; needed only when the function has several checks on
            different assets.
        check_name: which check; needed only when the function has several checks.
        metadata: details (counts, offending values...).
        severity: how bad a failure is (default ``ERROR``).
        description: free text.

    Example:
        >>> AssetCheckResult(passed=False, metadata={"nulls": 3}).metadata["nulls"].value
        3
    """

    passed: bool
    asset_key: AssetKey | None
    check_name: str | None
    metadata: Mapping[str, MetadataValue]
    severity: AssetCheckSeverity
    description: str | None

    def __init__(
        self,
        *,
        passed: bool,
        asset_key: CoercibleToAssetKey | None = None,
        check_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        severity: AssetCheckSeverity = AssetCheckSeverity.ERROR,
        description: str | None = None,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "passed", bool(passed))
        set_(self, "asset_key", AssetKey.from_coercible(asset_key) if asset_key else None)
        set_(self, "check_name", check_name)
        set_(self, "metadata", normalize_metadata(metadata, where="AssetCheckResult"))
        set_(self, "severity", AssetCheckSeverity(severity))
        set_(self, "description", description)


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetCheckEvaluation:
    """One stored evaluation of a check (what ``Instance`` returns).

    Attributes:
        asset_key / check_name: the check.
        passed, severity, metadata, description: from the :class:`AssetCheckResult`.
        run_id: the run that evaluated it.
        timestamp: seconds since the epoch.
        storage_id: the storage id of its ``ASSET_CHECK_EVALUATION`` event.
        target_materialization_storage_id: the checked materialization, when known.
        blocking: whether the check was blocking.
    """

    asset_key: AssetKey
    check_name: str
    passed: bool
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR
    metadata: Mapping[str, MetadataValue] = field(default_factory=dict)
    description: str | None = None
    run_id: str = ""
    timestamp: float = 0.0
    storage_id: int | None = None
    target_materialization_storage_id: int | None = None
    blocking: bool = False

    @property
    def check_key(self) -> AssetCheckKey:
        """The key of the evaluated check."""
        return AssetCheckKey(self.asset_key, self.check_name)

    def to_event_data(self) -> dict[str, Any]:
        """The ``data`` of the ``ASSET_CHECK_EVALUATION`` event."""
        return {
            "check_name": self.check_name,
            "passed": self.passed,
            "severity": self.severity.value,
            "metadata": metadata_to_json(self.metadata),
            "description": self.description,
            "target_materialization_storage_id": self.target_materialization_storage_id,
            "blocking": self.blocking,
        }

    @staticmethod
    def from_event(
        asset_key: AssetKey,
        data: Mapping[str, Any],
        *,
        run_id: str = "",
        timestamp: float = 0.0,
        storage_id: int | None = None,
    ) -> AssetCheckEvaluation:
        """Rebuild an evaluation from a stored event's asset key and data."""
        return AssetCheckEvaluation(
            asset_key=asset_key,
            check_name=str(data["check_name"]),
            passed=bool(data["passed"]),
            severity=AssetCheckSeverity(data.get("severity") or "ERROR"),
            metadata=metadata_from_json(data.get("metadata")),
            description=data.get("description"),
            run_id=run_id,
            timestamp=timestamp,
            storage_id=storage_id,
            target_materialization_storage_id=data.get("target_materialization_storage_id"),
            blocking=bool(data.get("blocking", False)),
        )


class AssetChecksDefinition(AssetsDefinition[P, R]):
    """One or more checks computed by one function, in a step of their own.

    Built by ``@asset_check`` and ``@multi_asset_check``; pass it to
    ``Definitions(asset_checks=[...])`` or ``materialize([...])``. It materializes no asset:
    its inputs are the checked assets' stored values. Calling it calls the function.

    Attributes:
        check_specs: the checks it evaluates.
    """

    def __init__(
        self,
        *,
        node_name: str,
        compute_fn: Callable[P, R],
        check_specs: Sequence[AssetCheckSpec],
        params: FunctionParams,
        input_keys: Mapping[str, AssetKey],
        ins: Mapping[str, Any] | None = None,
        required_resource_keys: Iterable[str] = (),
        can_subset: bool = False,
    ) -> None:
        super().__init__(
            node_name=node_name,
            compute_fn=compute_fn,
            specs_by_output_name={},
            ins=ins,
            input_keys=input_keys,
            params=params,
            required_resource_keys=required_resource_keys,
            can_subset=can_subset,
            check_specs=check_specs,
        )

    @property
    def check_key(self) -> AssetCheckKey:
        """The single check's key; raises ``DefinitionError`` for a multi-check."""
        if len(self.check_specs) != 1:
            raise DefinitionError(
                f"{self.node_name!r} has {len(self.check_specs)} checks; use .check_keys."
            )
        return self.check_specs[0].key

    @property
    def dependency_keys(self) -> frozenset[AssetKey]:
        """The checked assets, their loaded inputs and ``additional_deps``."""
        deps = {k for s in self.check_specs for k in (s.asset_key, *s.additional_deps)}
        return frozenset(deps | set(self.input_keys.values()))

    def subset_for_checks(self, keys: Iterable[AssetCheckKey]) -> AssetChecksDefinition[P, R]:
        """A copy evaluating only the checks ``keys``."""
        wanted = frozenset(keys)
        clone = self._copy()
        clone.check_specs = tuple(s for s in self.check_specs if s.key in wanted)
        return clone

    def _copy(self) -> AssetChecksDefinition[P, R]:
        clone = object.__new__(AssetChecksDefinition)
        for slot in AssetsDefinition.__slots__:
            object.__setattr__(clone, slot, getattr(self, slot))
        return clone

    def __repr__(self) -> str:
        keys = ", ".join(sorted(k.to_user_string() for k in self.check_keys))
        return f"<AssetChecksDefinition {self.node_name!r} checks=[{keys}]>"


def index_asset_checks(
    checks: Sequence[Any], assets_by_key: Mapping[AssetKey, AssetsDefinition[..., Any]]
) -> dict[AssetCheckKey, AssetChecksDefinition[..., Any]]:
    """Standalone checks by key, validated against the assets (used by ``Definitions``).

    Raises:
        DefinitionError: an item is not a check definition, or a check targets an unknown asset.
        DuplicateKeyError: two checks (standalone or ``check_specs``) have the same key.
    """
    from headwater.errors import DuplicateKeyError

    in_assets = {
        k: a.node_name for a in assets_by_key.values() if a.check_specs for k in a.check_keys
    }
    by_key: dict[AssetCheckKey, AssetChecksDefinition[..., Any]] = {}
    seen: set[int] = set()
    for checks_def in checks:
        if id(checks_def) in seen:
            continue
        seen.add(id(checks_def))
        if not isinstance(checks_def, AssetChecksDefinition):
            raise DefinitionError(
                f"Definitions(asset_checks=...) got {checks_def!r}; expected @asset_check or "
                "@multi_asset_check definitions."
            )
        for spec in checks_def.check_specs:
            if spec.asset_key not in assets_by_key:
                raise DefinitionError(
                    f"Asset check {spec.name!r} ({checks_def.node_name!r}) targets asset "
                    f"{spec.asset_key.to_user_string()!r}, which is not defined. Add the asset "
                    "(or an AssetSpec for it) to the Definitions, or fix asset=."
                )
            other = by_key.get(spec.key)
            owner = other.node_name if other is not None else in_assets.get(spec.key)
            if owner is not None:
                raise DuplicateKeyError(
                    f"Asset check {spec.key.to_user_string()!r} is defined twice: by {owner!r} "
                    f"and by {checks_def.node_name!r}. Rename one of them (name=)."
                )
            by_key[spec.key] = checks_def
    return by_key
