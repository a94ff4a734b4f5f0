"""@graph_asset / @graph_multi_asset: ops composed into assets, run inside the asset's step."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw
from headwater import DefinitionError, InvalidConfigError


@hw.asset
def raw_numbers() -> list[int]:
    return [1, 2, 3, 4]


@hw.op
def load() -> list[int]:
    return [1, 2, 3]


@hw.op
def add_up(context: hw.OpExecutionContext, values: list[int]) -> int:
    context.log.info("adding %d values", len(values))
    return sum(values)


@hw.graph_asset
def total():
    return add_up(load())


@hw.asset
def doubled_total(total: int) -> int:
    return total * 2


@hw.op
def keep_even(values: list[int]) -> list[int]:
    return [v for v in values if v % 2 == 0]


@hw.graph_asset(group_name="derived", code_version="1")
def even_sum(raw_numbers: list[int]):
    return add_up(keep_even(raw_numbers))


@hw.op(out={"low": hw.Out(), "high": hw.Out()})
def split(values: list[int]):
    return [v for v in values if v < 3], [v for v in values if v >= 3]


@hw.graph_multi_asset(outs={"low": hw.AssetOut(), "high": hw.AssetOut()})
def ranges(raw_numbers: list[int]):
    low, high = split(raw_numbers)
    return {"low": low, "high": keep_even(high)}


@hw.graph_multi_asset(outs={"first": hw.AssetOut(), "second": hw.AssetOut()})
def pair():
    return load(), add_up(load())


def test_two_op_graph_asset_materializes_and_downstream_loads_it(instance: Any) -> None:
    result = hw.materialize([total, doubled_total], instance=instance)

    assert result.success
    assert result.asset_value("total") == 6
    assert result.output_for_node("doubled_total") == 12
    assert [e.step_key for e in result.get_step_success_events()] == ["total", "doubled_total"]
    event = instance.get_latest_materialization_event(hw.AssetKey("total"))
    assert event.step_key == "total"
    logs = [e for e in instance.all_logs(result.run_id) if e.event_type is hw.EventType.LOG_MESSAGE]
    assert [(e.step_key, e.message) for e in logs] == [("total", "adding 3 values")]


def test_graph_asset_inputs_are_upstream_assets(instance: Any) -> None:
    result = hw.materialize([raw_numbers, even_sum], instance=instance)

    assert result.asset_value("even_sum") == 6
    assert even_sum.dependency_keys == {hw.AssetKey("raw_numbers")}
    assert even_sum.group_names_by_key == {hw.AssetKey("even_sum"): "derived"}
    event = instance.get_latest_materialization_event(hw.AssetKey("even_sum"))
    assert event.asset_materialization is not None


def test_graph_multi_asset_stores_each_returned_output(instance: Any) -> None:
    result = hw.materialize([raw_numbers, ranges, pair], instance=instance)

    assert result.asset_value("low") == [1, 2]
    assert result.asset_value("high") == [4]
    assert result.asset_value("first") == [1, 2, 3]
    assert result.asset_value("second") == 6
    for key in ("low", "high", "first", "second"):
        assert instance.get_latest_materialization_event(hw.AssetKey(key)) is not None


@hw.op
def explode(values: list[int]) -> int:
    raise ValueError("cannot explode")


@hw.graph_asset
def exploding():
    return explode(load())


@hw.asset
def after_exploding(exploding: int) -> int:
    return exploding


def test_failing_inner_op_fails_the_asset_step_and_skips_downstream(instance: Any) -> None:
    result = hw.materialize([exploding, after_exploding, total], instance=instance,
                            raise_on_error=False)  # fmt: skip

    assert not result.success
    assert result.get_failed_step_keys() == {"exploding"}
    assert result.get_skipped_step_keys() == {"after_exploding"}
    assert result.asset_value("total") == 6
    (failure,) = result.get_step_failure_events()
    assert failure.error["cls_name"] == "ValueError"
    assert "op 'explode'" in failure.error["message"]
    assert 'raise ValueError("cannot explode")' in failure.error["traceback"]
    assert instance.get_latest_materialization_event(hw.AssetKey("exploding")) is None


@hw.op
def with_metadata(values: list[int]) -> hw.Output[int]:
    return hw.Output(len(values), metadata={"count": len(values)})


@hw.graph_asset(metadata={"owner_note": "counted"})
def counted():
    return with_metadata(load())


def test_output_metadata_of_the_returned_op_is_materialization_metadata(instance: Any) -> None:
    hw.materialize([counted], instance=instance)

    mat = instance.get_latest_materialization_event(hw.AssetKey("counted")).asset_materialization
    assert mat.metadata["count"] == hw.MetadataValue.int(3)
    assert counted.metadata_by_key[hw.AssetKey("counted")]["owner_note"] == "counted"  # as declared


class ScaleConfig(hw.Config):
    factor: int = 1


@hw.op
def scale(config: ScaleConfig, values: list[int]) -> list[int]:
    return [v * config.factor for v in values]


@hw.graph_asset
def scaled():
    return scale(load())


def test_inner_op_config_is_nested_under_the_asset(instance: Any) -> None:
    config = {"ops": {"scaled": {"ops": {"scale": {"config": {"factor": 10}}}}}}
    result = hw.materialize([scaled], instance=instance, run_config=config)
    assert result.asset_value("scaled") == [10, 20, 30]
    assert hw.materialize([scaled], instance=instance).asset_value("scaled") == [1, 2, 3]
    bad = {"ops": {"scaled": {"ops": {"scale": {"config": {"factor": "ten"}}}}}}
    with pytest.raises(InvalidConfigError, match=r"ops\.scaled\.scale\.config\.factor"):
        hw.materialize([scaled], instance=instance, run_config=bad)


_attempts: list[int] = []


@hw.op(retry_policy=hw.RetryPolicy(max_retries=2))
def flaky() -> int:
    _attempts.append(1)
    if len(_attempts) < 2:
        raise RuntimeError("transient")
    return 7


@hw.graph_asset
def flaky_asset():
    return flaky()


def test_inner_op_retry_policy_retries_within_the_step(instance: Any) -> None:
    _attempts.clear()
    result = hw.materialize([flaky_asset], instance=instance)
    assert result.asset_value("flaky_asset") == 7
    assert len(_attempts) == 2


def test_graph_asset_without_op_output_is_a_definition_error() -> None:
    with pytest.raises(DefinitionError, match="returns 0 op output"):

        @hw.graph_multi_asset(outs={"a": hw.AssetOut(), "b": hw.AssetOut()})
        def nothing_returned():
            load()


def test_a_subsettable_graph_multi_asset_runs_only_the_ops_its_selection_needs(
    instance: Any,
) -> None:
    ran: list[str] = []

    @hw.op
    def source() -> list[int]:
        ran.append("source")
        return [1, 2, 3]

    @hw.op
    def unrelated() -> int:
        ran.append("unrelated")
        return 0

    @hw.op(out={"total": hw.Out(is_required=False), "count": hw.Out(is_required=False)})
    def stats(context: Any, values: list[int]) -> Any:
        ran.append(f"stats:{sorted(context.selected_output_names)}")
        if "total" in context.selected_output_names:
            yield hw.Output(sum(values), output_name="total")
        if "count" in context.selected_output_names:
            yield hw.Output(len(values), output_name="count")

    @hw.graph_multi_asset(
        outs={"total": hw.AssetOut(), "count": hw.AssetOut(), "zero": hw.AssetOut()},
        can_subset=True,
    )
    def summary() -> Any:
        total, count = stats(source())
        return {"total": total, "count": count, "zero": unrelated()}

    result = hw.materialize([summary], selection=["total"], instance=instance)

    assert summary.can_subset
    assert [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()] == [
        "total"
    ]
    assert ran == ["source", "stats:['total']"]
    ran.clear()
    hw.materialize([summary], instance=instance)
    assert ran == ["source", "stats:['count', 'total']", "unrelated"]
