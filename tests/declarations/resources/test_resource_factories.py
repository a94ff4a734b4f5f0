"""Factories, ResourceDependency, legacy adapters and function IO managers in real runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from headwater import (
    ConfigurableIOManagerFactory,
    ConfigurableLegacyIOManagerAdapter,
    ConfigurableLegacyResourceAdapter,
    ConfigurableResource,
    ConfigurableResourceFactory,
    DefinitionError,
    InitResourceContext,
    InputContext,
    IOManager,
    IOManagerDefinition,
    OutputContext,
    ResourceDefinition,
    ResourceDependency,
    ResourceParam,
    asset,
    fs_io_manager,
    io_manager,
    materialize,
    mem_io_manager,
    resource,
)


class Client:
    def __init__(self, url: str) -> None:
        self.url = url


class DictIOManager(IOManager):
    def __init__(self, label: str, journal: list[Any]) -> None:
        self.label, self.journal = label, journal
        self.values: dict[Any, Any] = {}

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        self.journal.append((self.label, "store", context.asset_key.to_user_string()))  # type: ignore[union-attr]
        self.values[context.asset_key] = obj

    def load_input(self, context: InputContext) -> Any:
        self.journal.append((self.label, "load", context.asset_key.to_user_string()))  # type: ignore[union-attr]
        return self.values[context.asset_key]


@asset
def upstream() -> int:
    return 20


@asset
def downstream(upstream: int) -> int:
    return upstream + 1


def test_a_factory_gives_its_created_value_and_tears_down(instance: Any) -> None:
    journal: list[Any] = []

    class ClientFactory(ConfigurableResourceFactory[Client]):
        url: str

        def create_resource(self, context: InitResourceContext) -> Client:
            journal.append(("create", self.url))
            return Client(self.url)

        def teardown_after_execution(self, context: InitResourceContext) -> None:
            journal.append("teardown")

    @asset
    def fetched(client: ResourceParam[Client]) -> str:
        journal.append("asset")
        return client.url

    result = materialize([fetched], resources={"client": ClientFactory(url="http://a")},
                         instance=instance)  # fmt: skip

    assert result.output_for_node("fetched") == "http://a"
    assert journal == [("create", "http://a"), "asset", "teardown"]


def test_resource_dependencies_hold_live_values_of_any_kind(instance: Any) -> None:
    journal: list[str] = []

    class ClientFactory(ConfigurableResourceFactory[Client]):
        url: str

        def create_resource(self, context: InitResourceContext) -> Client:
            return Client(self.url)

    @resource(config_schema={"token": str})
    def credentials(context: InitResourceContext) -> Iterator[dict[str, str]]:
        journal.append("credentials up")
        yield {"token": context.resource_config["token"]}
        journal.append("credentials down")

    class Api(ConfigurableResource):
        client: ResourceDependency[Client]
        credentials: ResourceDependency[dict[str, str]]
        region: ResourceDependency[str]

        def call(self) -> tuple[str, str, str]:
            return self.client.url, self.credentials["token"], self.region

    @asset
    def called(api: Api) -> tuple[str, str, str]:
        journal.append("asset")
        return api.call()

    api = Api(client=ClientFactory(url="u"), credentials=credentials.configured({"token": "t"}),
              region="eu")  # fmt: skip
    result = materialize([called], resources={"api": api}, instance=instance)

    assert result.output_for_node("called") == ("u", "t", "eu")
    assert journal == ["credentials up", "asset", "credentials down"]
    assert isinstance(api.client, ClientFactory)  # the definition keeps its declared value


def test_a_dependency_bound_to_its_own_key_is_set_up_once(instance: Any) -> None:
    count: list[int] = []

    @resource
    def shared(context: InitResourceContext) -> int:
        count.append(1)
        return len(count)

    class User(ConfigurableResource):
        source: ResourceDependency[int]

    @asset
    def both(user: User, shared: ResourceParam[int]) -> tuple[int, int]:
        return user.source, shared

    result = materialize([both], resources={"user": User(source=shared), "shared": shared},
                         instance=instance)  # fmt: skip

    assert result.output_for_node("both") == (1, 1)
    assert count == [1]


def test_legacy_resource_adapter_gives_a_function_resource_typed_fields(instance: Any) -> None:
    journal: list[str] = []

    @resource(config_schema={"url": str, "retries": int})
    def connection(context: InitResourceContext) -> Iterator[str]:
        journal.append("open")
        yield f"{context.resource_config['url']} x{context.resource_config['retries']}"
        journal.append("close")

    class Connection(ConfigurableLegacyResourceAdapter):
        url: str
        retries: int = 2

        @property
        def wrapped_resource(self) -> ResourceDefinition:
            return connection

    @asset
    def used(conn: ResourceParam[str]) -> str:
        return conn

    result = materialize([used], resources={"conn": Connection(url="db://")}, instance=instance)

    assert result.output_for_node("used") == "db:// x2"
    assert journal == ["open", "close"]
    run_config = {"resources": {"conn": {"config": {"retries": 9}}}}
    again = materialize([used], resources={"conn": Connection(url="db://")},
                        run_config=run_config, instance=instance)  # fmt: skip
    assert again.output_for_node("used") == "db:// x9"


@pytest.mark.parametrize("kind", ["factory", "adapter", "configured", "decorated"])
def test_function_and_factory_io_managers_store_and_load(instance: Any, kind: str) -> None:
    journal: list[Any] = []

    @io_manager(config_schema={"label": str})
    def dict_io_manager(context: InitResourceContext) -> DictIOManager:
        return DictIOManager(context.resource_config["label"], journal)

    class Factory(ConfigurableIOManagerFactory):
        label: str

        def create_io_manager(self, context: InitResourceContext) -> IOManager:
            return DictIOManager(self.label, journal)

    class Adapter(ConfigurableLegacyIOManagerAdapter):
        label: str

        @property
        def wrapped_io_manager(self) -> IOManagerDefinition:
            return dict_io_manager

    manager: Any = {
        "factory": Factory(label="f"),
        "adapter": Adapter(label="f"),
        "configured": dict_io_manager.configured({"label": "f"}),
        "decorated": dict_io_manager,
    }[kind]
    run_config = {"resources": {"io_manager": {"config": {"label": "f"}}}}
    result = materialize([upstream, downstream], resources={"io_manager": manager},
                         run_config=run_config if kind == "decorated" else None,
                         instance=instance)  # fmt: skip

    assert result.output_for_node("downstream") == 21
    assert journal == [("f", "store", "upstream"), ("f", "load", "upstream"),
                       ("f", "store", "downstream")]  # fmt: skip


def test_fs_io_manager_configured_writes_under_base_dir(instance: Any, tmp_path: Path) -> None:
    manager = fs_io_manager.configured({"base_dir": str(tmp_path / "store")})

    result = materialize([upstream, downstream], resources={"io_manager": manager},
                         instance=instance)  # fmt: skip

    assert result.output_for_node("downstream") == 21
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == ["downstream", "upstream"]


def test_fs_io_manager_reads_base_dir_from_an_environment_variable(
    instance: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HW_TEST_STORE", str(tmp_path / "env-store"))

    config = {"base_dir": {"env": "HW_TEST_STORE"}}
    materialize([upstream], resources={"io_manager": fs_io_manager}, instance=instance,
                run_config={"resources": {"io_manager": {"config": config}}})  # fmt: skip

    assert (tmp_path / "env-store" / "upstream").exists()


def test_fs_io_manager_defaults_to_the_instance_storage(instance: Any) -> None:
    materialize([upstream], resources={"io_manager": fs_io_manager}, instance=instance)

    assert (Path(instance.storage_directory) / "upstream").exists()


def test_mem_io_manager_keeps_values_for_one_run(instance: Any, tmp_path: Path) -> None:
    result = materialize([upstream, downstream], resources={"io_manager": mem_io_manager},
                         instance=instance)  # fmt: skip

    assert result.output_for_node("downstream") == 21
    assert not (Path(instance.storage_directory) / "upstream").exists()


def test_io_manager_per_input_and_output_config_is_refused_clearly() -> None:
    with pytest.raises(DefinitionError, match="output_config_schema= are not supported yet"):

        @io_manager(output_config_schema={"x": int})
        def configured_outputs(context: InitResourceContext) -> IOManager:
            raise AssertionError
