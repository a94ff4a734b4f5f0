"""A cost limit for operations: what the depth and token limits miss is fan-out, a list inside a
list (every asset's downstream assets' downstream assets...).

The cost of an operation is the number of values it can return, estimated before it runs: each
field costs the product of the list sizes above it and its own. A list's size is its ``first``
argument when given as a literal, else its default page (:data:`LIST_SIZES`); for a connection
(:data:`CONNECTION_SIZES`) the size applies to its ``nodes``/``edges``. The graph traversals
``upstream``/``downstream`` count :data:`FAN_OUT` each; other fields count 1.
Operations above :data:`MAX_COST` are refused before anything runs.
"""

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)

#: The most an operation may cost (the UI's lineage query of 10,000 assets costs about 300,000).
MAX_COST = 3_000_000
#: How many items a connection is taken to hold when ``first`` is not a literal.
CONNECTION_SIZES = {"assets": 10_000, "runs": 50, "runEvents": 1_000, "events": 1_000,
                    "materializations": 50}  # fmt: skip
#: How many values a plain list field is taken to return when ``first`` is not a literal.
LIST_SIZES = {"assetKeys": 10_000, "events": 1_000, "evaluations": 25, "ticks": 25,
              "automationEvaluations": 25, "backfills": 50}  # fmt: skip
#: How many assets ``upstream`` / ``downstream`` are taken to return.
FAN_OUT = 10
_TRAVERSALS = frozenset({"upstream", "downstream"})
_ITEMS = frozenset({"nodes", "edges"})


def _size(field: FieldNode, sizes: dict[str, int]) -> int:
    name = field.name.value
    if name in _TRAVERSALS:
        return FAN_OUT
    if name not in sizes:
        return 1
    for argument in field.arguments or ():
        if argument.name.value == "first" and isinstance(argument.value, IntValueNode):
            return max(1, int(argument.value.value))
    return sizes[name]


class CostLimitRule(ValidationRule):
    """Refuse an operation whose estimated cost exceeds :data:`MAX_COST`."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        cost = self._cost(node.selection_set, 1, set())
        if cost > MAX_COST:
            self.report_error(GraphQLError(
                f"The operation may return about {cost:,} values, more than the limit of "
                f"{MAX_COST:,}: ask for fewer nested lists (upstream/downstream inside a list "
                "of assets) or pass smaller `first` values.", node,
            ))  # fmt: skip

    def _cost(
        self, selection_set: SelectionSetNode | None, multiplier: int, seen: set[str],
        items: int = 1,
    ) -> int:  # fmt: skip
        """The cost of a selection under ``multiplier``; ``items``: the size of the connection
        it belongs to, which its ``nodes``/``edges`` take."""
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if _is_connection(selection):  # the size goes to its nodes/edges
                    size = _size(selection, CONNECTION_SIZES)
                    total += multiplier + self._cost(selection.selection_set, multiplier, seen,
                                                     size)  # fmt: skip
                else:
                    name = selection.name.value
                    size = items if name in _ITEMS else _size(selection, LIST_SIZES)
                    inner = multiplier * size
                    total += inner + self._cost(selection.selection_set, inner, seen)
            elif isinstance(selection, InlineFragmentNode):
                total += self._cost(selection.selection_set, multiplier, seen, items)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is not None and name not in seen:  # cycles are another rule's error
                    total += self._cost(fragment.selection_set, multiplier, seen | {name}, items)
            if total > MAX_COST:
                return total
        return total


def _is_connection(field: FieldNode) -> bool:
    selections = field.selection_set.selections if field.selection_set else ()
    return any(isinstance(s, FieldNode) and s.name.value in _ITEMS for s in selections)
