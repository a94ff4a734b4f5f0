"""``headwater job list`` and ``headwater job execute`` for asset jobs and jobs of ops."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

JOBS = """
    from headwater import Definitions, asset, define_asset_job, job, op

    @asset
    def numbers() -> list[int]:
        return [1, 2, 3]

    @op
    def greet() -> str:
        return "hello"

    @op
    def shout(text: str) -> str:
        if text == "boom":
            raise ValueError("boom")
        return text.upper()

    @job(description="says hello loudly")
    def hello():
        shout(greet())

    defs = Definitions(assets=[numbers], jobs=[hello, define_asset_job("numbers_job", "numbers")])
"""


def test_job_list_and_execute(
    invoke: Callable[..., Result], write: Callable[[str, str], Path]
) -> None:
    path = str(write("jobs.py", JOBS))
    listed = json.loads(invoke("job", "list", "-f", path, "--json").output)
    assert {(j["name"], j["kind"]) for j in listed} == {("hello", "ops"), ("numbers_job", "assets")}

    ran = invoke("job", "execute", "hello", "-f", path)
    assert ran.exit_code == 0, ran.output
    assert "SUCCESS  shout" in ran.output
    assert invoke("job", "execute", "numbers_job", "-f", path).exit_code == 0
    runs = json.loads(invoke("run", "list", "--json").output)
    assert {r["job_name"] for r in runs} == {"hello", "numbers_job"}

    missing = invoke("job", "execute", "nope", "-f", path)
    assert missing.exit_code == 2
    assert "No job named 'nope'" in missing.output


def test_materialize_refuses_a_job_of_ops(
    invoke: Callable[..., Result], write: Callable[[str, str], Path]
) -> None:
    path = str(write("jobs.py", JOBS))
    result = invoke("materialize", "-f", path, "--job", "hello")
    assert result.exit_code == 2
    assert "headwater job execute hello" in result.output
