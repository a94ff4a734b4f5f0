"""ConfigurableResource, @resource and initializing resources for a run."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydantic
import pytest

from headwater import (
    Config,
    ConfigurableResource,
    DefinitionError,
    EnvVar,
    InitResourceContext,
    InvalidConfigError,
    InvalidInvocationError,
    MissingResourceError,
    ResourceDefinition,
    Resources,
    UserCodeError,
    build_init_resource_context,
    resource,
)
from headwater.declarations.resources.definition import (
    initialize_resources,
    resource_config_schema,
)

SECRET = "s3cr3t-value-9f2"


class Journal(list[str]):
    """A shared log; an arbitrary type, so pydantic keeps the object instead of copying it."""


class Tracked(ConfigurableResource):
    """Records its lifecycle in a shared journal."""

    model_config = pydantic.ConfigDict(arbitrary_types_allowed=True)

    name: str
    journal: Journal
    fail_setup: bool = False
    fail_teardown: bool = False

    def setup_for_execution(self, context: InitResourceContext) -> None:
        if self.fail_setup:
            raise RuntimeError(f"cannot open {self.name}")
        self.journal.append(f"setup {self.name}")

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        self.journal.append(f"teardown {self.name}")
        if self.fail_teardown:
            raise RuntimeError(f"cannot close {self.name}")


class Database(ConfigurableResource):
    user: str
    password: str
    port: int = 5432
    _connection: Any = pydantic.PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._connection = f"{self.user}@{self.port}"


class Client(ConfigurableResource):
    database: Database
    _ready: bool = pydantic.PrivateAttr(default=False)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        # The nested resource is already set up.
        self._ready = self.database._connection is not None


def tracked(journal: Journal, *names: str, **flags: bool) -> dict[str, Tracked]:
    return {n: Tracked(name=n, journal=journal, **flags) for n in names}


# --- ConfigurableResource ---------------------------------------------------------------------


def test_resource_fields_are_validated_and_immutable() -> None:
    database = Database(user="app", password="pw", port="6543")  # type: ignore[arg-type]
    assert database.port == 6543
    with pytest.raises(pydantic.ValidationError):
        Database(user="app")  # type: ignore[call-arg]
    with pytest.raises(InvalidInvocationError, match=r"Database\.user cannot be assigned"):
        database.user = "other"


def test_env_var_fields_are_kept_at_definition_and_resolved_for_the_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HW_DB_PASSWORD", raising=False)
    database = Database(user="app", password=EnvVar("HW_DB_PASSWORD"), port=EnvVar.int("HW_PORT"))
    monkeypatch.setenv("HW_DB_PASSWORD", SECRET)
    monkeypatch.setenv("HW_PORT", "6000")
    with initialize_resources({"db": database}, required_keys=["db"]) as resources:
        live = resources.db
        assert live.password == SECRET
        assert live.port == 6000
        assert live._connection == "app@6000"
        assert SECRET not in repr(live)
        assert SECRET not in str(live)
        assert "password=EnvVar('HW_DB_PASSWORD')" in repr(live)
    assert database.password == EnvVar("HW_DB_PASSWORD")
    assert isinstance(database.password, EnvVar)
    assert database._connection is None


def test_an_env_var_default_is_resolved_and_the_context_does_not_show_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[InitResourceContext] = []

    class Api(ConfigurableResource):
        token: str = EnvVar("HW_API_TOKEN")

        def setup_for_execution(self, context: InitResourceContext) -> None:
            seen.append(context)

    monkeypatch.setenv("HW_API_TOKEN", SECRET)
    with initialize_resources({"api": Api()}, required_keys=["api"]) as resources:
        assert resources.api.token == SECRET
    [context] = seen
    assert context.resource_config == {"token": SECRET}
    assert SECRET not in repr(context)
    assert Api().token == EnvVar("HW_API_TOKEN")


def test_a_missing_env_var_names_the_variable_and_field_and_nothing_is_set_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HW_MISSING_PASSWORD", raising=False)
    journal = Journal()
    resources = {
        "db": Database(user="app", password=EnvVar("HW_MISSING_PASSWORD")),
        **tracked(journal, "first"),
    }
    with (
        pytest.raises(InvalidConfigError) as exc_info,
        initialize_resources(resources, required_keys=["first", "db"]),
    ):
        pass
    assert exc_info.value.errors == [
        (
            "resources.db.config.password",
            "environment variable 'HW_MISSING_PASSWORD' is not set; set it where the run "
            "executes or give the value in run config",
        )
    ]
    assert journal == []


def test_an_env_var_value_of_the_wrong_type_is_reported_without_the_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HW_PORT", SECRET)
    database = Database(user="app", password="pw", port=EnvVar.int("HW_PORT"))
    with (
        pytest.raises(InvalidConfigError) as exc_info,
        initialize_resources({"db": database}, required_keys=["db"]),
    ):
        pass
    assert exc_info.value.errors == [
        (
            "resources.db.config.port",
            "expected int, got the value of environment variable 'HW_PORT'",
        )
    ]
    assert SECRET not in str(exc_info.value)
    assert SECRET not in repr(database)


def test_run_config_overrides_fields_and_can_name_env_vars(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HW_OTHER_PASSWORD", SECRET)
    database = Database(user="app", password="pw")
    with initialize_resources(
        {"db": database},
        required_keys=["db"],
        run_config_resources={"db": {"port": "7000", "password": {"env": "HW_OTHER_PASSWORD"}}},
    ) as resources:
        assert (resources.db.port, resources.db.password) == (7000, SECRET)
        assert SECRET not in repr(resources.db)
    assert database.port == 5432


def test_a_resource_configured_at_launch_takes_its_fields_from_run_config() -> None:
    partial = Database.configure_at_launch(port=6000)
    assert resource_config_schema(partial) is Database
    with initialize_resources(
        {"db": partial},
        required_keys=["db"],
        run_config_resources={"db": {"user": "rt", "password": "pw"}},
    ) as resources:
        assert (resources.db.user, resources.db.port) == ("rt", 6000)
        assert resources.db._connection == "rt@6000"  # set up like any resource


def test_a_resource_configured_at_launch_without_its_fields_is_invalid_config() -> None:
    with (
        pytest.raises(InvalidConfigError) as exc_info,
        initialize_resources({"db": Database.configure_at_launch()}, required_keys=["db"]),
    ):
        pass
    assert ("resources.db.config.user", "required field missing") in exc_info.value.errors
    with pytest.raises(DefinitionError, match=r"unknown fields \['usr'\]"):
        Database.configure_at_launch(usr="x")


def test_invalid_config_of_several_resources_is_reported_together() -> None:
    resources = {"db": Database(user="app", password="pw"), "plain": object()}
    with (
        pytest.raises(InvalidConfigError) as exc_info,
        initialize_resources(
            resources,
            required_keys=["db", "plain"],
            run_config_resources={"db": {"port": "x", "usr": "a"}, "plain": {"a": 1}},
        ),
    ):
        pass
    assert exc_info.value.errors == [
        ("resources.db.config.port", "expected int, got 'x' (str)"),
        ("resources.db.config.usr", "unknown field (did you mean 'user'?)"),
        ("resources.plain.config", "resource 'plain' takes no config"),
    ]


# --- lifecycle --------------------------------------------------------------------------------


def test_resources_are_set_up_in_order_and_torn_down_in_reverse() -> None:
    journal = Journal()
    with initialize_resources(tracked(journal, "a", "b", "c"), required_keys=["a", "b", "c"]):
        journal.append("run")
    assert journal == [
        "setup a",
        "setup b",
        "setup c",
        "run",
        "teardown c",
        "teardown b",
        "teardown a",
    ]


def test_a_failing_setup_tears_down_what_was_set_up_in_reverse_order() -> None:
    journal = Journal()
    resources = {
        **tracked(journal, "a", "b"),
        **tracked(journal, "c", fail_setup=True),
        **tracked(journal, "d"),
    }
    with (
        pytest.raises(UserCodeError) as exc_info,
        initialize_resources(resources, required_keys=["a", "b", "c", "d"]),
    ):
        journal.append("run")
    assert journal == ["setup a", "setup b", "teardown b", "teardown a"]
    assert "setup of resource 'c'" in str(exc_info.value)
    assert isinstance(exc_info.value.__cause__, RuntimeError)
    assert "cannot open c" in exc_info.value.user_traceback


def test_teardown_runs_when_the_run_fails_and_the_error_passes_through() -> None:
    journal = Journal()
    with (
        pytest.raises(KeyError, match="boom"),
        initialize_resources(tracked(journal, "a", "b"), required_keys=["a", "b"]),
    ):
        raise KeyError("boom")
    assert journal == ["setup a", "setup b", "teardown b", "teardown a"]


def test_a_failing_teardown_is_a_user_code_error_and_the_others_still_run() -> None:
    journal = Journal()
    resources = {
        **tracked(journal, "a"),
        **tracked(journal, "b", fail_teardown=True),
        **tracked(journal, "c"),
    }
    with (
        pytest.raises(UserCodeError, match="teardown of resource 'b'"),
        initialize_resources(resources, required_keys=["a", "b", "c"]),
    ):
        pass
    assert journal == ["setup a", "setup b", "setup c", "teardown c", "teardown b", "teardown a"]


def test_yield_for_execution_can_manage_the_whole_lifecycle() -> None:
    journal: list[str] = []

    class Session(ConfigurableResource):
        url: str

        @contextmanager
        def yield_for_execution(self, context: InitResourceContext) -> Iterator[Session]:
            journal.append(f"open {self.url}")
            yield self
            journal.append(f"close {self.url}")

    with initialize_resources({"s": Session(url="mem://")}, required_keys=["s"]) as resources:
        journal.append(f"use {resources.s.url}")
    assert journal == ["open mem://", "use mem://", "close mem://"]


def test_only_required_resources_are_set_up() -> None:
    journal = Journal()
    with initialize_resources(tracked(journal, "a", "b", "c"), required_keys=["b"]) as resources:
        assert list(resources) == ["b"]
    assert journal == ["setup b", "teardown b"]


def test_setup_receives_a_context_with_config_log_and_instance() -> None:
    seen: list[InitResourceContext] = []

    class Probe(ConfigurableResource):
        level: int = 1

        def setup_for_execution(self, context: InitResourceContext) -> None:
            seen.append(context)

    log = logging.getLogger("hw.test.resources")
    marker = object()
    with initialize_resources(
        {"probe": Probe()},
        required_keys=["probe"],
        run_config_resources={"probe": {"level": 3}},
        log=log,
        instance=marker,
    ):
        pass
    [context] = seen
    assert dict(context.resource_config) == {"level": 3}
    assert context.log is log
    assert context.instance is marker


# --- nested resources -------------------------------------------------------------------------


def test_a_nested_resource_is_set_up_first_and_shared_when_bound_to_a_key() -> None:
    database = Database(user="app", password="pw")
    client = Client(database=database)
    with initialize_resources(
        {"client": client, "db": database}, required_keys=["client"]
    ) as resources:
        assert list(resources) == ["db", "client"]
        assert resources.client.database is resources.db
        assert resources.client._ready is True
    assert client._ready is False


def test_an_unbound_nested_resource_is_set_up_with_its_parent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HW_NESTED_PASSWORD", SECRET)
    client = Client(database=Database(user="app", password=EnvVar("HW_NESTED_PASSWORD")))
    with initialize_resources({"client": client}, required_keys=["client"]) as resources:
        assert list(resources) == ["client"]
        assert resources.client.database.password == SECRET
        assert resources.client._ready is True
        assert SECRET not in repr(resources.client)


def test_nested_resource_errors_carry_the_nested_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HW_NESTED_PASSWORD", raising=False)
    client = Client(database=Database(user="app", password=EnvVar("HW_NESTED_PASSWORD")))
    with (
        pytest.raises(InvalidConfigError) as exc_info,
        initialize_resources({"client": client}, required_keys=["client"]),
    ):
        pass
    assert [path for path, _ in exc_info.value.errors] == [
        "resources.client.config.database.password"
    ]


# --- missing resources ------------------------------------------------------------------------


def test_a_missing_required_key_says_how_to_provide_it() -> None:
    with (
        pytest.raises(MissingResourceError) as exc_info,
        initialize_resources({"a": 1}, required_keys=["warehouse", "a"]),
    ):
        pass
    message = str(exc_info.value)
    assert "'warehouse'" in message
    assert "Definitions(resources={'warehouse': ...})" in message
    assert "bound: a" in message


# --- plain objects and function resources -----------------------------------------------------


def test_plain_objects_are_passed_through_unchanged() -> None:
    client = {"url": "http://example"}
    with initialize_resources({"client": client}, required_keys=["client"]) as resources:
        assert resources.client is client
        assert resources["client"] is client


def test_a_function_resource_yields_its_value_and_tears_down_after() -> None:
    journal: list[str] = []

    @resource(config_schema={"url": str, "retries": (int, 3)})
    def connection(context: InitResourceContext) -> Iterator[str]:
        cfg = context.resource_config
        journal.append(f"open {cfg['url']} x{cfg['retries']}")
        yield f"conn:{cfg['url']}"
        journal.append("close")

    with initialize_resources(
        {"conn": connection},
        required_keys=["conn"],
        run_config_resources={"conn": {"url": "db://"}},
    ) as resources:
        journal.append(f"use {resources.conn}")
    assert journal == ["open db:// x3", "use conn:db://", "close"]


def test_a_returned_value_is_the_resource_even_if_it_is_a_context_manager() -> None:
    class Handle:
        entered = False

        def __enter__(self) -> Handle:
            self.entered = True
            return self

        def __exit__(self, *args: object) -> None:
            return None

    handle = Handle()

    @resource
    def make_handle() -> Handle:
        return handle

    with initialize_resources({"h": make_handle}, required_keys=["h"]) as resources:
        assert resources.h is handle
    assert handle.entered is False


def test_a_function_resource_gets_the_resources_it_requires() -> None:
    class Settings(Config):
        prefix: str = "p"

    @resource(config_schema=Settings, required_resource_keys={"base"})
    def derived(context: InitResourceContext) -> str:
        return f"{context.resource_config['prefix']}-{context.resources.base}"

    with initialize_resources(
        {"derived": derived, "base": "root"}, required_keys=["derived"]
    ) as resources:
        assert dict(resources) == {"base": "root", "derived": "p-root"}


def test_function_resource_config_is_validated_in_full() -> None:
    @resource(config_schema={"url": str})
    def connection(context: InitResourceContext) -> str:
        return "never"

    with (
        pytest.raises(InvalidConfigError) as exc_info,
        initialize_resources({"conn": connection}, required_keys=["conn"]),
    ):
        pass
    assert exc_info.value.errors == [("resources.conn.config.url", "required field missing")]


def test_function_resource_dependencies_must_exist_and_not_form_a_cycle() -> None:
    a = ResourceDefinition(lambda context: 1, required_resource_keys={"b"})
    b = ResourceDefinition(lambda context: 2, required_resource_keys={"a"})
    with (
        pytest.raises(MissingResourceError, match="needed by resource 'a'"),
        initialize_resources({"a": a}, required_keys=["a"]),
    ):
        pass
    with (
        pytest.raises(DefinitionError, match="cycle: a -> b -> a"),
        initialize_resources({"a": a, "b": b}, required_keys=["a"]),
    ):
        pass


def test_resource_functions_take_at_most_the_context() -> None:
    with pytest.raises(DefinitionError, match="takes 2 parameters"):

        @resource
        def bad(context: InitResourceContext, other: int) -> None:
            return None


def test_a_resource_definition_can_be_called_directly_in_tests() -> None:
    @resource(config_schema={"url": str})
    def connection(context: InitResourceContext) -> str:
        return f"conn:{context.resource_config['url']}"

    assert connection(build_init_resource_context(config={"url": "x"})) == "conn:x"
    assert ResourceDefinition.hardcoded_resource(5)() == 5


def test_resource_config_schema_is_what_run_config_is_checked_against() -> None:
    @resource(config_schema={"url": str})
    def connection(context: InitResourceContext) -> str:
        return "c"

    assert resource_config_schema(Database(user="a", password="b")) is Database
    schema = resource_config_schema(connection)
    assert schema is not None and list(schema.model_fields) == ["url"]
    assert resource_config_schema(object()) is None


# --- Resources and contexts -------------------------------------------------------------------


def test_resources_allow_attribute_and_key_access_and_are_read_only() -> None:
    resources = Resources({"warehouse": "duck"})
    assert resources.warehouse == resources["warehouse"] == "duck"
    assert dict(resources) == {"warehouse": "duck"}
    with pytest.raises(AttributeError, match=r"No resource 'lake'.*available: warehouse"):
        _ = resources.lake
    with pytest.raises(KeyError):
        _ = resources["lake"]
    with pytest.raises(AttributeError, match="read-only"):
        resources.warehouse = "other"


def test_build_init_resource_context_for_unit_tests() -> None:
    context = build_init_resource_context(config={"path": ":memory:"}, resources={"dep": 1})
    assert context.resource_config == {"path": ":memory:"}
    assert context.resources.dep == 1
    assert context.instance is None
    database = Database(user="u", password="p")
    database.setup_for_execution(context)
    assert database._connection == "u@5432"


def test_materialize_with_a_resource_configured_at_launch(instance: Any) -> None:
    from headwater import asset, materialize

    @asset
    def who(db: Database) -> str:
        return db.user

    result = materialize(
        [who],
        resources={"db": Database.configure_at_launch()},
        run_config={"resources": {"db": {"config": {"user": "launch", "password": "pw"}}}},
        instance=instance,
    )
    assert result.output_for_node("who") == "launch"
