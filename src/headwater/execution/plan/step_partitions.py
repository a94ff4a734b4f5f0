"""What one step materializes and loads of partitioned assets (light: no partitions imports).

:mod:`headwater.execution.plan.partitions` resolves these for a run; steps and contexts only read
them, so every run imports this module and only partitioned runs import the resolver.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class StepPartitions:
    """The partitions one step materializes, and those of each input it loads.

    Attributes:
        keys: the step's partition keys in order, or ``None`` for an unpartitioned asset.
        partitions_def: the step's partitions definition (``None`` when unpartitioned).
        input_keys: input name -> upstream partition keys to load (``None``: load it whole).
        input_defs: input name -> the upstream partitions definition.
    """

    keys: tuple[str, ...] | None = None
    partitions_def: Any = None
    input_keys: Mapping[str, tuple[str, ...] | None] = field(default_factory=dict)
    input_defs: Mapping[str, Any] = field(default_factory=dict)

    @property
    def single_key(self) -> str | None:
        """The partition key when the step materializes exactly one partition."""
        return self.keys[0] if self.keys is not None and len(self.keys) == 1 else None


UNPARTITIONED = StepPartitions()
