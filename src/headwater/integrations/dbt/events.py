"""dbt's structured (JSON) log events, and the asset results they stand for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from headwater import (
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetKey,
    MaterializeResult,
    MetadataValue,
)
from headwater.integrations.dbt.manifest import ASSET_RESOURCE_TYPES

__all__ = ["DbtCliEventMessage", "NodeOutcome"]

_SUCCESS = frozenset({"success", "pass"})
_FAILED = frozenset({"error", "fail", "runtime error"})


@dataclass(frozen=True, slots=True)
class NodeOutcome:
    """How one dbt node ended in an invocation.

    Attributes:
        unique_id: the node.
        resource_type: ``model``, ``seed``, ``snapshot``, ``test``, ...
        status: dbt's status (``success``, ``error``, ``skipped``, ``pass``, ``fail``,
            ``warn``, ``no-op``, ...).
        message: dbt's message (the error of a failed node).
    """

    unique_id: str
    resource_type: str
    status: str
    message: str

    @property
    def failed(self) -> bool:
        """Whether the node failed (a model's error, or a test that failed or errored)."""
        return self.status in _FAILED

    @property
    def name(self) -> str:
        """``model.project.name`` -> ``model name``, for messages."""
        parts = self.unique_id.split(".")
        return f"{self.resource_type} {parts[2] if len(parts) > 2 else self.unique_id}"


@dataclass(frozen=True, slots=True)
class DbtCliEventMessage:
    """One line of dbt's JSON log.

    Attributes:
        raw_event: the event as dbt wrote it (``{"info": {...}, "data": {...}}``).
    """

    raw_event: Mapping[str, Any]

    @property
    def info(self) -> Mapping[str, Any]:
        """``info``: ``name``, ``level``, ``msg``, ``ts``, ``invocation_id``, ..."""
        return self.raw_event.get("info") or {}

    @property
    def data(self) -> Mapping[str, Any]:
        """``data``: the event's fields (``node_info``, ``run_result``, ...)."""
        return self.raw_event.get("data") or {}

    @property
    def name(self) -> str:
        """The event's name, e.g. ``"NodeFinished"``."""
        return str(self.info.get("name", ""))

    @property
    def level(self) -> str:
        """``debug``, ``info``, ``warn`` or ``error``."""
        return str(self.info.get("level", "info"))

    @property
    def message(self) -> str:
        """The human-readable message."""
        return str(self.info.get("msg", ""))

    def text_line(self) -> str:
        """The message as dbt's text log shows it: ``HH:MM:SS  message``."""
        stamp = str(self.info.get("ts", ""))
        clock = stamp[11:19] if len(stamp) >= 19 else stamp
        return f"{clock}  {self.message}"

    def outcome(self) -> NodeOutcome | None:
        """The node outcome of a ``NodeFinished`` event (``None`` for other events)."""
        if self.name != "NodeFinished":
            return None
        node = self.data.get("node_info") or {}
        result = self.data.get("run_result") or {}
        return NodeOutcome(
            unique_id=str(node.get("unique_id", "")),
            resource_type=str(node.get("resource_type", "")),
            status=str(result.get("status") or node.get("node_status") or "").lower(),
            message=str(result.get("message") or ""),
        )

    def materialization(self, key: AssetKey) -> MaterializeResult | None:
        """The materialization of ``key`` reported by this ``NodeFinished`` event, if the node
        (a model, seed or snapshot) succeeded."""
        outcome = self.outcome()
        if outcome is None or outcome.resource_type not in ASSET_RESOURCE_TYPES:
            return None
        if outcome.status not in _SUCCESS:
            return None
        return MaterializeResult(asset_key=key, metadata=self._metadata(outcome))

    def check_result(self, key: AssetCheckKey) -> AssetCheckResult | None:
        """The result of check ``key`` reported by this ``NodeFinished`` event of a test
        (``None`` when the test was skipped)."""
        outcome = self.outcome()
        if outcome is None or outcome.resource_type != "test":
            return None
        if outcome.status not in {"pass", "warn", "fail", "error"}:
            return None
        result = self.data.get("run_result") or {}
        metadata = self._metadata(outcome)
        metadata["failures"] = int(result.get("num_failures") or 0)
        return AssetCheckResult(
            asset_key=key.asset_key,
            check_name=key.name,
            passed=outcome.status == "pass",
            severity=(
                AssetCheckSeverity.WARN if outcome.status == "warn" else AssetCheckSeverity.ERROR
            ),
            metadata=metadata,
            description=outcome.message or None,
        )

    def _metadata(self, outcome: NodeOutcome) -> dict[str, Any]:
        node = self.data.get("node_info") or {}
        result = self.data.get("run_result") or {}
        metadata: dict[str, Any] = {
            "dbt/unique_id": outcome.unique_id,
            "dbt/invocation_id": str(self.info.get("invocation_id", "")),
            "dbt/status": outcome.status,
            "execution_duration": float(result.get("execution_time") or 0.0),
        }
        if node.get("materialized"):
            metadata["dbt/materialized"] = node["materialized"]
        relation = (node.get("node_relation") or {}).get("relation_name")
        if relation:
            metadata["dbt/relation"] = relation
        response = result.get("adapter_response") or {}
        if response:
            metadata["adapter_response"] = MetadataValue.json(dict(response))
            if isinstance(response.get("rows_affected"), int):
                metadata["rows_affected"] = response["rows_affected"]
        timing = {t.get("name"): _seconds(t) for t in result.get("timing_info") or ()}
        for step, seconds in timing.items():
            if step and seconds is not None:
                metadata[f"dbt/{step}_seconds"] = seconds
        return metadata


def _seconds(timing: Mapping[str, Any]) -> float | None:
    try:
        start = datetime.fromisoformat(str(timing["started_at"]).replace("Z", "+00:00"))
        end = datetime.fromisoformat(str(timing["completed_at"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return None
    return round((end - start).total_seconds(), 6)
