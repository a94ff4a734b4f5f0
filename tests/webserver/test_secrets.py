"""Secrets never come back from the API: an EnvVar's value, a password given in run config."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from server_helpers import Server, free_port, wait_for_run

DEFS = """
from headwater import Config, ConfigurableResource, Definitions, EnvVar, asset


class Warehouse(ConfigurableResource):
    user: str
    password: str


class Settings(Config):
    api_token: str = "unset"


@asset
def uses_warehouse(config: Settings, warehouse: Warehouse) -> int:
    return len(warehouse.password) + len(config.api_token)


defs = Definitions(assets=[uses_warehouse], resources={
    "warehouse": Warehouse(user="loader", password=EnvVar("HW_TEST_WAREHOUSE_PASSWORD")),
})
"""
PASSWORD = "env-secret-7d1f"
TOKEN = "config-secret-93ab"


@pytest.fixture(scope="module")
def secret_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("secrets")
    (root / "defs.py").write_text(DEFS)
    port = free_port()
    with Server(["webserver", "-f", "defs.py", "--port", str(port)], home=root / "home",
                cwd=root, port=port,
                env={"HW_TEST_WAREHOUSE_PASSWORD": PASSWORD}) as server:  # fmt: skip
        server.wait_ready()
        yield server


def test_neither_an_env_var_value_nor_a_config_secret_is_returned(secret_server: Server) -> None:
    server = secret_server
    warehouse = {"user": "loader", "password": {"env": "HW_TEST_WAREHOUSE_PASSWORD"}}
    config = {"ops": {"uses_warehouse": {"config": {"api_token": TOKEN}}},
              "resources": {"warehouse": {"config": warehouse}}}  # fmt: skip
    out = server.data("mutation($config: JSON) { materialize(input: {assetKeys: [{path: "
                      '["uses_warehouse"]}], runConfig: $config}) { run { runId } errors '
                      "{ message } } }", {"config": config})["materialize"]  # fmt: skip
    assert out["errors"] == [], out
    run_id = out["run"]["runId"]
    assert wait_for_run(server, run_id)["status"] == "SUCCESS"
    answers = [
        server.query("query($id: ID!) { run(runId: $id) { runConfig tags { key value } events "
                     "{ nodes { message data metadata { value } error } } capturedLogs "
                     "{ stdout stderr } } }", {"id": run_id}),
        server.query("{ assets { nodes { metadata { value } latestMaterialization { metadata "
                     "{ value } tags { value } } } } codeLocations { error { message } } }"),
    ]  # fmt: skip
    text = json.dumps(answers)
    assert PASSWORD not in text and TOKEN not in text
    run_config = answers[0]["data"]["run"]["runConfig"]
    assert run_config["ops"]["uses_warehouse"]["config"]["api_token"] == "***"
    assert run_config["resources"]["warehouse"]["config"]["password"] == {
        "env": "HW_TEST_WAREHOUSE_PASSWORD"
    }


def test_the_definitions_shown_hold_no_resource_config(secret_server: Server) -> None:
    query = "{ codeLocations { name jobs { name } } assets { nodes { metadata { value } } } }"
    assert PASSWORD not in json.dumps(secret_server.query(query))
