"""The fast execution path (direct resolvers, compiled list selections) answers exactly what
strawberry and graphql-core answer, errors included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from server_helpers import Server, wait_for_run

from headwater.instance.instance import Instance
from headwater.orchestration.code_location import resolve_code_location
from headwater.orchestration.workspace import Workspace
from headwater.orchestration.workspace_manager import WorkspaceManager
from headwater.webserver.graphql.context import Context
from headwater.webserver.graphql.schema import build_schema
from headwater.webserver.state import WebserverState

FAST, SLOW = build_schema(), build_schema(fast=False)

QUERIES = [
    """{ assets { totalCount nodes { __typename key { path userString } locationName groupName
        description kinds owners tags { key value } codeVersion isPartitioned isMaterializable
        dependencyKeys { path } dependedByKeys { path } lastRunId metadata { label kind value }
        latestMaterialization { runId timestamp partition metadata { label kind value number } }
        staleStatus { status causes { category reason dependency { path } } }
        checks { name blocking latestEvaluation { passed severity runId } }
        upstream { key { path } } downstream { groupName } } } }""",
    """{ runs(first: 5) { nodes { runId status jobName tags { key value } assetSelection
        { path } events(first: 3) { nodes { eventType stepKey level } } } } }""",
    """{ codeLocations { name status jobs { name steps { key assetKeys { path } } } schedules
        { name status nextTicks(count: 1) } sensors { name status } } }""",
    """{ assets { nodes { k: key { path } again: key { path } } } }""",
    """query($paths: [String!]!) { asset(key: {path: $paths}) { partitionStatus
        { ranges { start end status count } } materializations(first: 2) { nodes { runId } } } }""",
    """{ assets { nodes { key { path } ... on Asset { groupName } } } }""",
    """{ assets { nodes { key { path } groupName @include(if: false) } } }""",
]


@pytest.fixture(scope="module")
def state(server: Server, project: Path) -> Iterator[WebserverState]:
    run_id = server.data(
        'mutation { materialize(input: {assetKeys: [{path: ["orders"]}, '
        '{path: ["report"]}]}) { run { runId } } }'
    )["materialize"]["run"]["runId"]
    wait_for_run(server, run_id)
    origin = resolve_code_location(file=str(project / "defs.py")).to_origin()
    with (
        Instance.from_path(project / "home") as instance,
        WorkspaceManager(Workspace.of(origin), instance_home=str(project / "home")) as manager,
    ):
        manager.wait_until_settled()
        yield WebserverState(instance, manager)


@pytest.mark.parametrize("query", QUERIES)
def test_the_fast_path_answers_what_the_ordinary_path_answers(
    state: WebserverState, query: str
) -> None:
    variables = {"paths": ["daily"]}
    fast = FAST.execute_sync(query, variable_values=variables, context_value=Context(state=state))
    slow = SLOW.execute_sync(query, variable_values=variables, context_value=Context(state=state))
    assert fast.errors is None and slow.errors is None
    assert fast.data == slow.data
    assert fast.data


def test_checks_were_evaluated_so_the_comparison_covers_them(state: WebserverState) -> None:
    data = FAST.execute_sync(
        '{ asset(key: {path: ["orders"]}) { checks { latestEvaluation { passed } } } }',
        context_value=Context(state=state),
    ).data
    assert data == {"asset": {"checks": [{"latestEvaluation": {"passed": True}}]}}


def test_an_error_is_reported_as_graphql_core_reports_it(
    state: WebserverState,
) -> None:
    query = '{ runs(after: "bad") { nodes { runId } } }'
    fast = FAST.execute_sync(query, context_value=Context(state=state))
    slow = SLOW.execute_sync(query, context_value=Context(state=state))
    assert [e.message for e in fast.errors or []] == [e.message for e in slow.errors or []]
    assert fast.errors
