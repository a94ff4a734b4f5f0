"""AutomationCondition construction: eager, on_cron, on_missing, combinations, on assets."""

import dagster as dg
from _transcript import case, check


@case("constructors")
def _():
    eager = dg.AutomationCondition.eager()
    check("eager_is_condition", isinstance(eager, dg.AutomationCondition))
    cron = dg.AutomationCondition.on_cron("0 * * * *")
    check("cron_is_condition", isinstance(cron, dg.AutomationCondition))
    check("missing_is_condition", isinstance(dg.AutomationCondition.missing(), dg.AutomationCondition))
    check("on_missing_is_condition", isinstance(dg.AutomationCondition.on_missing(), dg.AutomationCondition))
    check("in_progress", isinstance(dg.AutomationCondition.in_progress(), dg.AutomationCondition))
    check("any_deps_updated", isinstance(dg.AutomationCondition.any_deps_updated(), dg.AutomationCondition))


@case("combinations")
def _():
    c = dg.AutomationCondition.missing() & ~dg.AutomationCondition.in_progress()
    check("and_is_condition", isinstance(c, dg.AutomationCondition))
    d = dg.AutomationCondition.eager() | dg.AutomationCondition.on_cron("@daily")
    check("or_is_condition", isinstance(d, dg.AutomationCondition))
    e = dg.AutomationCondition.eager().with_label("my label")
    check("label", e.get_label())
    check("eager_label", dg.AutomationCondition.eager().get_label())
    check("cron_label", dg.AutomationCondition.on_cron("@daily").get_label())


@case("on_asset")
def _():
    @dg.asset(automation_condition=dg.AutomationCondition.eager())
    def auto() -> int:
        return 1

    spec = next(iter(auto.specs))
    check("has_condition", spec.automation_condition is not None)
    check("condition_label", spec.automation_condition.get_label())
    check("conditions_by_key", sorted(k.to_user_string() for k, v in auto.automation_conditions_by_key.items() if v is not None))


@case("on_spec")
def _():
    spec = dg.AssetSpec("x", automation_condition=dg.AutomationCondition.on_cron("0 0 * * *"))
    check("label", spec.automation_condition.get_label())


@case("sensor")
def _():
    s = dg.AutomationConditionSensorDefinition("auto_sensor", target=dg.AssetSelection.all())
    check("name", s.name)
    check("is_sensor", isinstance(s, dg.SensorDefinition))
