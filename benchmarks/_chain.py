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
