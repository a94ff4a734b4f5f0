"""Faster execution of large answers (10,000 assets with their state).

Two steps, each falling back to the ordinary path for anything it does not cover:

- :func:`accelerate`: strawberry wraps every resolver to convert arguments, inject ``info`` and
  run extensions; for a field without arguments that wrapping is most of the cost of resolving
  it. In the built schema, the resolver of every such field of the non-root object types is
  replaced by a direct call: an attribute read, or the method called with the source (and the
  resolve info, whose ``context`` is the same object strawberry would pass). Fields with
  arguments, fields returning enums and the root types keep strawberry's resolver.
- :class:`FastExecutor`: graphql-core completes every value of a list through several calls
  per field (about 0.1 ms per asset of a lineage query). For a list of objects whose selection
  holds only such direct fields (no arguments, fragments or directives), the executor compiles
  the selection once into nested functions and builds the list's answer with them. Anything
  else, or any surprise while building it (an exception, a null where the schema says non-null,
  a value a scalar refuses), leaves the list to graphql-core, which reports errors as usual.

Tests check that answers are the same either way.
"""

import operator
from collections.abc import Callable, Iterable
from typing import Any

import strawberry
from graphql import (
    FieldNode,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

__all__ = ["FastExecutor", "accelerate"]

#: Marks the resolvers :func:`accelerate` installed (the only ones :class:`FastExecutor` calls).
_DIRECT = "_headwater_direct"

_BACKREF = "strawberry-definition"
_ROOTS = frozenset({"Query", "Mutation", "Subscription"})


def accelerate(schema: strawberry.Schema) -> int:
    """Resolve the plain fields of ``schema``'s object types directly; how many were changed."""
    changed = 0
    for name, gtype in schema._schema.type_map.items():
        if name in _ROOTS or name.startswith("__") or not isinstance(gtype, GraphQLObjectType):
            continue
        for gfield in gtype.fields.values():
            resolve = _direct(gfield)
            if resolve is not None:
                setattr(resolve, _DIRECT, True)
                gfield.resolve = resolve
                changed += 1
    return changed


def _direct(gfield: Any) -> Callable[..., Any] | None:
    field = (gfield.extensions or {}).get(_BACKREF)
    if field is None or field.arguments or gfield.args:
        return None
    if isinstance(get_named_type(gfield.type), GraphQLEnumType):
        return None  # strawberry maps enum members to their names
    resolver = field.base_resolver
    if resolver is None:
        read = operator.attrgetter(field.python_name)
        return lambda source, _info: read(source)
    params = list(resolver.signature.parameters)
    func = resolver.wrapped_func
    if params == ["self"]:
        return lambda source, _info: func(source)
    if params == ["self", "info"]:
        return lambda source, info: func(source, info)
    return None


class _Fallback(Exception):
    """The compiled path cannot answer: leave the list to graphql-core."""


Build = Callable[[Any], Any]


class FastExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, building lists of simple objects with compiled selections."""

    def complete_iterable_value(
        self, item_type: Any, field_details_list: Any, info: Any, path: Any,
        items: Iterable[Any], position_context: Any,
    ) -> Any:  # fmt: skip
        plans = self.__dict__.setdefault("_headwater_plans", {})
        key = (id(item_type), tuple(id(d.node) for d in field_details_list))
        if key not in plans:
            nodes = [d.node for d in field_details_list]
            plans[key] = _compile(item_type, nodes, info) if _plain(field_details_list) else None
        build = plans[key]
        if build is not None:
            values = list(items)
            try:
                return [build(v) for v in values]
            except _Fallback:
                items = values
            except Exception:  # graphql-core resolves again and reports the error its way
                items = values
        return super().complete_iterable_value(item_type, field_details_list, info, path,
                                               items, position_context)  # fmt: skip


def _plain(field_details_list: Any) -> bool:
    return all(d.defer_usage is None and d.fragment_variable_values is None
               for d in field_details_list)  # fmt: skip


def _compile(gtype: Any, nodes: list[FieldNode], info: Any) -> Build | None:
    """A function building the answer for one value of ``gtype`` selected by ``nodes``, or
    ``None`` when the selection is not one this path covers."""
    required = isinstance(gtype, GraphQLNonNull)
    inner = gtype.of_type if required else gtype
    if isinstance(inner, GraphQLList):
        item = _compile(inner.of_type, nodes, info)
        if item is None:
            return None

        def build_list(value: Any) -> Any:
            if value is None:
                if required:
                    raise _Fallback
                return None
            return [item(v) for v in value]

        return build_list
    if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
        serialize = inner.serialize

        def build_leaf(value: Any) -> Any:
            if value is None:
                if required:
                    raise _Fallback
                return None
            out = serialize(value)
            if out is None:
                raise _Fallback
            return out

        return build_leaf
    if not isinstance(inner, GraphQLObjectType):
        return None
    entries = _entries(inner, nodes, info)
    if entries is None:
        return None

    def build_object(value: Any) -> Any:
        if value is None:
            if required:
                raise _Fallback
            return None
        return {key: build(resolve(value, info)) for key, resolve, build in entries}

    return build_object


def _entries(
    gtype: GraphQLObjectType, nodes: list[FieldNode], info: Any
) -> list[tuple[str, Any, Build]] | None:
    selections: list[Any] = []
    for node in nodes:
        if node.selection_set is None:
            return None
        selections += node.selection_set.selections
    entries, keys = [], set()
    for selection in selections:
        if not isinstance(selection, FieldNode) or selection.directives or selection.arguments:
            return None  # fragments, @include/@skip, arguments: the ordinary path
        key = selection.alias.value if selection.alias else selection.name.value
        if key in keys:
            return None  # the same key twice: graphql-core merges them
        keys.add(key)
        name = selection.name.value
        if name == "__typename":
            type_name = gtype.name
            entries.append((key, lambda _v, _i, n=type_name: n, lambda v: v))
            continue
        gfield = gtype.fields.get(name)
        if gfield is None or not getattr(gfield.resolve, _DIRECT, False):
            return None
        build = _compile(gfield.type, [selection], info)
        if build is None:
            return None
        entries.append((key, gfield.resolve, build))
    return entries
