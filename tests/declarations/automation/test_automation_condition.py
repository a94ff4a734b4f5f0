"""AutomationCondition: construction, composition, labels, and storage on assets."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater import DefinitionError

AC = hw.AutomationCondition


def names(condition: hw.AutomationCondition) -> list[str]:
    return [child.label or child.name for child in condition.children]


def test_operators_build_trees_and_flatten_chains() -> None:
    both = AC.missing() & AC.newly_updated() & AC.any_deps_updated()
    assert (both.name, both.operator_type) == ("AND", "and")
    assert names(both) == ["missing", "newly_updated", "any_deps_updated"]
    either = AC.missing() | AC.in_progress()
    assert (either.name, names(either)) == ("OR", ["missing", "in_progress"])
    negated = ~AC.missing()
    assert (negated.name, negated.children) == ("NOT", [AC.missing()])
    # a labelled operand is kept whole
    labelled = (AC.missing() & AC.newly_updated()).with_label("pair") & AC.execution_failed()
    assert names(labelled) == ["pair", "execution_failed"]


def test_conditions_compare_by_value_and_hash() -> None:
    assert AC.eager() == AC.eager()
    assert len({AC.on_cron("@daily"), AC.on_cron("@daily"), AC.on_missing()}) == 2
    assert AC.missing() != AC.missing().with_label("gone")


def test_labels_of_the_ready_made_policies() -> None:
    assert AC.eager().get_label() == "eager"
    assert AC.on_missing().label == "on_missing"
    assert AC.on_cron("@daily").get_label() == "on_cron(@daily, UTC)"
    assert AC.on_cron("0 3 * * *", "Europe/Paris").label == "on_cron(0 3 * * *, Europe/Paris)"
    assert AC.missing().with_label("gone").get_label() == "gone"
    assert AC.missing().get_label() is None


def test_eager_is_built_from_primitives() -> None:
    eager = AC.eager()
    assert names(eager) == ["in_latest_time_window", "SINCE", "NOT", "NOT", "NOT"]
    since = eager.children[1]
    trigger, reset = since.children
    assert names(trigger) == ["newly_missing", "any_deps_updated"]
    assert reset.label == "handled"
    assert names(reset) == ["newly_requested", "newly_updated", "initial_evaluation"]
    assert "any_deps_in_progress" in eager.describe()


def test_on_cron_waits_for_every_dependency_since_the_tick() -> None:
    on_cron = AC.on_cron("0 * * * *")
    deps = on_cron.children[2]
    assert (deps.name, deps.label) == (
        "ALL_DEPS_MATCH",
        "all_deps_updated_since_cron(0 * * * *, UTC)",
    )
    tick = AC.cron_tick_passed("0 * * * *")
    assert tick.name == "cron_tick_passed(cron_schedule=0 * * * *, cron_timezone=UTC)"
    assert dict(tick.params) == {"cron_schedule": "0 * * * *", "cron_timezone": "UTC"}


def test_since_newly_true_and_dependency_operators() -> None:
    since = AC.missing().since(AC.newly_requested())
    assert (since.name, since.operator_type) == ("SINCE", "since")
    assert AC.missing().newly_true().name == "NEWLY_TRUE"
    assert AC.any_deps_match(AC.missing()).name == "ANY_DEPS_MATCH"
    assert AC.all_deps_match(AC.missing()).operator_type == "all_deps"


def test_replace_swaps_a_labelled_sub_condition() -> None:
    changed = AC.eager().replace("in_progress", AC.run_in_progress())
    assert changed.children[-1].children == [AC.run_in_progress()]
    assert AC.eager().children[-1].children[0].label == "in_progress"  # the original is unchanged


def test_bad_input_is_refused() -> None:
    with pytest.raises(DefinitionError, match="not a valid cron schedule"):
        AC.on_cron("daily at 3")
    with pytest.raises(DefinitionError, match="not a known time zone"):
        AC.cron_tick_passed("@daily", "Nowhere/City")
    with pytest.raises(DefinitionError, match="expected an AutomationCondition"):
        AC.missing() & "eager"  # type: ignore[operator]
    with pytest.raises(DefinitionError, match="automation daemon"):
        AC.eager().evaluate()


def test_asset_and_spec_store_the_condition() -> None:
    @hw.asset(automation_condition=AC.eager())
    def cleaned() -> int:
        return 1

    (spec,) = cleaned.specs
    assert spec.automation_condition == AC.eager()
    assert cleaned.automation_conditions_by_key == {hw.AssetKey("cleaned"): AC.eager()}
    external = hw.AssetSpec("raw", automation_condition=AC.on_cron("0 0 * * *"))
    assert external.automation_condition.label == "on_cron(0 0 * * *, UTC)"
    assert (
        external.replace_attributes(description="d").automation_condition
        == external.automation_condition
    )
    defs = hw.Definitions(assets=[cleaned, external])
    assert (
        defs.get_assets_def("cleaned").automation_conditions_by_key[hw.AssetKey("cleaned")].label
        == "eager"
    )
    with pytest.raises(
        DefinitionError, match="automation_condition must be an AutomationCondition"
    ):
        hw.asset(automation_condition="eager")(lambda: 1)  # type: ignore[arg-type]


def test_the_automation_condition_sensor_is_declared_but_evaluated_by_the_daemon() -> None:
    sensor = hw.AutomationConditionSensorDefinition(
        "automation", target=hw.AssetSelection.all(), default_condition=AC.on_missing()
    )
    assert isinstance(sensor, hw.SensorDefinition)
    assert (sensor.name, sensor.default_condition) == ("automation", AC.on_missing())
    defs = hw.Definitions(sensors=[sensor])
    assert defs.get_sensor_def("automation") is sensor
    with pytest.raises(DefinitionError, match="automation daemon"):
        sensor.evaluate_tick(hw.build_sensor_context())
