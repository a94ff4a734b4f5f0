"""ConfigurableResource: fields, nested resources, EnvVar, setup/teardown, injection in assets and ops."""

import os

import dagster as dg
from _transcript import case, check, expect_error

EVENTS = []


class Credentials(dg.ConfigurableResource):
    user: str
    password: str


class Client(dg.ConfigurableResource):
    base_url: str
    timeout: int = 5
    credentials: Credentials

    def fetch(self, path: str) -> str:
        return f"{self.base_url}/{path}?user={self.credentials.user}&t={self.timeout}"


class Lifecycle(dg.ConfigurableResource):
    label: str

    def setup_for_execution(self, context) -> None:
        EVENTS.append(f"setup:{self.label}")

    def teardown_after_execution(self, context) -> None:
        EVENTS.append(f"teardown:{self.label}")


@dg.asset
def fetched(client: Client) -> str:
    return client.fetch("items")


@dg.asset
def uses_lifecycle(lc: Lifecycle) -> str:
    EVENTS.append("body")
    return lc.label


@dg.op
def op_fetch(client: Client) -> str:
    return client.fetch("op")


@case("direct_construction")
def _():
    c = Client(base_url="http://x", credentials=Credentials(user="u", password="p"))
    check("fetch", c.fetch("a"))
    check("timeout_default", c.timeout)
    check("is_resource", isinstance(c, dg.ConfigurableResource))
    expect_error("missing_field", lambda: Client(base_url="x"), "DagsterError", "ValueError")


@case("materialize_with_resource")
def _():
    client = Client(base_url="http://api", timeout=9, credentials=Credentials(user="me", password="pw"))
    result = dg.materialize([fetched], resources={"client": client})
    check("success", result.success)
    check("value", result.output_for_node("fetched"))


@case("env_var")
def _():
    os.environ["COMPAT_USER"] = "env_user"
    client = Client(base_url="http://e", credentials=Credentials(user=dg.EnvVar("COMPAT_USER"), password="p"))
    result = dg.materialize([fetched], resources={"client": client})
    check("value", result.output_for_node("fetched"))
    check("env_var_name", dg.EnvVar("COMPAT_USER").env_var_name)
    check("env_var_get_value", dg.EnvVar("COMPAT_USER").get_value())
    check("env_var_int", dg.EnvVar.int("COMPAT_NUM").env_var_name)


@case("lifecycle")
def _():
    EVENTS.clear()
    result = dg.materialize([uses_lifecycle], resources={"lc": Lifecycle(label="L")})
    check("value", result.output_for_node("uses_lifecycle"))
    check("events", EVENTS)


@case("op_job_with_resources")
def _():
    @dg.job(resource_defs={"client": Client(base_url="http://job", credentials=Credentials(user="j", password="p"))})
    def job_with_client():
        op_fetch()

    result = job_with_client.execute_in_process()
    check("value", result.output_for_node("op_fetch"))


@case("definitions_resources")
def _():
    defs = dg.Definitions(
        assets=[fetched],
        resources={"client": Client(base_url="http://defs", credentials=Credentials(user="d", password="p"))},
    )
    job = dg.define_asset_job("fetch_job", selection=[fetched])
    defs = dg.Definitions(assets=[fetched], jobs=[job], resources=defs.resources)
    result = defs.get_job_def("fetch_job").execute_in_process()
    check("value", result.output_for_node("fetched"))


@case("resource_config_at_runtime")
def _():
    @dg.asset
    def uses_creds(credentials: Credentials) -> str:
        return credentials.user

    result = dg.materialize(
        [uses_creds],
        resources={"credentials": Credentials.configure_at_launch()},
        run_config={"resources": {"credentials": {"config": {"user": "rt", "password": "p"}}}},
    )
    check("value", result.output_for_node("uses_creds"))


@case("missing_resource")
def _():
    expect_error(
        "missing",
        lambda: dg.materialize([fetched]),
        "DagsterInvalidDefinitionError",
        "DagsterError",
        words=["client"],
    )
