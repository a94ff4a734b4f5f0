"""Concurrency pools: a step of a pool takes a slot while it executes; limits hold across runs."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import headwater as hw
from headwater.cli.main import cli

SPANS: list[tuple[str, float, float]] = []


def _sleeper(name: str) -> Any:
    @hw.asset(name=name, pool="warehouse")
    def sleeper() -> int:
        start = time.monotonic()
        time.sleep(0.3)
        SPANS.append((name, start, time.monotonic()))
        return 1

    return sleeper


def test_a_pool_limit_of_one_serializes_steps_of_concurrent_runs(tmp_path: Path) -> None:
    SPANS.clear()
    instance = hw.Instance.from_path(tmp_path / "home")
    instance.set_concurrency_limit("warehouse", 1)
    assets = [_sleeper(f"load_{i}") for i in range(3)]
    results: list[Any] = []

    def run(asset: Any) -> None:
        # each thread its own Instance on the same database, like separate run workers
        own = hw.Instance.from_path(tmp_path / "home")
        try:
            results.append(hw.materialize([asset], instance=own))
        finally:
            own.dispose()

    threads = [threading.Thread(target=run, args=(a,)) for a in assets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == 3 and all(r.success for r in results)
    spans = sorted(SPANS, key=lambda s: s[1])
    for (_, _, end), (_, start, _) in itertools.pairwise(spans):
        assert start >= end - 0.01  # never two steps of the pool at once
    engine = [e for r in results for e in r.all_events if e.event_type is hw.EventType.ENGINE_EVENT]
    waited = [e for e in engine if e.data.get("waiting_for_pool")]
    assert waited and "warehouse" in waited[0].message
    assert instance.get_concurrency_slots() == []  # every slot given back
    instance.dispose()


def test_a_failed_step_gives_its_slot_back(tmp_path: Path) -> None:
    @hw.asset(pool="warehouse")
    def broken() -> int:
        raise ValueError("no")

    with hw.instance_for_test(temp_dir=str(tmp_path)) as instance:
        instance.set_concurrency_limit("warehouse", 1)
        result = hw.materialize([broken], instance=instance, raise_on_error=False)
        assert not result.success
        assert instance.get_concurrency_slots("warehouse") == []
        assert instance.claim_concurrency_slot("warehouse", "other-run", "x")


def test_ops_take_slots_of_their_pool_and_an_unlimited_pool_costs_nothing(tmp_path: Path) -> None:
    seen: list[list[Any]] = []

    with hw.instance_for_test(temp_dir=str(tmp_path)) as instance:

        @hw.op(pool="api")
        def call_api() -> int:
            seen.append(instance.get_concurrency_slots("api"))
            return 1

        @hw.job
        def calls() -> None:
            call_api()

        assert calls.execute_in_process(instance=instance).success  # no limit: no slot taken
        instance.set_concurrency_limit("api", 3)
        assert calls.execute_in_process(instance=instance).success
    assert seen[0] == []
    assert [(pool, step) for pool, _run, step, _t in seen[1]] == [("api", "call_api")]


def test_default_limit_from_headwater_yaml_and_bad_values(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "headwater.yaml").write_text("concurrency:\n  pools:\n    default_limit: 2\n")
    with hw.Instance.from_path(home) as instance:
        assert instance.get_concurrency_limit("anything") == 2
        instance.set_concurrency_limit("anything", 5)
        assert instance.get_concurrency_limit("anything") == 5
        with pytest.raises(hw.InvalidInvocationError, match=">= 1"):
            instance.set_concurrency_limit("anything", 0)
    (home / "headwater.yaml").write_text("concurrency:\n  pools:\n    default_limt: 2\n")
    with pytest.raises(hw.InvalidConfigError) as raised:
        hw.Instance.from_path(home)
    assert raised.value.errors[0][0] == "concurrency.pools.default_limt"


def test_cli_sets_lists_shows_and_deletes_pool_limits(tmp_path: Path) -> None:
    runner = CliRunner()
    home = ["--home", str(tmp_path / "home")]

    def invoke(*args: str) -> Any:
        result = runner.invoke(cli, [*home, "instance", "concurrency", *args])
        assert result.exit_code == 0, result.output
        return result

    invoke("set", "warehouse", "2")
    assert '"limit": 2' in invoke("get", "warehouse", "--json").output
    assert "warehouse  limit 2  taken 0" in invoke("list").output
    assert "limit removed" in invoke("delete", "warehouse").output
    assert "unlimited" in invoke("get", "warehouse").output
    bad = runner.invoke(cli, [*home, "instance", "concurrency", "set", "warehouse", "0"])
    assert bad.exit_code == 2
