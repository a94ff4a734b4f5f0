"""The differential suite: every compat program prints on headwater what it printed on Dagster.

Each program in ``tests/compat/programs/`` was run on real Dagster 1.13 by
``make compat-golden``, which stored its transcript in ``tests/compat/golden/``. Here every
program runs on headwater (``import dagster`` resolving to ``headwater.compat.dagster``) and its
transcript must equal the golden one line for line. Programs listed in ``known_gaps.txt`` are
expected to differ (strict xfail): fixing a gap makes its test fail until the line is removed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

import _runner
import pytest

NAMES = _runner.program_names()
GAPS = _runner.read_known_gaps()


@pytest.fixture(scope="module")
def transcripts() -> Iterator[dict[str, _runner.Transcript]]:
    yield _runner.run_on_headwater(NAMES)


def _params() -> list[object]:
    params: list[object] = []
    for name in NAMES:
        marks = []
        if name in GAPS:
            marks.append(pytest.mark.xfail(strict=True, reason=GAPS[name] or "known gap"))
        params.append(pytest.param(name, marks=marks, id=name))
    return params


def test_every_program_has_a_golden_file() -> None:
    missing = [name for name in NAMES if _runner.read_golden(name) is None]
    assert not missing, f"run `make compat-golden` for: {', '.join(missing)}"


def test_known_gaps_name_existing_programs() -> None:
    stale = sorted(set(GAPS) - set(NAMES))
    assert not stale, f"known_gaps.txt lists programs that do not exist: {stale}"


@pytest.mark.parametrize("name", _params())
def test_program_matches_dagster(name: str, transcripts: dict[str, _runner.Transcript]) -> None:
    golden = _runner.read_golden(name)
    if golden is None:
        pytest.fail(f"no golden transcript for {name}: run `make compat-golden`")
    got = transcripts[name]
    if got.lines != golden:
        diff = "\n".join(
            difflib.unified_diff(golden, got.lines, "dagster", "headwater", lineterm="", n=1)
        )
        stderr_tail = "\n".join(got.stderr.strip().splitlines()[-15:])
        pytest.fail(
            f"{name}: transcript differs from Dagster's\n{diff}\n--- stderr (tail) ---\n"
            f"{stderr_tail}",
            pytrace=False,
        )
