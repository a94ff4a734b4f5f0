"""Nested resources: ResourceDependency, resources depending on resources, ConfigurableResourceFactory."""

import contextlib

import dagster as dg
from _transcript import case, check


class Conn(dg.ConfigurableResource):
    dsn: str


class Repo(dg.ConfigurableResource):
    conn: Conn
    table: str

    def describe(self) -> str:
        return f"{self.conn.dsn}:{self.table}"


@case("nested_direct")
def _():
    @dg.asset
    def uses_repo(repo: Repo) -> str:
        return repo.describe()

    result = dg.materialize([uses_repo], resources={"repo": Repo(conn=Conn(dsn="db://x"), table="t")})
    check("value", result.output_for_node("uses_repo"))


@case("nested_by_key")
def _():
    @dg.asset
    def uses_repo(repo: Repo) -> str:
        return repo.describe()

    conn = Conn(dsn="db://shared")
    result = dg.materialize([uses_repo], resources={"conn": conn, "repo": Repo(conn=conn, table="s")})
    check("value", result.output_for_node("uses_repo"))


@case("resource_dependency")
def _():
    class Holder(dg.ConfigurableResource):
        inner: dg.ResourceDependency[str]

    @dg.asset
    def uses_holder(holder: Holder) -> str:
        return holder.inner

    result = dg.materialize([uses_holder], resources={"holder": Holder(inner="plain string")})
    check("value", result.output_for_node("uses_holder"))


@case("yield_for_execution")
def _():
    events = []

    class Managed(dg.ConfigurableResource):
        name: str

        @contextlib.contextmanager
        def yield_for_execution(self, context):
            events.append("open")
            yield self
            events.append("close")

    @dg.asset
    def uses_managed(m: Managed) -> str:
        events.append("body")
        return m.name

    dg.materialize([uses_managed], resources={"m": Managed(name="n")})
    check("events", events)


@case("create_resource_context")
def _():
    class WithInit(dg.ConfigurableResource):
        base: int
        _computed: int = 0

        def setup_for_execution(self, context: dg.InitResourceContext) -> None:
            self._computed = self.base * 2

        def value(self) -> int:
            return self._computed

    @dg.asset
    def uses_init(w: WithInit) -> int:
        return w.value()

    result = dg.materialize([uses_init], resources={"w": WithInit(base=21)})
    check("value", result.output_for_node("uses_init"))
