"""Builds synthetic asset graphs for the benchmarks."""

from __future__ import annotations

from typing import Any

import headwater as hw


def chain_of_assets(n: int) -> list[Any]:
    """``n`` trivial assets; asset i depends on assets i-1 and i-2 (values are small ints)."""
    assets: list[Any] = []
    for i in range(n):
        parents = [f"a{j}" for j in (i - 1, i - 2) if j >= 0]
        assets.append(_make(i, parents))
    return assets


def _make(i: int, parents: list[str]) -> Any:
    ins = {f"p{k}": hw.AssetIn(key=p) for k, p in enumerate(parents)}

    if len(parents) == 0:

        def fn() -> int:
            return 1

    elif len(parents) == 1:

        def fn(p0: int) -> int:  # type: ignore[misc]
            return p0 + 1

    else:

        def fn(p0: int, p1: int) -> int:  # type: ignore[misc]
            return p0 + p1

    return hw.asset(name=f"a{i}", ins=ins, code_version="1")(fn)


def chain_with_checks(n: int) -> list[Any]:
    """Like :func:`chain_of_assets`, each asset also evaluating one asset check in its step."""
    assets: list[Any] = []
    for i in range(n):
        parents = [f"a{j}" for j in (i - 1, i - 2) if j >= 0]
        assets.append(_make_checked(i, parents))
    return assets


def _make_checked(i: int, parents: list[str]) -> Any:
    ins = {f"p{k}": hw.AssetIn(key=p) for k, p in enumerate(parents)}
    spec = hw.AssetCheckSpec("positive", asset=f"a{i}")

    def result(value: int) -> Any:
        yield hw.Output(value)
        yield hw.AssetCheckResult(passed=value > 0, metadata={"value": value})

    if len(parents) == 0:

        def fn() -> Any:
            return result(1)

    elif len(parents) == 1:

        def fn(p0: int) -> Any:  # type: ignore[misc]
            return result(p0 + 1)

    else:

        def fn(p0: int, p1: int) -> Any:  # type: ignore[misc]
            return result(p0 + p1)

    return hw.asset(name=f"a{i}", ins=ins, code_version="1", check_specs=[spec])(fn)
