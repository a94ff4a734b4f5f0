"""The context handed to asset check functions, and ``build_asset_check_context``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.declarations.checks.definition import AssetChecksDefinition, AssetCheckSpec
from headwater.execution.context.asset_context import AssetExecutionContext, _Resources
from headwater.execution.run.logs import StepLogger
from headwater.keys import AssetCheckKey


class AssetCheckExecutionContext(AssetExecutionContext):
    """What a check function can ask about the run it executes in.

    Has the attributes of :class:`AssetExecutionContext` (``log``, ``resources``,
    ``instance``, ``run_id``...) plus the checks being evaluated.
    """

    __slots__ = ()

    @property
    def check_specs(self) -> list[AssetCheckSpec]:
        """Specs of the checks this step evaluates."""
        assets_def = self.assets_def
        return list(assets_def.check_specs) if assets_def is not None else []

    @property
    def selected_asset_check_keys(self) -> frozenset[AssetCheckKey]:
        """Keys of the checks this step must evaluate (a subset for ``can_subset``)."""
        return frozenset(s.key for s in self.check_specs)


def context_class_for(assets_def: Any) -> type[AssetExecutionContext]:
    """The context class of a step executing ``assets_def``."""
    if isinstance(assets_def, AssetChecksDefinition):
        return AssetCheckExecutionContext
    return AssetExecutionContext


def build_asset_check_context(
    *,
    resources: Mapping[str, Any] | None = None,
    instance: Any = None,
) -> AssetCheckExecutionContext:
    """A context for calling a check function directly in a unit test.

    Args:
        resources: resource key -> resource object.
        instance: an ``Instance``, for checks that read the event log (e.g. the built-in
            freshness and schema change checks).

    Returns:
        An :class:`AssetCheckExecutionContext` with ``run_id == "EPHEMERAL"``.

    Example:
        >>> ctx = build_asset_check_context(resources={"db": object()})
        >>> ctx.run_id
        'EPHEMERAL'
    """
    return AssetCheckExecutionContext(
        run_id="EPHEMERAL",
        job_name="ephemeral",
        step_key="ephemeral",
        assets_def=None,
        resources=_Resources(resources or {}),
        instance=instance,
        log=StepLogger(None, None),
    )
