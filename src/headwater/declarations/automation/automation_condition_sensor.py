"""``AutomationConditionSensorDefinition``: the sensor that evaluates automation conditions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.declarations.automation.automation_condition import AutomationCondition
from headwater.declarations.automation.contexts import SensorEvaluationContext
from headwater.declarations.automation.run_requests import normalize_tags
from headwater.declarations.automation.sensors import SensorDefinition
from headwater.declarations.automation.statuses import DefaultSensorStatus
from headwater.errors import DefinitionError


class AutomationConditionSensorDefinition(SensorDefinition):
    """A sensor that evaluates the automation conditions of a selection of assets.

    The automation daemon evaluates the ``automation_condition`` of every asset in ``target``
    at each tick and requests the assets whose condition is true. A tick is not evaluated by
    calling the sensor (``evaluate_tick`` raises ``DefinitionError`` saying so): use
    ``evaluate_automation_conditions`` in tests.

    Args:
        name: the sensor's name.
        target: the assets whose conditions it evaluates (an ``AssetSelection``, assets, keys
            or strings).
        tags: tags of the sensor; run_tags: tags of the runs it requests.
        default_status: ``DefaultSensorStatus.RUNNING`` to tick as soon as loaded.
        minimum_interval_seconds: at least this long between ticks (default 30).
        description, metadata: shown in the UI.
        emit_backfills, use_user_code_server: accepted for Dagster compatibility.
        default_condition: the condition of assets in ``target`` that declare none.

    Raises:
        DefinitionError: ``target`` is missing, or ``default_condition`` is not an
            ``AutomationCondition``.

    Example:
        >>> from headwater import AssetSelection
        >>> AutomationConditionSensorDefinition("automation", target=AssetSelection.all()).name
        'automation'
    """

    def __init__(
        self,
        name: str,
        *,
        target: Any,
        tags: Mapping[str, str] | None = None,
        run_tags: Mapping[str, Any] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        emit_backfills: bool = True,
        use_user_code_server: bool = False,
        default_condition: AutomationCondition | None = None,
        **kwargs: Any,
    ) -> None:
        if target is None:
            raise DefinitionError(
                f"AutomationConditionSensorDefinition {name!r}: target= is required (e.g. "
                "AssetSelection.all())."
            )
        if default_condition is not None and not isinstance(default_condition, AutomationCondition):
            raise DefinitionError(
                f"AutomationConditionSensorDefinition {name!r}: default_condition must be an "
                f"AutomationCondition, got {default_condition!r}."
            )
        if kwargs:
            raise DefinitionError(
                f"AutomationConditionSensorDefinition {name!r}: unknown arguments {sorted(kwargs)}."
            )
        super().__init__(
            name=name, evaluation_fn=_evaluated_by_the_daemon, tags=tags,
            default_status=default_status, minimum_interval_seconds=minimum_interval_seconds,
            description=description, metadata=metadata,
        )  # fmt: skip
        self.asset_selection = target
        self.target = target
        self.run_tags = normalize_tags(run_tags, f"sensor {name!r}")
        self.emit_backfills = emit_backfills
        self.use_user_code_server = use_user_code_server
        self.default_condition = default_condition


def _evaluated_by_the_daemon(context: SensorEvaluationContext) -> None:
    raise DefinitionError(
        f"Sensor {context.sensor_name!r} evaluates automation conditions: the automation "
        "daemon runs its ticks; in a test call headwater.evaluate_automation_conditions(defs, "
        "instance, asset_selection=sensor.asset_selection)."
    )
