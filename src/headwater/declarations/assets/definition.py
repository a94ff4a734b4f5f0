"""AssetsDefinition: the immutable result of ``@asset``/``@multi_asset`` (or an external spec)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar

from headwater.asset_graph.graph import AssetNode
from headwater.declarations._gc import frozen
from headwater.declarations.assets.specs import (
    DEFAULT_GROUP_NAME,
    AssetDep,
    AssetIn,
    AssetSpec,
    with_group,
)
from headwater.declarations.invocation import bind_direct_call
from headwater.declarations.signature import FunctionParams
from headwater.errors import DefinitionError, TypeCheckError
from headwater.keys import AssetCheckKey, AssetKey

if TYPE_CHECKING:
    from headwater.declarations.checks.definition import AssetCheckSpec

P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_IO_MANAGER_KEY = "io_manager"


class AssetsDefinition(Generic[P, R]):
    """One computation that materializes one or more assets, or a set of external assets.

    Built by ``@asset``, ``@multi_asset`` or :meth:`from_specs`; do not construct directly.
    Calling it calls the decorated function (handy in unit tests).

    Attributes:
        node_name: the name of the step that computes it (the function name by default).
        specs_by_output_name: the asset produced by each output.
        ins: how each input parameter maps to an upstream asset.
        params: the analyzed parameters of the function (``None`` for external assets).
        graph_def: the ``GraphDefinition`` of a ``@graph_asset``/``@graph_multi_asset``.
    """

    __slots__ = (
        "__name__",
        "_by_key",
        "_keys",
        "_selected",
        "backfill_policy",
        "can_subset",
        "check_specs",
        "compute_fn",
        "config_schema",
        "dagster_types",
        "graph_def",
        "input_keys",
        "ins",
        "io_manager_keys",
        "node_name",
        "op_tags",
        "params",
        "partitions_def",
        "pool",
        "required_resource_keys",
        "retry_policy",
        "specs_by_output_name",
    )

    def __init__(
        self,
        *,
        node_name: str,
        compute_fn: Callable[P, R] | None,
        specs_by_output_name: Mapping[str, AssetSpec],
        ins: Mapping[str, AssetIn] | None = None,
        input_keys: Mapping[str, AssetKey] | None = None,
        params: FunctionParams | None = None,
        io_manager_keys: Mapping[str, str] | None = None,
        required_resource_keys: Iterable[str] = (),
        can_subset: bool = False,
        selected_keys: Iterable[AssetKey] | None = None,
        op_tags: Mapping[str, str] | None = None,
        retry_policy: Any = None,
        partitions_def: Any = None,
        backfill_policy: Any = None,
        pool: str | None = None,
        dagster_types: Mapping[str, Any] | None = None,
        check_specs: Sequence[AssetCheckSpec] = (),
        config_schema: type[Any] | None = None,
        graph_def: Any = None,
    ) -> None:
        self.node_name = node_name
        self.__name__ = node_name
        self.compute_fn = compute_fn
        self.specs_by_output_name = dict(specs_by_output_name)
        self.ins = dict(ins or {})
        self.input_keys = dict(input_keys or {})
        self.params = params
        self.io_manager_keys = dict(io_manager_keys or {})
        self.required_resource_keys = frozen(required_resource_keys)
        self.can_subset = can_subset
        # Key sets are built on first use (most definitions are only ever indexed by key), so
        # decorating thousands of assets makes fewer objects for the cyclic GC to rescan.
        self._keys: frozenset[AssetKey] | None = None
        self._by_key: Any = None
        self._selected = frozenset(selected_keys) if selected_keys is not None else None
        self.op_tags = dict(op_tags or {})
        self.retry_policy = retry_policy
        self.partitions_def = partitions_def
        self.backfill_policy = backfill_policy
        self.pool = pool
        self.dagster_types = dict(dagster_types or {})
        self.check_specs: tuple[AssetCheckSpec, ...] = tuple(check_specs)
        # The model of a legacy ``config_schema=`` (``context.op_config``), if any.
        self.config_schema = config_schema
        # The graph of ops a ``@graph_asset`` runs inside its step (``None`` for other assets).
        self.graph_def: Any = graph_def

    # -- direct invocation --------------------------------------------------------------------
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """Call the decorated function directly (e.g. in a unit test).

        Inputs go by position or name. A function that takes a context is given one first
        (``build_asset_context(...)``); it executes this asset for the call.
        Resource parameters not passed come from the context's resources. A single-output
        asset's returned value is checked against its declared type (``dagster_type=`` or the
        return annotation), as in a run.

        Raises:
            InvalidInvocationError: an input without a value, too many arguments, an unknown
                keyword, no context for a function that takes one.
            KeyError: a resource parameter that neither the call nor the context provides.
            TypeCheckError: the returned value fails the asset's type check.

        Example:
            >>> from headwater import asset
            >>> @asset
            ... def doubled(numbers: list[int]) -> list[int]:
            ...     return [2 * n for n in numbers]
            >>> doubled([1, 2])
            [2, 4]
        """
        if self.compute_fn is None:
            raise DefinitionError(
                f"External asset {self.node_name!r} has no function to call; it is materialized "
                "outside headwater."
            )
        contexts: list[Any] = []
        if self.params is not None:
            args, kwargs = bind_direct_call(  # type: ignore[assignment]
                self.compute_fn, self.params, args, kwargs, what=f"asset {self.node_name!r}",
                context_builder="build_asset_context",
                on_context=contexts.append,
            )  # fmt: skip
        # as in Dagster, a context built for a unit test executes the asset it is passed to
        bind = getattr(contexts[0], "bind_direct_invocation", None) if contexts else None
        unbind = bind(self) if bind is not None else None
        try:
            result = self.compute_fn(*args, **kwargs)
        finally:
            if unbind is not None:
                unbind()
        self._type_check_direct_result(result)
        return result

    def _type_check_direct_result(self, result: Any) -> None:
        from headwater.declarations.results import Output
        from headwater.declarations.signature import MISSING
        from headwater.declarations.types import TypeCheckContext, resolve_data_type

        params = self.params
        if params is None or len(self.output_names_by_key) != 1 or self.graph_def is not None:
            return
        code = getattr(self.compute_fn, "__code__", None)
        if code is not None and code.co_flags & 0x20:
            return  # a generator: its items are outputs and events, checked in a run
        (output_name,) = self.output_names_by_key.values()
        declared = self.dagster_types.get(output_name)
        if declared is None and params.return_annotation is not MISSING:
            declared = params.return_annotation
        value = result.value if isinstance(result, Output) else result
        data_type = resolve_data_type(declared)
        if data_type is None or declared is None or not _is_plain_value(result):
            return
        context = TypeCheckContext(run_id=None, step_key=self.node_name, resources=None, log=None)
        check = data_type.type_check(context, value)
        if not check.success:
            raise TypeCheckError(
                f"Output of asset {self.node_name!r} failed its type check {data_type.name!r}: "
                f"{check.description or 'the value does not have the type'}"
            )

    @property
    def config_class(self) -> type[Any] | None:
        """The model run config for this step is validated against, if it takes config."""
        if self.params is not None and self.params.config_param is not None:
            return self.params.config_param[1]
        return self.config_schema

    # -- keys and specs -----------------------------------------------------------------------
    @property
    def keys(self) -> frozenset[AssetKey]:
        """The selected asset keys this definition materializes (all of them unless subsetted)."""
        return self.selected_keys

    @property
    def selected_keys(self) -> frozenset[AssetKey]:
        """The keys a subset (:meth:`subset_for`) materializes; every key when not subsetted."""
        return self._selected if self._selected is not None else self.all_keys

    @property
    def key(self) -> AssetKey:
        """The single key; raises ``DefinitionError`` for a multi-asset."""
        specs = self.specs_by_output_name
        if self._selected is None and len(specs) == 1:
            return next(iter(specs.values())).key
        if len(self.selected_keys) != 1:
            raise DefinitionError(
                f"{self.node_name!r} produces {len(self.selected_keys)} assets; use .keys instead "
                "of .key."
            )
        return next(iter(self.selected_keys))

    @property
    def check_keys(self) -> frozenset[AssetCheckKey]:
        """Keys of the asset checks this definition evaluates."""
        return frozenset(s.key for s in self.check_specs)

    @property
    def all_keys(self) -> frozenset[AssetKey]:
        """Every key, regardless of subsetting."""
        keys = self._keys
        if keys is None:
            keys = frozenset(s.key for s in self.specs_by_output_name.values())
            self._keys = keys
        return keys

    @property
    def specs(self) -> list[AssetSpec]:
        """Specs of the selected assets."""
        if self._selected is None:
            return list(self.specs_by_output_name.values())
        return [s for s in self.specs_by_output_name.values() if s.key in self._selected]

    @property
    def is_external(self) -> bool:
        """Whether headwater cannot materialize these assets (declared by spec only)."""
        return self.compute_fn is None

    @property
    def is_executable(self) -> bool:
        """Whether it has a function to run."""
        return self.compute_fn is not None

    @property
    def is_observable(self) -> bool:
        """Whether a function observes these assets (an ``@observable_source_asset``)."""
        return False

    @property
    def op(self) -> Any:
        """The op that computes these assets, as an ``OpDefinition`` (``.name`` is the step
        name, ``.tags`` the ``op_tags``; its outputs are the asset outputs).

        Raises:
            DefinitionError: the assets are external (no function), or a graph computes them
                (use :attr:`node_def`).
        """
        if self.graph_def is not None:
            raise DefinitionError(
                f"{self.node_name!r} is computed by a graph, not one op; use .node_def."
            )
        return self.node_def

    @property
    def node_def(self) -> Any:
        """What computes these assets: an ``OpDefinition``, or the ``GraphDefinition`` of a
        graph-backed asset.

        Raises:
            DefinitionError: the assets are external (declared by spec, no function).
        """
        if self.graph_def is not None:
            return self.graph_def
        if self.compute_fn is None or self.params is None:
            raise DefinitionError(
                f"{self.node_name!r} declares external assets; no op computes them."
            )
        from headwater.declarations.ops.definition import In, OpDefinition, Out

        ins = {name: In(metadata=self.ins[name].metadata if name in self.ins else None)
               for name in self.input_keys}  # fmt: skip
        outs = {
            name: Out(dagster_type=self.dagster_types.get(name), is_required=not spec.skippable,
                      io_manager_key=self.io_manager_keys.get(name, DEFAULT_IO_MANAGER_KEY))
            for name, spec in self.specs_by_output_name.items()
        }  # fmt: skip
        return OpDefinition(
            name=self.node_name, compute_fn=self.compute_fn, params=self.params, ins=ins,
            outs=outs, required_resource_keys=self.required_resource_keys,
            retry_policy=self.retry_policy, tags=self.op_tags,
            description=next((s.description for s in self.specs if s.description), None),
        )  # fmt: skip

    @property
    def keys_by_output_name(self) -> dict[str, AssetKey]:
        """Output name -> asset key."""
        return {name: spec.key for name, spec in self.specs_by_output_name.items()}

    @property
    def output_names_by_key(self) -> dict[AssetKey, str]:
        """Asset key -> output name."""
        return dict(self._lookups()[1])

    def _lookups(
        self,
    ) -> tuple[dict[str, AssetSpec], dict[AssetKey, str], dict[AssetKey, AssetSpec]]:
        # Execution asks these for every event of a step; rebuild only when the specs change.
        cached = self._by_key
        if cached is None or cached[0] is not self.specs_by_output_name:
            specs = self.specs_by_output_name
            names = {spec.key: name for name, spec in specs.items()}
            by_key = {spec.key: spec for spec in specs.values()}
            cached = (specs, names, by_key)
            object.__setattr__(self, "_by_key", cached)
        return cached  # type: ignore[no-any-return]

    @property
    def keys_by_input_name(self) -> dict[str, AssetKey]:
        """Input parameter -> upstream asset key."""
        return dict(self.input_keys)

    @property
    def dependency_keys(self) -> frozenset[AssetKey]:
        """Every upstream key (loaded inputs and ``deps``)."""
        return frozenset(k for s in self.specs for k in s.dep_keys)

    def spec_for(self, key: AssetKey) -> AssetSpec:
        """The spec of ``key``; raises ``KeyError`` for a key of another definition."""
        return self._lookups()[2][key]

    @property
    def group_names_by_key(self) -> dict[AssetKey, str]:
        """Group of each key."""
        return {s.key: s.group_name or DEFAULT_GROUP_NAME for s in self.specs}

    @property
    def descriptions_by_key(self) -> dict[AssetKey, str]:
        """Description of each key that has one (keys without a description are left out)."""
        return {s.key: s.description for s in self.specs if s.description is not None}

    @property
    def automation_conditions_by_key(self) -> dict[AssetKey, Any]:
        """The ``AutomationCondition`` of each key (``None`` where none is declared)."""
        return {s.key: s.automation_condition for s in self.specs}

    @property
    def metadata_by_key(self) -> dict[AssetKey, Mapping[str, Any]]:
        """Definition metadata of each key."""
        return {s.key: s.metadata for s in self.specs}

    @property
    def tags_by_key(self) -> dict[AssetKey, Mapping[str, str]]:
        """Tags of each key."""
        return {s.key: s.tags for s in self.specs}

    @property
    def owners_by_key(self) -> dict[AssetKey, Sequence[str]]:
        """Owners of each key."""
        return {s.key: s.owners for s in self.specs}

    @property
    def code_versions_by_key(self) -> dict[AssetKey, str | None]:
        """Code version of each key."""
        return {s.key: s.code_version for s in self.specs}

    def io_manager_key_for(self, key: AssetKey) -> str:
        """Resource key of the IO manager storing ``key``."""
        output = self._lookups()[1][key]
        return self.io_manager_keys.get(output, DEFAULT_IO_MANAGER_KEY)

    # -- transformations ----------------------------------------------------------------------
    def subset_for(self, keys: Iterable[AssetKey]) -> AssetsDefinition[P, R]:
        """A copy that materializes only ``keys`` (all of them must belong to it), with only the
        checks of those keys."""
        wanted = frozenset(keys) & self.all_keys
        clone = self._copy()
        clone._selected = wanted
        object.__setattr__(
            clone, "check_specs", tuple(s for s in self.check_specs if s.asset_key in wanted)
        )
        return clone

    def with_attributes(
        self,
        *,
        group_name: str | None = None,
        asset_key_replacements: Mapping[AssetKey, AssetKey] | None = None,
    ) -> AssetsDefinition[P, R]:
        """A copy with every spec's group replaced and/or asset keys renamed.

        Args:
            group_name: the new group of every asset.
            asset_key_replacements: old key -> new key, applied to the assets' own keys, to
                their dependencies and inputs, and to the assets their checks target (used by
                ``load_assets_from_modules(key_prefix=...)``).

        Example:
            >>> from headwater import asset
            >>> @asset
            ... def orders() -> int:
            ...     return 1
            >>> moved = orders.with_attributes(
            ...     asset_key_replacements={AssetKey("orders"): AssetKey(["lake", "orders"])})
            >>> moved.key
            AssetKey(['lake', 'orders'])
        """
        clone = self._copy()
        renamed = dict(asset_key_replacements or {})

        def rename(key: AssetKey) -> AssetKey:
            return renamed.get(key, key)

        specs = {}
        for name, spec in self.specs_by_output_name.items():
            changes: dict[str, Any] = {}
            if group_name is not None:
                changes["group_name"] = group_name
            if renamed:
                changes["key"] = rename(spec.key)
                changes["deps"] = [
                    d if d.asset_key not in renamed
                    else AssetDep(renamed[d.asset_key], partition_mapping=d.partition_mapping)
                    for d in spec.deps
                ]
            specs[name] = spec.replace_attributes(**changes) if changes else spec
        object.__setattr__(clone, "specs_by_output_name", specs)
        if renamed:
            inputs = {name: rename(key) for name, key in self.input_keys.items()}
            object.__setattr__(clone, "input_keys", inputs)
            checks = tuple(_renamed_check(c, rename) for c in self.check_specs)
            object.__setattr__(clone, "check_specs", checks)
            if self._selected is not None:
                object.__setattr__(clone, "_selected", frozenset(map(rename, self._selected)))
        object.__setattr__(clone, "_keys", None)
        object.__setattr__(clone, "_by_key", None)
        return clone

    def map_asset_specs(
        self,
        func: Callable[[AssetSpec], AssetSpec],
        *,
        keys: Iterable[AssetKey] | None = None,
    ) -> AssetsDefinition[P, R]:
        """A copy whose specs are ``func(spec)`` (only those of ``keys``, when given).

        Raises:
            DefinitionError: ``func`` returned something other than an ``AssetSpec``, changed
                a key, or dropped a dependency that the asset loads as an input.

        Example:
            >>> from headwater import asset
            >>> @asset
            ... def a() -> int:
            ...     return 1
            >>> grouped = a.map_asset_specs(lambda s: s.replace_attributes(group_name="g"))
            >>> grouped.specs[0].group_name
            'g'
        """
        wanted = None if keys is None else frozenset(keys)
        specs = {}
        for name, spec in self.specs_by_output_name.items():
            if wanted is not None and spec.key not in wanted:
                specs[name] = spec
                continue
            new = func(spec)
            where = f"map_asset_specs on asset {spec.key.to_user_string()!r}"
            if not isinstance(new, AssetSpec):
                raise DefinitionError(f"{where}: the function returned {new!r}, not an AssetSpec.")
            if new.key != spec.key:
                raise DefinitionError(
                    f"{where}: the function changed the key to {new.key.to_user_string()!r}; "
                    "keys cannot change here (use load_assets_from_modules(key_prefix=...) or "
                    "the decorator's key= instead)."
                )
            lost = set(self.input_keys.values()) & (set(spec.dep_keys) - set(new.dep_keys))
            if lost:
                names = sorted(k.to_user_string() for k in lost)
                raise DefinitionError(
                    f"{where}: the function dropped dependencies {names} that the asset "
                    "loads as inputs; keep them."
                )
            specs[name] = new
        clone = self._copy()
        object.__setattr__(clone, "specs_by_output_name", specs)
        object.__setattr__(clone, "_by_key", None)
        return clone

    def _copy(self) -> AssetsDefinition[P, R]:
        cls = type(self)  # a subclass (an observable source asset) keeps its class and slots
        clone = object.__new__(cls)
        for klass in cls.__mro__:
            for slot in getattr(klass, "__slots__", ()):
                object.__setattr__(clone, slot, getattr(self, slot, None))
        return clone

    def to_asset_nodes(self) -> list[AssetNode]:
        """Graph nodes for every asset (all keys, whatever the subset)."""
        return [
            AssetNode(
                key=spec.key,
                parent_keys=tuple([d.asset_key for d in spec.deps]) if spec.deps else (),
                group_name=spec.group_name or DEFAULT_GROUP_NAME,
                tags=spec.tags,
                kinds=spec.kinds,
                owners=spec.owners,
                description=spec.description,
                code_version=spec.code_version,
                metadata=spec.metadata,
                is_materializable=self.compute_fn is not None,
            )
            for spec in self.specs_by_output_name.values()
        ]

    @staticmethod
    def from_specs(specs: Iterable[AssetSpec]) -> list[AssetsDefinition[..., Any]]:
        """External assets (no function) for the given specs."""
        return [
            AssetsDefinition(
                node_name=spec.key.to_python_identifier(),
                compute_fn=None,
                specs_by_output_name={"result": with_group(spec, spec.group_name)},
            )
            for spec in specs
        ]

    def __repr__(self) -> str:
        keys = ", ".join(sorted(k.to_user_string() for k in self.selected_keys))
        return f"<AssetsDefinition {self.node_name!r} keys=[{keys}]>"


def map_asset_specs(
    func: Callable[[AssetSpec], AssetSpec],
    iterable: Iterable[AssetsDefinition[..., Any] | AssetSpec],
) -> list[AssetsDefinition[..., Any] | AssetSpec]:
    """Apply ``func`` to the spec of every asset of ``iterable`` (definitions and specs alike).

    Args:
        func: takes a spec and returns the changed one; it must keep the key.
        iterable: ``AssetsDefinition`` s (each is copied with its specs mapped) and
            ``AssetSpec`` s (each is replaced by ``func(spec)``), in any mix.

    Raises:
        DefinitionError: as :meth:`AssetsDefinition.map_asset_specs`.

    Example:
        >>> specs = map_asset_specs(lambda s: s.replace_attributes(owners=["team:x"]),
        ...                         [AssetSpec("raw")])
        >>> specs[0].owners
        ('team:x',)
    """
    return [
        item.map_asset_specs(func) if isinstance(item, AssetsDefinition) else func(item)
        for item in iterable
    ]


def _renamed_check(spec: AssetCheckSpec, rename: Callable[[AssetKey], AssetKey]) -> AssetCheckSpec:
    """``spec`` on the renamed asset, its additional dependencies renamed too."""
    from headwater.declarations.checks.definition import AssetCheckSpec

    return AssetCheckSpec(
        spec.name, asset=rename(spec.asset_key), description=spec.description,
        blocking=spec.blocking, additional_deps=[rename(k) for k in spec.additional_deps],
        metadata=spec.metadata,
    )  # fmt: skip


def _is_plain_value(result: Any) -> bool:
    """Whether a directly invoked asset returned a value (or an ``Output``) to type-check,
    rather than a ``MaterializeResult`` or other result object."""
    from headwater.declarations.results import Output

    if isinstance(result, Output):
        return True
    return type(result).__name__ not in {"MaterializeResult", "AssetCheckResult", "ObserveResult"}
