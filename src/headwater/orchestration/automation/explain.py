"""Explaining a stored condition evaluation in words (``headwater asset why KEY``).

The explanation follows the tree: a labelled node is named by its label (``eager``'s parts are
``newly missing``, ``any deps updated``, ``in progress``, ...), ``AND`` joins its operands
with AND, ``OR`` names the operands that were true, ``NOT`` names what was not the case, and
a partitioned asset's nodes carry how many partitions were true::

    requested because: in latest time window (1 partition) AND any deps updated (upstream:
    raw) (1 partition) since last handled AND NOT any deps missing AND NOT in progress
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.orchestration.automation.subsets import count


class _Tree:
    def __init__(self, body: Mapping[str, Any]) -> None:
        self.partitioned = bool(body.get("partitioned"))
        self.total = int(body.get("total", 1))
        self.nodes = {n["path"]: n for n in body.get("nodes", ())}

    def children(self, path: str) -> list[dict[str, Any]]:
        out, i = [], 0
        while f"{path}.{i}" in self.nodes:
            out.append(self.nodes[f"{path}.{i}"])
            i += 1
        return out

    def words(self, node: Mapping[str, Any], *, counts: bool = True) -> str:
        label = node.get("label")
        kids = self.children(node["path"])
        if label:
            text = _WORDS.get(label, str(label).replace("_", " "))
        elif node["name"] in ("AND", "OR") and kids:
            inner = f" {node['name']} ".join(self.words(k, counts=False) for k in kids)
            text = f"({inner})"
        elif node["name"] == "NOT" and kids:
            text = "NOT " + self.words(kids[0], counts=False)
        elif node["name"].startswith("cron_tick_passed"):
            text = "cron tick passed (" + node["name"].partition("(")[2]
        else:
            text = node["name"].replace("_", " ")
        deps = node.get("deps") or self._deps_below(node["path"])
        if deps and counts:
            text += f" (upstream: {', '.join(deps)})"
        if counts and self.partitioned and node["n"]:
            text += f" ({_partitions(node['n'])})"
        return text

    def _deps_below(self, path: str) -> list[str]:
        below = self.nodes.get(path + ".0")
        node = self.nodes.get(path)
        if node is None or below is None or not node["name"].endswith("DEPS_MATCH"):
            return []
        return list(below.get("deps") or [])

    def why_true(self, node: Mapping[str, Any]) -> str:
        name, path = node["name"], node["path"]
        kids = self.children(path)
        if (node.get("label") and path != "0") or not kids:
            return self.words(node)
        if name == "AND":
            return " AND ".join(self.why_true(k) for k in kids)
        if name == "OR":
            true = [self.why_true(k) for k in kids if k["n"]]
            return " OR ".join(true) if true else self.words(node)
        if name == "NOT":
            return "NOT " + self.words(kids[0], counts=False)
        if name == "SINCE":
            trigger, reset = kids[0], (kids[1] if len(kids) > 1 else None)
            since = self.words(reset, counts=False) if reset else "its last reset"
            if trigger["n"]:
                return f"{self.why_true(trigger)} since {since}"
            return f"{self.words(trigger, counts=False)} (on an earlier tick, not {since} since)"
        if name == "NEWLY_TRUE":
            return "newly " + self.words(kids[0], counts=False)
        return self.words(node)

    def why_false(self, node: Mapping[str, Any]) -> str:
        name, path = node["name"], node["path"]
        kids = self.children(path)
        if name == "AND" and kids:
            false = [k for k in kids if not k["n"]]
            if false:
                return "; ".join(self.why_false(k) for k in false)
            return "no partition met every part at once"
        if name == "NOT" and kids:
            return f"{self.words(kids[0])} (NOT {self.words(kids[0], counts=False)} is false)"
        if name == "SINCE" and kids:
            reset = self.words(kids[1], counts=False) if len(kids) > 1 else "its last reset"
            return f"{self.words(kids[0], counts=False)} has not been true since {reset}"
        if name == "OR" and kids and not node.get("label"):
            return "none of: " + ", ".join(self.words(k, counts=False) for k in kids)
        return "not " + self.words(node, counts=False)


def explain(body: Mapping[str, Any]) -> str:
    """One sentence saying why an evaluation did (or did not) request its asset.

    Args:
        body: a stored ``ConditionEvaluationRecord.body``.

    Example:
        >>> explain({"requested": True, "partitioned": False, "total": 1, "nodes": [
        ...     {"path": "0.0", "name": "missing", "n": 1},
        ...     {"path": "0.1.0", "name": "run_in_progress", "n": 0},
        ...     {"path": "0.1", "name": "NOT", "n": 1},
        ...     {"path": "0", "name": "AND", "n": 1}]})
        'requested because: missing AND NOT run in progress'
    """
    tree = _Tree(body)
    root = tree.nodes.get("0")
    if root is None:
        reason = body.get("reason")
        return f"requested because: {reason}" if reason else "not evaluated"
    requested = count(body.get("requested"))
    if requested:
        head = "requested" if not tree.partitioned else f"requested {_partitions(requested)}"
        return f"{head} because: {tree.why_true(root)}"
    return f"not requested: {tree.why_false(root)}"


def tree_lines(body: Mapping[str, Any]) -> list[str]:
    """The evaluated tree, one node a line, indented, with how many partitions were true."""
    tree = _Tree(body)
    out: list[str] = []

    def walk(path: str, depth: int) -> None:
        node = tree.nodes.get(path)
        if node is None:
            return
        mark = "✓" if node["n"] else "·"
        label = f" ({node['label']})" if node.get("label") else ""
        share = f" {node['n']}/{tree.total}" if tree.partitioned else ""
        deps = f" matched upstream: {', '.join(node['deps'])}" if node.get("deps") else ""
        out.append(f"{'  ' * depth}{mark} {node['name']}{label}{share}{deps}")
        for i in range(len(tree.children(path))):
            walk(f"{path}.{i}", depth + 1)

    walk("0", 0)
    return out


_WORDS = {"handled": "last handled"}


def _partitions(n: int) -> str:
    return f"{n} partition" + ("" if n == 1 else "s")
