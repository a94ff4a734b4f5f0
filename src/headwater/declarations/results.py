"""Values user code returns or logs: outputs, results, materializations and observations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from headwater.keys import AssetKey, CoercibleToAssetKey
from headwater.metadata import MetadataValue, normalize_metadata

T = TypeVar("T")


class Output(Generic[T]):
    """A value returned by an asset or op, with metadata.

    Args:
        value: the value handed to the IO manager.
        output_name: which output of a multi-output step this is (default ``"result"``);
            for a ``multi_asset`` this is the output name of the ``AssetOut``.
        metadata: attached to the materialization (raw values are coerced, see
            :mod:`headwater.metadata`).
        data_version: reserved for data versioning.
        tags: string tags attached to the materialization.

    Example:
        >>> Output([1, 2, 3], metadata={"rows": 3})
        Output(value=[1, 2, 3], output_name='result')
    """

    __slots__ = ("data_version", "metadata", "output_name", "tags", "value")

    def __init__(
        self,
        value: T,
        output_name: str = "result",
        metadata: Mapping[str, Any] | None = None,
        data_version: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        self.value = value
        self.output_name = output_name
        self.metadata: dict[str, MetadataValue] = normalize_metadata(metadata, where="Output")
        self.data_version = data_version
        self.tags = dict(tags or {})

    def __repr__(self) -> str:
        return f"Output(value={self.value!r}, output_name={self.output_name!r})"


@dataclass(frozen=True, slots=True, init=False)
class MaterializeResult:
    """Returned by an asset whose function stores the data itself (no IO manager involved).

    Args:
        asset_key: which asset this is for; needed only in a ``multi_asset``.
        metadata: attached to the materialization.
        data_version: reserved for data versioning.
        tags: string tags attached to the materialization.
        check_results: ``AssetCheckResult``s of the asset's ``check_specs``.

    Nothing is handed to an IO manager: downstream assets load the data themselves.

    Example:
        >>> MaterializeResult(metadata={"rows": 10}).metadata["rows"].value
        10
    """

    asset_key: AssetKey | None
    metadata: Mapping[str, MetadataValue]
    data_version: str | None
    tags: Mapping[str, str]
    check_results: tuple[Any, ...]

    def __init__(
        self,
        *,
        asset_key: CoercibleToAssetKey | None = None,
        metadata: Mapping[str, Any] | None = None,
        data_version: str | None = None,
        tags: Mapping[str, str] | None = None,
        check_results: Sequence[Any] | None = None,
    ) -> None:
        key = AssetKey.from_coercible(asset_key) if asset_key is not None else None
        object.__setattr__(self, "asset_key", key)
        object.__setattr__(
            self, "metadata", normalize_metadata(metadata, where="MaterializeResult")
        )
        object.__setattr__(self, "data_version", data_version)
        object.__setattr__(self, "tags", dict(tags or {}))
        object.__setattr__(self, "check_results", tuple(check_results or ()))


@dataclass(frozen=True, slots=True, init=False)
class _AssetEvent:
    """Fields shared by materializations and observations."""

    asset_key: AssetKey
    description: str | None
    metadata: Mapping[str, MetadataValue]
    partition: str | None
    tags: Mapping[str, str]

    def __init__(
        self,
        asset_key: CoercibleToAssetKey,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        partition: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "asset_key", AssetKey.from_coercible(asset_key))
        set_(self, "description", description)
        set_(self, "metadata", normalize_metadata(metadata, where=type(self).__name__))
        set_(self, "partition", partition)
        set_(self, "tags", dict(tags or {}))

    @property
    def label(self) -> str:
        """The asset key as ``a/b``."""
        return self.asset_key.to_user_string()


@dataclass(frozen=True, slots=True, init=False)
class AssetMaterialization(_AssetEvent):
    """A record that an asset (or one partition of it) was materialized.

    Log one from an op with ``context.log_event(AssetMaterialization(asset_key="x"))``; assets
    produce one automatically.

    Args:
        asset_key: the asset (``AssetKey``, ``"a/b"`` or a list of strings).
        description: free text.
        metadata: raw values or ``MetadataValue``s.
        partition: the partition materialized, if any.
        tags: string tags.
    """


@dataclass(frozen=True, slots=True, init=False)
class AssetObservation(_AssetEvent):
    """A record of an asset's state seen without materializing it (e.g. a table's size).

    Takes the same arguments as :class:`AssetMaterialization`.
    """
