"""Observable source assets: external assets whose state a function observes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from headwater.declarations.assets.definition import AssetsDefinition
from headwater.declarations.assets.specs import DEFAULT_GROUP_NAME, AssetSpec, _coerce_key_prefix
from headwater.declarations.assets.versions import DataVersion, data_version_string
from headwater.declarations.signature import analyze_function
from headwater.keys import AssetKey, CoercibleToAssetKey
from headwater.metadata import MetadataValue, normalize_metadata


class ObserveResult:
    """What an observation function returns: the asset's data version and metadata.

    Args:
        asset_key: which asset (needed only when one function observes several).
        data_version: the observed data version (e.g. a file's modification time).
        metadata: attached to the ASSET_OBSERVATION event.
        tags: string tags.

    Example:
        >>> ObserveResult(data_version=DataVersion("42"), metadata={"rows": 42}).data_version
        '42'
    """

    __slots__ = ("asset_key", "data_version", "metadata", "tags")

    def __init__(
        self,
        *,
        asset_key: CoercibleToAssetKey | None = None,
        data_version: DataVersion | str | None = None,
        metadata: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        self.asset_key = AssetKey.from_coercible(asset_key) if asset_key is not None else None
        self.data_version = data_version_string(data_version)
        self.metadata: dict[str, MetadataValue] = normalize_metadata(
            metadata, where="ObserveResult"
        )
        self.tags = dict(tags or {})


class ObservableSourceAsset(AssetsDefinition[..., Any]):
    """An external asset (headwater does not materialize it) with a function that observes it.

    Built by :func:`observable_source_asset`; run its observation with :func:`observe`.
    """

    __slots__ = ("observe_fn",)

    def __init__(self, *, observe_fn: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.observe_fn = observe_fn

    @property
    def is_observable(self) -> bool:
        """Always ``True``: :attr:`observe_fn` observes the asset."""
        return True

    @property
    def group_name(self) -> str | None:
        """The group of the observed asset (an observable source asset has one key)."""
        return self.spec_for(self.key).group_name


def observable_source_asset(
    observe_fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    key: CoercibleToAssetKey | None = None,
    key_prefix: str | Sequence[str] | None = None,
    description: str | None = None,
    group_name: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    io_manager_key: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
    owners: Sequence[str] | None = None,
    tags: Mapping[str, str] | None = None,
    kinds: Iterable[str] | None = None,
) -> Any:
    """Declare an external asset with a function that observes its current state.

    The function (optionally taking a context and resources like an ``@asset``) returns an
    :class:`ObserveResult` or a :class:`DataVersion`; each observation is recorded as an
    ASSET_OBSERVATION event carrying the data version, which downstream assets' staleness
    compares against.

    Example:
        >>> @observable_source_asset
        ... def vendor_file():
        ...     return DataVersion("2024-05-01")
        >>> vendor_file.key
        AssetKey(['vendor_file'])
    """

    def build(fn: Callable[..., Any]) -> ObservableSourceAsset:
        node_name = name or (AssetKey.from_coercible(key).path[-1] if key else fn.__name__)
        prefix = _coerce_key_prefix(key_prefix)
        asset_key = AssetKey.from_coercible(key) if key else AssetKey([*prefix, node_name])
        where = f"observable_source_asset {asset_key.to_user_string()!r}"
        params = analyze_function(fn, where=where)
        spec = AssetSpec(
            asset_key,
            description=description or (fn.__doc__ or "").strip() or None,
            metadata=metadata,
            group_name=group_name or DEFAULT_GROUP_NAME,
            owners=owners,
            tags=tags,
            kinds=kinds,
        )
        return ObservableSourceAsset(
            observe_fn=fn,
            node_name=asset_key.to_python_identifier(),
            compute_fn=None,
            specs_by_output_name={"result": spec},
            params=params,
            io_manager_keys={"result": io_manager_key} if io_manager_key else None,
            required_resource_keys=frozenset(required_resource_keys or ())
            | frozenset(params.resource_params.values()),
        )

    return build(observe_fn) if observe_fn is not None else build
