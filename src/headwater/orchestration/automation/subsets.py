"""Sets of an asset's partitions (``AssetSubset``-like) and their compressed form.

A subset is a ``frozenset`` of partition keys; an unpartitioned asset has the single element
``None``. Set operations run in C, so a condition over 2,000 partitions costs a few set
operations, not 2,000 Python objects. For storage and cursors a subset is compressed into runs
of consecutive keys in the asset's partition order: ``{"n": 3, "runs": [["a", "c"]]}`` (an
unpartitioned subset is ``true``/``false``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: A set of partition keys (``None`` is the one "partition" of an unpartitioned asset).
Subset = frozenset[str | None]

EMPTY: Subset = frozenset()
UNPARTITIONED: Subset = frozenset({None})


def encode(subset: Subset, order: Sequence[str] | None, index: Mapping[str, int] | None) -> Any:
    """``subset`` as JSON data: a bool when unpartitioned, else a count and runs of keys.

    Args:
        subset: the keys.
        order: the asset's partition keys in order (``None``: unpartitioned).
        index: key -> position in ``order``.

    Example:
        >>> keys = ["a", "b", "c", "d"]
        >>> encode(frozenset({"a", "b", "d"}), keys, {k: i for i, k in enumerate(keys)})
        {'n': 3, 'runs': [['a', 'b'], ['d', 'd']]}
    """
    if order is None or index is None:
        return None in subset
    if not subset:
        return {"n": 0, "runs": []}
    positions = sorted(index[k] for k in subset if k is not None and k in index)
    extra = sorted(k for k in subset if k is not None and k not in index)
    runs: list[list[str]] = []
    start = prev = positions[0] if positions else 0
    for pos in positions[1:]:
        if pos != prev + 1:
            runs.append([order[start], order[prev]])
            start = pos
        prev = pos
    if positions:
        runs.append([order[start], order[prev]])
    out: dict[str, Any] = {"n": len(positions) + len(extra), "runs": runs}
    if extra:
        out["keys"] = extra  # keys no longer in the definition (a deleted dynamic partition)
    return out


def decode(data: Any, order: Sequence[str] | None, index: Mapping[str, int] | None) -> Subset:
    """The subset :func:`encode` wrote, read against the asset's current partition order.

    Runs whose first or last key no longer exists are read key by key where possible; keys not
    in the definition any more are dropped.

    Example:
        >>> keys = ["a", "b", "c"]
        >>> sorted(decode({"n": 2, "runs": [["b", "c"]]}, keys, {k: i for i, k in enumerate(keys)}))
        ['b', 'c']
    """
    if order is None or index is None:
        return UNPARTITIONED if data is True else EMPTY
    if not isinstance(data, dict):
        return EMPTY
    out: set[str | None] = set()
    for first, last in data.get("runs", ()):
        lo, hi = index.get(first), index.get(last)
        if lo is not None and hi is not None:
            out.update(order[lo : hi + 1])
        else:
            out.update(k for k in (first, last) if k in index)
    out.update(k for k in data.get("keys", ()) if k in index)
    return frozenset(out)


def count(data: Any) -> int:
    """How many partitions an encoded subset holds (1 or 0 when unpartitioned)."""
    if isinstance(data, bool):
        return int(data)
    return int(data.get("n", 0)) if isinstance(data, dict) else 0
