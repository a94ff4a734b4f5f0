"""Function resources (``@resource``) in real runs: config, dependencies, teardown order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from headwater import (
    Definitions,
    Field,
    InitResourceContext,
    InvalidConfigError,
    ResourceDefinition,
    UserCodeError,
    asset,
    build_init_resource_context,
    job,
    materialize,
    op,
    resource,
)


def _journaled() -> tuple[list[Any], ResourceDefinition, ResourceDefinition]:
    journal: list[Any] = []

    @resource(config_schema={"url": Field(str, default_value="db://"), "pool": int})
    def database(context: InitResourceContext) -> Iterator[str]:
        journal.append(("open database", context.resource_config))
        yield f"conn:{context.resource_config['url']}"
        journal.append("close database")

    @resource(required_resource_keys={"database"})
    def repository(context: InitResourceContext) -> Iterator[str]:
        journal.append("open repository")
        yield f"repo on {context.resources.database}"
        journal.append("close repository")

    return journal, database, repository


def test_generator_resources_are_set_up_in_dependency_order_and_torn_down_in_reverse(
    instance: Any,
) -> None:
    journal, database, repository = _journaled()

    @asset(required_resource_keys={"repository"})
    def users(context: Any) -> str:
        journal.append("asset")
        return str(context.resources.repository)

    result = materialize(
        [users],
        resources={"database": database, "repository": repository},
        run_config={"resources": {"database": {"config": {"pool": 4}}}},
        instance=instance,
    )

    assert result.output_for_node("users") == "repo on conn:db://"
    assert journal == [
        ("open database", {"url": "db://", "pool": 4}),
        "open repository",
        "asset",
        "close repository",
        "close database",
    ]


def test_teardown_runs_even_when_the_step_fails(instance: Any) -> None:
    journal, database, repository = _journaled()

    @asset(required_resource_keys={"repository"})
    def broken() -> None:
        raise ValueError("boom")

    result = materialize(
        [broken],
        resources={"database": database.configured({"pool": 1}), "repository": repository},
        instance=instance,
        raise_on_error=False,
    )

    assert not result.success
    assert journal[-2:] == ["close repository", "close database"]


def test_teardown_of_set_up_resources_runs_when_a_later_setup_fails(instance: Any) -> None:
    journal, database, _ = _journaled()

    @resource(required_resource_keys={"database"})
    def flaky(context: InitResourceContext) -> None:
        raise ConnectionError("no route")

    @asset(required_resource_keys={"flaky"})
    def needs_flaky() -> int:
        return 1

    with pytest.raises(UserCodeError, match="flaky"):
        materialize(
            [needs_flaky],
            resources={"database": database.configured({"pool": 1}), "flaky": flaky},
            instance=instance,
        )
    assert journal == [("open database", {"url": "db://", "pool": 1}), "close database"]


def test_definitions_resources_reach_an_asset_job(instance: Any) -> None:
    journal, database, repository = _journaled()

    @asset(required_resource_keys={"repository", "database"})
    def report(context: Any) -> list[str]:
        return [context.resources.database, context.resources.repository]

    defs = Definitions(
        assets=[report],
        resources={"database": database.configured({"pool": 2, "url": "pg://"}),
                   "repository": repository},
    )  # fmt: skip
    result = defs.get_implicit_global_asset_job_def().execute_in_process(instance=instance)

    assert result.output_for_node("report") == ["conn:pg://", "repo on conn:pg://"]
    assert journal[0] == ("open database", {"url": "pg://", "pool": 2})


def test_ops_jobs_use_function_resources(instance: Any) -> None:
    seen: list[str] = []

    @resource(config_schema=str)
    def greeting(context: InitResourceContext) -> str:
        return str(context.resource_config)

    @op(required_resource_keys={"greeting"})
    def greet(context: Any) -> str:
        seen.append(context.resources.greeting)
        return str(context.resources.greeting)

    @job(resource_defs={"greeting": greeting})
    def greeter() -> None:
        greet()

    result = greeter.execute_in_process(
        run_config={"resources": {"greeting": {"config": "hello"}}}, instance=instance
    )

    assert result.output_for_node("greet") == "hello"
    assert seen == ["hello"]


def test_run_config_errors_name_the_resource_path_and_expected_type(instance: Any) -> None:
    _, database, repository = _journaled()

    @asset(required_resource_keys={"repository"})
    def users(context: Any) -> str:
        return "never"

    with pytest.raises(InvalidConfigError) as info:
        materialize(
            [users],
            resources={"database": database, "repository": repository},
            run_config={"resources": {"database": {"config": {"pool": "four"}}}},
            instance=instance,
        )

    assert info.value.errors == [
        ("resources.database.config.pool", "expected int, got 'four' (str)")
    ]


def test_a_missing_required_field_is_reported_before_any_setup(instance: Any) -> None:
    journal, database, repository = _journaled()

    @asset(required_resource_keys={"repository"})
    def users() -> str:
        return "never"

    with pytest.raises(InvalidConfigError) as info:
        materialize(
            [users], resources={"database": database, "repository": repository}, instance=instance
        )

    assert info.value.errors == [("resources.database.config.pool", "required field missing")]
    assert journal == []


def test_configured_checks_its_config_at_once() -> None:
    _, database, _ = _journaled()

    with pytest.raises(InvalidConfigError) as info:
        database.configured({"pool": "x"})

    assert info.value.errors == [("configured.pool", "expected int, got 'x' (str)")]


def test_configured_with_a_function_maps_a_new_schema_to_the_old_one() -> None:
    _, database, _ = _journaled()
    small = database.configured(lambda cfg: {"pool": cfg["size"] * 2}, config_schema={"size": int})

    with small(build_init_resource_context(config={"size": 3})) as conn:
        assert conn == "conn:db://"
    assert list(small.config_class.model_fields) == ["size"]  # type: ignore[union-attr]


def test_direct_invocation_validates_config_and_gives_generators_as_context_managers() -> None:
    journal, database, _ = _journaled()

    with database(build_init_resource_context(config={"pool": 2})) as conn:
        assert conn == "conn:db://"
    assert journal == [("open database", {"url": "db://", "pool": 2}), "close database"]
    with pytest.raises(InvalidConfigError, match=r"resource_config\.pool"):
        database(build_init_resource_context(config={}))


def test_hardcoded_none_and_mock_resources() -> None:
    assert ResourceDefinition.hardcoded_resource([1, 2], "numbers")() == [1, 2]
    assert ResourceDefinition.hardcoded_resource(1, "one").description == "one"
    assert ResourceDefinition.none_resource()() is None
    mock = ResourceDefinition.mock_resource()()
    mock.query("select 1")
    mock.query.assert_called_once_with("select 1")


def test_resource_decorator_keeps_dagster_positional_order() -> None:
    @resource({"n": int}, "counts things", {"other"})
    def counter(context: InitResourceContext) -> int:
        return int(context.resource_config["n"])

    assert counter.description == "counts things"
    assert counter.required_resource_keys == frozenset({"other"})
    assert counter(build_init_resource_context(config={"n": 3})) == 3
