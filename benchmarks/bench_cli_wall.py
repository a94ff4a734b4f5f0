"""Wall time of a whole ``headwater materialize`` process on two trivial assets.

Runs ``python -m headwater materialize -f defs.py --select '*'`` in a temporary
``HEADWATER_HOME``: once on a fresh home (creates the database), then 7 times on the existing
one; prints the medians of wall time and of CPU time (user + system of the child, which a
loaded machine inflates less than wall time), a bare interpreter start for comparison, and the
budget (<= 0.3 s wall; it is also the floor of every run worker launch and every CLI command).
The children run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed from their
environment), as in an installed headwater; without it every headwater module is compiled on
each start: ``--no-bytecode`` measures that case (``PYTHONDONTWRITEBYTECODE=1`` and a copy of
the headwater package without ``__pycache__``; the dependencies keep their installed bytecode).

``--imports`` also runs the command once under ``python -X importtime`` and prints the
packages that cost the most import time, each with the headwater module that first imports
it, and the headwater modules with the largest own import time.
"""

from __future__ import annotations

import argparse
import collections
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

RUNS = 7
BUDGET_S = 0.3

DEFS = textwrap.dedent(
    """
    import headwater as hw


    @hw.asset
    def numbers() -> list[int]:
        return [1, 2, 3]


    @hw.asset
    def total(numbers: list[int]) -> int:
        return sum(numbers)


    defs = hw.Definitions(assets=[numbers, total])
    """
)


def _env(home: str, no_bytecode_src: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["HEADWATER_HOME"] = home
    if no_bytecode_src is not None:
        import headwater

        shutil.copytree(
            Path(headwater.__file__).parent,
            no_bytecode_src / "headwater",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPATH"] = os.pathsep.join(
            [str(no_bytecode_src), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
    return env


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(args: list[str], env: dict[str, str], cpu: list[float] | None = None) -> float:
    started, started_cpu = time.perf_counter(), _cpu()
    subprocess.run(args, env=env, check=True, capture_output=True)
    if cpu is not None:
        cpu.append(_cpu() - started_cpu)
    return time.perf_counter() - started


def import_report(args: list[str], env: dict[str, str], top: int = 15) -> None:
    """Print the costliest imports of one run of ``args`` (``-X importtime``)."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", *args[1:]], env=env, capture_output=True, text=True
    )
    rows: list[tuple[int, int, int, str]] = []  # self us, cumulative us, depth, module
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:") :].split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        rows.append((int(own), int(cumulative), depth, name.strip()))
    parents: list[int | None] = [None] * len(rows)
    pending: list[int] = []  # importtime lists a module after everything it imported
    for i, (_, _, depth, _) in enumerate(rows):
        while pending and rows[pending[-1]][2] > depth:
            parents[pending.pop()] = i
        pending.append(i)

    def importer(i: int) -> str:
        parent = parents[i]
        while parent is not None and not rows[parent][3].startswith("headwater"):
            parent = parents[parent]
        return rows[parent][3] if parent is not None else "(the command itself)"

    packages: collections.Counter[str] = collections.Counter()
    pulled_by: dict[str, set[str]] = collections.defaultdict(set)
    for i, (_, cumulative, _, name) in enumerate(rows):
        root = name.split(".")[0]
        parent = parents[i]
        if root == "headwater" or (parent is not None and rows[parent][3].split(".")[0] == root):
            continue
        packages[root] += cumulative
        pulled_by[root].add(importer(i))
    total = sum(r[0] for r in rows)
    own = sum(r[0] for r in rows if r[3].startswith("headwater"))
    print(f"import time (-X importtime, inflated by the tracing): {total / 1000:.0f} ms in all")
    for root, cumulative in packages.most_common(top):
        by = ", ".join(sorted(pulled_by[root]))
        print(f"  {cumulative / 1000:7.1f} ms  {root:<18} first imported by {by}")
    modules = sorted((r for r in rows if r[3].startswith("headwater")), reverse=True)
    count = len(modules)
    print(f"headwater's own modules: {count} imported, {own / 1000:.0f} ms of their own code")
    for own_us, _, _, name in modules[:10]:
        print(f"  {own_us / 1000:7.1f} ms  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--imports", action="store_true", help="also report import times")
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="run the children with PYTHONDONTWRITEBYTECODE=1 and no bytecode cache",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        defs = Path(tmp) / "defs.py"
        defs.write_text(DEFS)
        src = Path(tmp) / "src" if options.no_bytecode else None
        env = _env(str(Path(tmp) / "home"), no_bytecode_src=src)
        args = [sys.executable, "-m", "headwater", "materialize", "-f", str(defs), "--select", "*"]
        _timed([sys.executable, "-c", "import headwater.cli.main"], env)  # write bytecode
        fresh = _timed(args, env)
        cpu: list[float] = []
        timings = [_timed(args, env, cpu) for _ in range(RUNS)]
        bare = statistics.median(_timed([sys.executable, "-c", "pass"], env) for _ in range(RUNS))
        if options.imports:
            import_report(args, env)
    median = statistics.median(timings)
    mode = "no bytecode cache" if options.no_bytecode else "bytecode cached"
    print(
        f"headwater materialize, 2 trivial assets, whole process ({mode}): {median:.3f} s "
        f"median of {RUNS} on an existing home (best {min(timings):.3f} s; CPU "
        f"{statistics.median(cpu):.3f} s median; fresh home {fresh:.3f} s; bare interpreter "
        f"{bare:.3f} s); budget {BUDGET_S} s"
    )


if __name__ == "__main__":
    main()
