"""Turning an :class:`~.engine.AssetEvaluation` into a stored record, and knowing when to.

A record's body holds what was requested and, per evaluated node of the condition tree, its
path, name, label, how many partitions were true and which (compressed, :mod:`.subsets`), and
for the dependency operators which upstream assets matched. Nodes a tick skipped (an ``AND``
already false, a stateless operand) are absent. :func:`signature` is a cheap fingerprint of an
evaluation: the daemon stores an asset's evaluation only when it differs from the last one
stored (or requested something), so 10,000 quiet assets cost nothing per tick.
"""

from __future__ import annotations

from typing import Any

from headwater.orchestration.automation.engine import AssetEvaluation
from headwater.orchestration.automation.subsets import encode
from headwater.storage.automation_records import ConditionEvaluationRecord


def signature(evaluation: AssetEvaluation) -> int:
    """A hash of what each node was on this tick (equal signatures: same explanation)."""
    return hash(tuple((path, subset, deps) for path, _node, subset, deps in evaluation.nodes))


def to_record(
    evaluation: AssetEvaluation, *, evaluation_id: int, timestamp: float, sensor_name: str,
    run_ids: list[str] | None = None,
) -> ConditionEvaluationRecord:  # fmt: skip
    """The stored form of ``evaluation``."""
    view = evaluation.view
    order, index = view.order, view.index
    nodes = []
    for path, node, subset, deps in evaluation.nodes:
        item: dict[str, Any] = {"path": path, "name": node.name, "n": len(subset)}
        if node.label:
            item["label"] = node.label
        if order is not None and subset:
            item["true"] = encode(subset, order, index)
        if deps:
            item["deps"] = [d.to_user_string() for d in deps]
        nodes.append(item)
    body: dict[str, Any] = {
        "requested": encode(evaluation.requested, order, index),
        "partitioned": order is not None,
        "total": len(view.universe),
        "nodes": nodes,
    }
    if evaluation.reason:
        body["reason"] = evaluation.reason
    if run_ids:
        body["run_ids"] = run_ids
    return ConditionEvaluationRecord(
        asset_key=evaluation.key, evaluation_id=evaluation_id, timestamp=timestamp,
        num_requested=len(evaluation.requested), sensor_name=sensor_name, body=body,
    )  # fmt: skip


def store_evaluations(
    storage: Any,
    evaluations: list[AssetEvaluation],
    *,
    evaluation_id: int,
    timestamp: float,
    sensor_name: str,
    last_signatures: dict[str, int],
    run_ids: dict[str, list[str]] | None = None,
) -> int:
    """Store the evaluations that requested something or differ from the asset's last stored
    one (``last_signatures``: asset key string -> :func:`signature`, updated here).

    Returns:
        How many were stored.
    """
    records = []
    for evaluation in evaluations:
        name = evaluation.view.name
        sig = signature(evaluation)
        if not evaluation.requested and last_signatures.get(name) == sig:
            continue
        last_signatures[name] = sig
        records.append(to_record(
            evaluation, evaluation_id=evaluation_id, timestamp=timestamp,
            sensor_name=sensor_name, run_ids=(run_ids or {}).get(name),
        ))  # fmt: skip
    storage.add_condition_evaluations(records)
    return len(records)
