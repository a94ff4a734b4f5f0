"""Produce the differential suite's golden transcripts from real Dagster.

Usage (or ``make compat-golden``)::

    python3 scripts/compat_golden.py            # every program
    python3 scripts/compat_golden.py NAME ...   # only these programs

Creates ``.venv-dagster`` in the repository root on first use (``python3 -m venv``, then
``pip install dagster==DAGSTER_VERSION`` from the package registry), runs every program of
``tests/compat/programs/`` there as a plain script (working directory and ``DAGSTER_HOME`` in a
fresh temporary directory, a time limit per program) and writes
``tests/compat/golden/NAME.txt``, whose first line records the Dagster version that produced it.

Dagster is never a dependency of headwater: it lives only in ``.venv-dagster`` (git-ignored),
which headwater's code and tests never import.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "compat"))

import _runner  # noqa: E402 - needs the path above

DAGSTER_VERSION = "1.13.27"
EXTRA_PACKAGES: list[str] = []  # e.g. pandas/duckdb, only if a program needs them
VENV = ROOT / ".venv-dagster"
PYTHON = VENV / "bin" / "python"


def _installed_version() -> str | None:
    if not PYTHON.exists():
        return None
    probe = subprocess.run(
        [str(PYTHON), "-c", "import importlib.metadata as m; print(m.version('dagster'))"],
        capture_output=True,
        text=True,
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


def ensure_venv() -> None:
    """Create ``.venv-dagster`` with the pinned Dagster unless it is already there."""
    if _installed_version() == DAGSTER_VERSION:
        return
    print(f"creating {VENV.name} with dagster=={DAGSTER_VERSION} (takes a few minutes)")
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, f"dagster=={DAGSTER_VERSION}", *EXTRA_PACKAGES], check=True)
    if _installed_version() != DAGSTER_VERSION:
        raise SystemExit(f"dagster {DAGSTER_VERSION} did not install into {VENV}")


def main(argv: list[str]) -> int:
    ensure_venv()
    names = argv or _runner.program_names()
    unknown = sorted(set(names) - set(_runner.program_names()))
    if unknown:
        raise SystemExit(f"no such program(s): {', '.join(unknown)}")
    _runner.GOLDEN_DIR.mkdir(exist_ok=True)
    py_version = ".".join(map(str, sys.version_info[:2]))
    failures = 0
    for name in names:
        start = time.monotonic()
        transcript = _runner.run_plain(str(PYTHON), name)
        took = time.monotonic() - start
        header = f"# golden from dagster {DAGSTER_VERSION} (python {py_version}); do not edit"
        path = _runner.GOLDEN_DIR / f"{name}.txt"
        path.write_text("\n".join([header, *transcript.lines]) + "\n")
        crashes = sum(1 for line in transcript.lines if ".CRASH: " in line)
        status = transcript.lines[-1]
        note = "" if status == "exit: 0" and not crashes else f"  <-- {status}, {crashes} crash(es)"
        if note:
            failures += 1
            sys.stderr.write(transcript.stderr[-3000:])
        print(f"{name:40s} {len(transcript.lines) - 1:4d} lines {took:5.1f}s{note}")
    print(f"{len(names)} golden file(s) written to {_runner.GOLDEN_DIR.relative_to(ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
