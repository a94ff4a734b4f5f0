"""@asset, @multi_asset, AssetSpec and friends: what the decorators build."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater import DefinitionError


def test_bare_asset_uses_function_name_and_default_group() -> None:
    @hw.asset
    def orders() -> list[int]:
        """All orders."""
        return [1]

    assert orders.key == hw.AssetKey("orders")
    assert orders.group_names_by_key == {hw.AssetKey("orders"): "default"}
    assert orders.descriptions_by_key[orders.key] == "All orders."
    assert orders() == [1]


def test_asset_arguments_land_in_its_spec() -> None:
    @hw.asset(
        key_prefix=["warehouse"],
        metadata={"rows": 3, "owner_note": "x"},
        tags={"tier": "gold"},
        group_name="core",
        code_version="2",
        owners=["team:data"],
        kinds={"duckdb"},
        io_manager_key="warehouse_io",
    )
    def totals(orders: list[int]) -> int:
        return sum(orders)

    (spec,) = totals.specs
    assert spec.key == hw.AssetKey(["warehouse", "totals"])
    assert spec.group_name == "core"
    assert spec.code_version == "2"
    assert spec.owners == ("team:data",)
    assert spec.kinds == frozenset({"duckdb"})
    assert spec.tags == {"tier": "gold"}
    assert spec.metadata["rows"] == 3  # kept as declared, as in Dagster
    assert totals.io_manager_key_for(spec.key) == "warehouse_io"
    # inputs default to the parameter name under the asset's key prefix
    assert totals.input_keys == {"orders": hw.AssetKey(["warehouse", "orders"])}


def test_ins_and_deps_set_upstream_keys() -> None:
    @hw.asset(ins={"src": hw.AssetIn(key="raw/source")}, deps=["audit_log", hw.AssetKey("x")])
    def derived(src: int) -> int:
        return src

    assert derived.input_keys == {"src": hw.AssetKey(["raw", "source"])}
    assert derived.dependency_keys == {
        hw.AssetKey(["raw", "source"]),
        hw.AssetKey("audit_log"),
        hw.AssetKey("x"),
    }


class Api(hw.ConfigurableResource):
    url: str = "http://localhost"


class Settings(hw.Config):
    limit: int = 5


def test_context_resource_and_config_parameters_are_not_inputs() -> None:
    @hw.asset
    def fetched(
        context: hw.AssetExecutionContext, api: Api, config: Settings, upstream: int
    ) -> int:
        return upstream

    assert fetched.input_keys == {"upstream": hw.AssetKey("upstream")}
    assert fetched.required_resource_keys == {"api"}
    assert fetched.params is not None
    assert fetched.params.config_param == ("config", Settings)


def test_ins_naming_a_missing_parameter_is_a_definition_error() -> None:
    with pytest.raises(DefinitionError, match="ins= names \\['nope'\\]"):

        @hw.asset(ins={"nope": hw.AssetIn()})
        def a(x: int) -> int:
            return x


def test_key_and_name_together_is_rejected() -> None:
    with pytest.raises(DefinitionError, match="either key= or name="):

        @hw.asset(key="a/b", name="c")
        def a() -> int:
            return 1


def test_non_string_tags_are_rejected_with_the_asset_named() -> None:
    with pytest.raises(DefinitionError, match=r"AssetSpec 'bad'.*tags must map strings"):

        @hw.asset(tags={"n": 1})  # type: ignore[dict-item]
        def bad() -> int:
            return 1


def test_multi_asset_with_outs_and_specs() -> None:
    @hw.multi_asset(outs={"a": hw.AssetOut(group_name="g"), "b": hw.AssetOut(key="x/b")})
    def ab() -> tuple[int, int]:
        return 1, 2

    assert ab.keys == {hw.AssetKey("a"), hw.AssetKey(["x", "b"])}
    assert ab.group_names_by_key[hw.AssetKey("a")] == "g"
    assert ab.group_names_by_key[hw.AssetKey(["x", "b"])] == "default"

    @hw.multi_asset(specs=[hw.AssetSpec("c", deps=["a"]), hw.AssetSpec("d")], can_subset=True)
    def cd() -> None:
        return None

    assert cd.can_subset
    assert cd.spec_for(hw.AssetKey("c")).dep_keys == (hw.AssetKey("a"),)
    assert cd.subset_for([hw.AssetKey("d")]).keys == {hw.AssetKey("d")}


def test_multi_asset_needs_exactly_one_of_outs_or_specs() -> None:
    with pytest.raises(DefinitionError, match="exactly one of outs= or specs="):

        @hw.multi_asset()
        def nothing() -> None:
            return None


def test_asset_key_forms() -> None:
    assert hw.AssetKey.from_user_string("a/b") == hw.AssetKey(["a", "b"])
    assert hw.AssetKey(["a", "b"]).to_user_string() == "a/b"
    assert hw.AssetKey("a").with_prefix("p") == hw.AssetKey(["p", "a"])
    with pytest.raises(DefinitionError, match="non-empty"):
        hw.AssetKey([])


def test_metadata_values_round_trip_through_json() -> None:
    from headwater.metadata import (
        metadata_from_json,
        metadata_to_json,
        normalize_metadata,
    )

    schema = hw.TableSchema(columns=[hw.TableColumn(name="id", type="int")])
    raw = {
        "text": "hello",
        "n": 3,
        "f": 1.5,
        "nan": float("nan"),
        "flag": True,
        "data": {"a": [1, 2]},
        "md": hw.MetadataValue.md("# title"),
        "url": hw.MetadataValue.url("https://example.com"),
        "path": hw.MetadataValue.path("/tmp/x"),
        "ts": hw.MetadataValue.timestamp(1700000000.0),
        "schema": schema,
        "nothing": None,
    }
    normalized = normalize_metadata(raw)
    back = metadata_from_json(metadata_to_json(normalized))
    assert back["schema"].value == schema
    assert back["md"].kind == "md"
    assert back["nothing"].kind == "null"
    assert back["nan"].value != back["nan"].value  # NaN survives
    assert {k: v for k, v in back.items() if k != "nan"} == {
        k: v for k, v in normalized.items() if k != "nan"
    }


def test_unserializable_metadata_names_the_key() -> None:
    with pytest.raises(DefinitionError, match="'obj'"):
        hw.MaterializeResult(metadata={"obj": object()})


def test_multi_asset_description_and_compute_kind_apply_to_every_output() -> None:
    @hw.multi_asset(
        outs={"a": hw.AssetOut(), "b": hw.AssetOut(description="own")},
        description="shared",
        compute_kind="pandas",
    )
    def ab() -> tuple[int, int]:
        return 1, 2

    assert ab.descriptions_by_key == {hw.AssetKey("a"): "shared", hw.AssetKey("b"): "own"}
    assert all(s.kinds == frozenset({"pandas"}) for s in ab.specs)

    @hw.asset(compute_kind="sql", kinds={"duckdb"})
    def c() -> int:
        return 1

    assert c.specs[0].kinds == frozenset({"sql", "duckdb"})


def test_asset_in_takes_its_arguments_by_position_in_dagsters_order() -> None:
    mapping = hw.LastPartitionMapping()
    spec = hw.AssetIn(["lake", "raw"], {"m": 1}, None, "loader", mapping, int)
    assert spec.key == hw.AssetKey(["lake", "raw"])
    assert spec.metadata == {"m": 1}
    assert spec.input_manager_key == "loader"
    assert spec.partition_mapping is mapping
    assert spec.dagster_type is int
    assert hw.AssetIn("plain").key == hw.AssetKey("plain")


def test_kwargs_asset_loads_the_inputs_declared_in_ins(instance: object) -> None:
    @hw.asset(key_prefix=["lake"])
    def raw() -> int:
        return 10

    @hw.asset
    def plain() -> int:
        return 1

    @hw.asset(ins={"a": hw.AssetIn("plain"), "b": hw.AssetIn(hw.AssetKey(["lake", "raw"]))})
    def combined(**kwargs: int) -> list[tuple[str, int]]:
        return sorted(kwargs.items())

    assert combined.keys_by_input_name == {"a": plain.key, "b": raw.key}
    result = hw.materialize([raw, plain, combined], instance=instance)
    assert result.output_for_node("combined") == [("a", 1), ("b", 10)]


def test_var_positional_parameters_are_still_refused() -> None:
    with pytest.raises(DefinitionError, match=r"\*args are not supported"):

        @hw.asset
        def star(*numbers: int) -> int:
            return sum(numbers)


def test_kwargs_op_receives_its_declared_inputs(instance: object) -> None:
    @hw.op
    def one() -> int:
        return 1

    @hw.op(ins={"x": hw.In(int)})
    def plus_one(**kwargs: int) -> int:
        return kwargs["x"] + 1

    @hw.job
    def chain() -> None:
        plus_one(x=one())

    result = chain.execute_in_process(instance=instance)
    assert result.output_for_node("plus_one") == 2


def test_only_observable_source_assets_are_observable() -> None:
    @hw.observable_source_asset(group_name="ext")
    def watched() -> hw.DataVersion:
        return hw.DataVersion("v1")

    @hw.asset
    def computed() -> int:
        return 1

    assert watched.is_observable and watched.group_name == "ext"
    assert not computed.is_observable
    assert watched.with_attributes(group_name="other").observe_fn is watched.observe_fn


def test_output_required_false_lets_an_asset_produce_nothing(instance: object) -> None:
    from collections.abc import Iterator

    @hw.asset(output_required=False)
    def maybe() -> Iterator[hw.Output[int]]:
        if False:
            yield hw.Output(1)

    @hw.asset
    def must() -> Iterator[hw.Output[int]]:
        if False:
            yield hw.Output(1)

    assert maybe.specs[0].skippable and not must.specs[0].skippable
    result = hw.materialize([maybe], instance=instance)
    assert result.success and result.get_asset_materialization_events() == []
    assert not hw.materialize([must], instance=instance, raise_on_error=False).success


def test_descriptions_by_key_leaves_out_assets_without_one() -> None:
    @hw.multi_asset(outs={"a": hw.AssetOut(description="first"), "b": hw.AssetOut()})
    def ab() -> tuple[int, int]:
        return 1, 2

    assert ab.descriptions_by_key == {hw.AssetKey("a"): "first"}


@pytest.mark.parametrize("group", ["has space", "dash-ed", "dot.ted", ""])
def test_group_names_are_letters_digits_and_underscores(group: str) -> None:
    with pytest.raises(DefinitionError, match="group name"):

        @hw.asset(group_name=group or "x y")
        def grouped() -> int:
            return 1

    with pytest.raises(DefinitionError, match="group name"):

        @hw.multi_asset(outs={"a": hw.AssetOut()}, group_name=group or "x y")
        def multi() -> int:
            return 1


def test_the_step_of_a_prefixed_asset_is_named_after_its_key_as_in_dagster() -> None:
    @hw.asset(key_prefix=["a", "b"])
    def prefixed() -> int:
        return 1

    @hw.asset(name="renamed")
    def original() -> int:
        return 1

    assert prefixed.node_name == "a__b__prefixed"
    assert original.node_name == "renamed"


def test_op_is_the_op_definition_that_computes_the_asset() -> None:
    @hw.asset(key_prefix="p", op_tags={"team": "x"}, description="one")
    def numbers(upstream: int) -> int:
        return upstream + 1

    op = numbers.op
    assert isinstance(op, hw.OpDefinition)
    assert (op.name, dict(op.tags), op.description) == ("p__numbers", {"team": "x"}, "one")
    assert list(op.outs) == ["result"] and list(op.ins) == ["upstream"]
    assert op(upstream=1) == 2
    with pytest.raises(DefinitionError, match="external assets"):
        _ = hw.AssetsDefinition.from_specs([hw.AssetSpec("ext")])[0].op
