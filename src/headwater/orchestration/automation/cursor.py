"""The automation cursor: what one tick leaves for the next, as a JSON string.

Per asset: a hash of its condition (a changed condition starts afresh: ``initial_evaluation``
is true again and the stateful operators forget), its code version (``code_version_changed``),
what was requested (``newly_requested``) and the state of its ``SINCE``/``NEWLY_TRUE`` nodes by
their path in the tree. Globally: when the tick evaluated (``cron_tick_passed``) and the largest
event storage id it had seen (``newly_updated`` reads the events after it). Subsets are
compressed (:mod:`.subsets`); empty ones are left out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from headwater.errors import InvalidInvocationError

_VERSION = 1
_hashes: dict[int, tuple[Any, str]] = {}


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a JSON value (bools and strings as they are)."""
    if isinstance(value, dict):
        items = tuple(value.items())
        if all(v is True for _, v in items):  # an unpartitioned asset's node states
            return items
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return value


def condition_hash(condition: Any) -> str:
    """A short stable hash of a condition tree (cached per object: 10,000 assets share one)."""
    found = _hashes.get(id(condition))
    if found is not None and found[0] is condition:
        return found[1]
    digest = hashlib.sha256(repr(condition).encode()).hexdigest()[:16]
    if len(_hashes) > 10_000:
        _hashes.clear()
    _hashes[id(condition)] = (condition, digest)
    return digest


@dataclass(slots=True)
class AssetCursor:
    """One asset's entry: condition hash, code version, requested subset, node states."""

    condition_hash: str
    code_version: str | None = None
    requested: Any = False
    state: dict[str, Any] = field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"h": self.condition_hash}
        if self.code_version is not None:
            out["cv"] = self.code_version
        requested = self.requested
        if requested is True or (isinstance(requested, dict) and requested.get("n")):
            out["req"] = requested
        if self.state:
            out["s"] = self.state
        return out

    @staticmethod
    def from_data(data: dict[str, Any]) -> AssetCursor:
        return AssetCursor(condition_hash=data.get("h", ""), code_version=data.get("cv"),
                           requested=data.get("req", False), state=data.get("s", {}))  # fmt: skip


@dataclass(slots=True)
class AutomationCursor:
    """The whole cursor of one automation sensor (or of ``evaluate_automation_conditions``).

    Attributes:
        evaluation_timestamp: when the tick evaluated (epoch seconds), or ``None``.
        storage_id: the largest materialization/observation storage id seen, or ``None``.
        assets: each evaluated asset's entry, by asset key string (``"a/b"``).
        tick: how many ticks wrote this cursor.
    """

    evaluation_timestamp: float | None = None
    storage_id: int | None = None
    assets: dict[str, AssetCursor] = field(default_factory=dict)
    tick: int = 0

    def to_json(self) -> str:
        """The cursor as a compact JSON string.

        Assets whose entries are equal (most of them: same condition, same state) are written
        once with the list of their keys: ``{"g": [[entry, [key, ...]], ...]}``, so 10,000
        quiet assets cost a few groups, not 10,000 objects.
        """
        groups: dict[Any, tuple[dict[str, Any], list[str]]] = {}
        for key, entry in self.assets.items():
            data = entry.to_data()
            fingerprint = tuple((k, _frozen(v)) for k, v in data.items())
            group = groups.get(fingerprint)
            if group is None:
                groups[fingerprint] = (data, [key])
            else:
                group[1].append(key)
        return json.dumps(
            {"v": _VERSION, "t": self.evaluation_timestamp, "sid": self.storage_id,
             "n": self.tick, "g": [[data, keys] for data, keys in groups.values()]},
            separators=(",", ":"),
        )  # fmt: skip

    @staticmethod
    def from_json(text: str | None) -> AutomationCursor:
        """Read a cursor written by :meth:`to_json` (``None`` or ``""``: an empty cursor).

        Raises:
            InvalidInvocationError: ``text`` is not an automation cursor.
        """
        if not text:
            return AutomationCursor()
        try:
            data = json.loads(text)
            assets: dict[str, AssetCursor] = {}
            for entry, keys in data.get("g", ()):
                shared = AssetCursor.from_data(entry)  # read only: a tick writes new entries
                assets.update(dict.fromkeys(keys, shared))
            return AutomationCursor(evaluation_timestamp=data.get("t"), storage_id=data.get("sid"),
                                    assets=assets, tick=int(data.get("n", 0)))  # fmt: skip
        except (ValueError, TypeError, AttributeError) as exc:
            raise InvalidInvocationError(
                f"Not an automation cursor ({exc}): pass the .cursor of a previous "
                "evaluate_automation_conditions result, or None to start afresh."
            ) from exc
