"""Measure how much of the Dagster University course projects runs unchanged on headwater.

For each of the five course projects of the public repository
``dagster-io/project-dagster-university`` this script:

1. exports the project from the repository (``git archive``, so nothing of theirs is changed)
   into a temporary directory;
2. runs the course's own pytest suite with the arguments of the repository's CI
   (``.github/workflows/quality-check-*.yml``: ``pytest -v`` by default, ``-m "not
   integration"`` and a test path where the course's workflow says so), plus
   ``--continue-on-collection-errors`` (so one test module that fails to import on headwater
   does not hide the others) and ``--junitxml`` (to compare by test id), through
   ``headwater compat run`` in a virtual environment with headwater and the course's
   third-party dependencies but no Dagster;
3. optionally (``--dagster``) runs the same suites on real Dagster 1.13.27 in a second virtual
   environment, to get the tests that pass on Dagster;
4. prints per course: passed / failed / errors on headwater, and, by test id, how many of the
   Dagster-passing tests pass on headwater, and the first missing API that stops each
   Dagster-passing test that fails on headwater (counted by the number of tests it blocks).

Tests that need the network (dbt hub, data downloads, DuckDB extensions) fail on Dagster too
here and are excluded by the comparison by test id.

Setup (once; the environments live outside the repository and are never committed):

    python scripts/university.py --setup            # /work/venv-univ (headwater, no Dagster)
    python scripts/university.py --setup --dagster  # also /work/venv-univ-dagster

Run:

    python scripts/university.py --dagster --json /tmp/univ.json
    python scripts/university.py --baseline /tmp/univ.json   # reuse the Dagster results

headwater itself is taken from the ``src/`` directory beside this script (``--headwater-src``),
put on ``PYTHONPATH`` ahead of any installed copy, so a working copy is measured as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

COURSES = (
    "dagster_essentials",
    "dagster_and_dbt",
    "dagster_and_etl",
    "dagster_testing",
    "ai_driven_data_engineering",
)
REPO = Path("/work/.mirror/dagster-io+project-dagster-university/repo")
VENV = Path("/work/venv-univ")
DAGSTER_VENV = Path("/work/venv-univ-dagster")
DAGSTER_VERSION = "1.13.27"
HEADWATER_SRC = Path(__file__).resolve().parents[1] / "src"
COURSE_TIMEOUT_S = 1800
_MEASURE_ARGS = ["-p", "no:cacheprovider", "--continue-on-collection-errors"]

# Third-party dependencies of the courses (their pyproject.toml files), less Dagster's own
# packages. dbt-core is pinned below 1.11 (newer releases download a parser at install).
THIRD_PARTY = [
    "pytest",
    "geopandas",
    "pandas[parquet]",
    "shapely",
    "matplotlib",
    "pyproj",
    "numpy",
    "pyarrow",
    "duckdb",
    "dbt-core<1.11",
    "dbt-duckdb",
    "smart_open[s3]",
    "s3fs",
    "boto3",
    "dlt[duckdb]",
    "psycopg2-binary",
    "croniter",
    "eventregistry",
    "python-dotenv",  # imported by the ETL course; comes with Dagster, so listed here
]
DAGSTER_PACKAGES = [
    f"dagster=={DAGSTER_VERSION}",
    "dagster-dg-cli",
    "dagster-duckdb",
    "dagster-duckdb-pandas",
    "dagster-dbt",
    "dagster-dlt",
    "dagster-sling",
    "dagster-snowflake",
    "dagster-aws",
]

# How a failure names the API it stopped at: (pattern, label template), tried in order; the
# match found last in a failure's text wins (the exception that ended the test).
_MISSING_API = [
    (re.compile(r"headwater\.compat\.dagster has no '(\w+)'"), "dagster.{0}"),
    (re.compile(r"module '([\w.]+)' \(served by headwater\) has no attribute '(\w+)'"), "{0}.{1}"),
    (re.compile(r"headwater does not provide the Dagster module '([\w.]+)'"), "{0}"),
    (re.compile(r"cannot import name '(\w+)' from '(dagster[\w.]*)'"), "{1}.{0}"),
    (re.compile(r"No module named '(dagster_\w+|dagster)"), "{0}"),
]
_EXCEPTION_LINE = re.compile(
    r"^E\s+([\w.]*(?:Error|Exception|Exit|Failed)\w*): ?(.*)$", re.MULTILINE
)


@dataclass
class CourseResult:
    """One course's suite on one environment."""

    course: str
    env: str
    command: list[str]
    exit_code: int
    seconds: float
    outcomes: dict[str, str] = field(default_factory=dict)  # test id -> passed/failed/error/...
    blockers: dict[str, str] = field(default_factory=dict)  # test id -> what stopped it
    session_error: str | None = None  # why no test ran at all (e.g. conftest import error)

    def count(self, outcome: str) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)


def ci_pytest_args(repo: Path, commit: str) -> dict[str, list[str]]:
    """Each course's pytest arguments, read from the repository's CI workflows."""
    names = _git(repo, "ls-tree", "--name-only", commit, ".github/workflows/").split()
    template = yaml.safe_load(
        _git(repo, "show", f"{commit}:.github/workflows/template-quality-check.yml")
    )
    triggers = template.get("on", template.get(True))  # YAML 1.1 reads a bare `on` as true
    default = triggers["workflow_call"]["inputs"]["ubuntu_pytest_cmd"]["default"]
    args: dict[str, list[str]] = {}
    for name in names:
        if not Path(name).name.startswith("quality-check-"):
            continue
        workflow = yaml.safe_load(_git(repo, "show", f"{commit}:{name}"))
        inputs = workflow["jobs"]["check"]["with"]
        course = Path(inputs["working_directory"]).name
        command = shlex.split(inputs.get("ubuntu_pytest_cmd", default))
        if command[:2] == ["uv", "run"]:
            command = command[2:]
        if command[0] != "pytest":
            raise SystemExit(f"unexpected CI test command for {course}: {command}")
        args[course] = command[1:]
    return args


def export(repo: Path, commit: str, course: str, into: Path) -> Path:
    """``git archive`` one course project into ``into``; returns its directory."""
    archive = subprocess.run(
        [
            "git",
            "--git-dir",
            str(repo),
            "archive",
            "--format=tar",
            commit,
            f"dagster_university/{course}",
        ],
        check=True,
        capture_output=True,
    ).stdout
    into.mkdir(parents=True, exist_ok=True)
    tar_path = into / f"{course}.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    tar_path.unlink()
    return into / "dagster_university" / course


def run_suite(
    course_dir: Path, args: list[str], *, env_name: str, venv: Path, headwater_src: Path
) -> CourseResult:
    """Run one course's pytest suite in ``venv`` (through ``compat run`` unless on Dagster)."""
    python = str(venv / "bin" / "python")
    junit = course_dir / f"junit-{env_name}.xml"
    # --continue-on-collection-errors: a module that fails to import on headwater must not stop
    # the other modules' tests from running (on Dagster every module collects, so it is inert).
    pytest = [python, "-m", "pytest", *args, *_MEASURE_ARGS, f"--junitxml={junit}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    home = course_dir / f".home-{env_name}"
    home.mkdir(exist_ok=True)
    paths = [str(course_dir), str(course_dir / "src")]
    if env_name == "headwater":
        paths.insert(0, str(headwater_src))
        command = [python, "-m", "headwater", "compat", "run", "--", *pytest]
        env["HEADWATER_HOME"] = str(home)
    else:
        command = pytest
        env["DAGSTER_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join(paths)
    # dlt keeps pipeline state (including the destination's directory) in one global data dir:
    # without a dir of its own, a run would load into the other environment's DuckDB files.
    env["DLT_DATA_DIR"] = str(course_dir / f".dlt-{env_name}")
    env["RUNTIME__DLTHUB_TELEMETRY"] = "false"  # no network here; do not try to send any
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=course_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=COURSE_TIMEOUT_S,
        )
        exit_code, output = done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired as expired:
        exit_code, output = -1, f"timed out after {COURSE_TIMEOUT_S} s\n{expired.stdout or ''}"
    (course_dir / f"pytest-{env_name}.log").write_text(output, encoding="utf-8")
    result = CourseResult(
        course=course_dir.name,
        env=env_name,
        command=[
            *(["headwater", "compat", "run", "--"] if env_name == "headwater" else []),
            "pytest",
            *args,
        ],
        exit_code=exit_code,
        seconds=round(time.perf_counter() - started, 1),
    )
    _read_junit(junit, result)
    if not result.outcomes:
        result.session_error = first_missing_api(output) or _last_lines(output)
    return result


def _read_junit(junit: Path, result: CourseResult) -> None:
    if not junit.exists():
        return
    for case in ET.parse(junit).getroot().iter("testcase"):
        classname, name = case.get("classname", ""), case.get("name", "")
        test_id = f"{classname}::{name}" if classname else f"{name}::<collection>"
        outcome, text = "passed", ""
        for child in case:
            if child.tag in {"failure", "error", "skipped"}:
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[child.tag]
                text = f"{child.get('message', '')}\n{child.text or ''}"
                break
        result.outcomes[test_id] = outcome
        if outcome in {"failed", "error"}:
            result.blockers[test_id] = first_missing_api(text) or "other"


def first_missing_api(text: str) -> str | None:
    """The API that stopped a test, from its failure text: the last known pattern matched.

    Returns ``"dagster.definitions"``-style labels for missing Dagster APIs, ``"other: TYPE:
    message"`` for other exceptions, or ``None`` when the text names no exception.
    """
    best: tuple[int, str] | None = None
    for pattern, template in _MISSING_API:
        for match in pattern.finditer(text):
            if best is None or match.start() > best[0]:
                best = (match.start(), template.format(*match.groups()))
    if best is not None:
        return best[1]
    exceptions = _EXCEPTION_LINE.findall(text)
    if exceptions:
        kind, message = exceptions[-1]
        return f"other: {kind.rsplit('.', 1)[-1]}: {message.strip()[:90]}"
    return None


def _last_lines(output: str) -> str:
    return " | ".join(line for line in output.strip().splitlines()[-3:])


def compare(headwater: CourseResult, dagster: CourseResult | None) -> dict[str, object]:
    """Per-course figures; with a Dagster baseline, the by-test-id comparison and blockers."""
    row: dict[str, object] = {
        "course": headwater.course,
        "tests": len(headwater.outcomes),
        "passed": headwater.count("passed"),
        "failed": headwater.count("failed"),
        "errors": headwater.count("error"),
        "skipped": headwater.count("skipped"),
        "session_error": headwater.session_error,
    }
    if dagster is None:
        row["blockers"] = Counter(headwater.blockers.values()).most_common()
        return row
    baseline = sorted(t for t, o in dagster.outcomes.items() if o == "passed")
    passing = [t for t in baseline if headwater.outcomes.get(t) == "passed"]
    blockers: Counter[str] = Counter()
    for test_id in baseline:
        if headwater.outcomes.get(test_id) == "passed":
            continue
        blockers[_blocker(test_id, headwater)] += 1
    row.update(
        dagster_tests=len(dagster.outcomes),
        dagster_passed=len(baseline),
        dagster_failed=dagster.count("failed") + dagster.count("error"),
        dagster_passing_pass_on_headwater=len(passing),
        blockers=blockers.most_common(),
    )
    return row


def _blocker(test_id: str, headwater: CourseResult) -> str:
    if test_id in headwater.blockers:
        return headwater.blockers[test_id]
    if test_id in headwater.outcomes:
        return f"not passed ({headwater.outcomes[test_id]})"
    module = test_id.split("::", 1)[0]
    for other, reason in headwater.blockers.items():
        if other.endswith("::<collection>") and other.split("::", 1)[0] == module:
            return reason
    return headwater.session_error or "not collected"


_COLUMNS = ("tests", "passed", "failed", "errors")
_BASELINE_COLUMNS = ("dagster_passed", "dagster_passing_pass_on_headwater")


def _table_line(name: str, row: dict[str, object], with_baseline: bool) -> str:
    line = f"{name:<28}" + "".join(f" {row.get(key, 0):>7}" for key in _COLUMNS)
    if with_baseline:
        line += "".join(f" {row.get(key, 0):>16}" for key in _BASELINE_COLUMNS)
    return line


def print_table(rows: list[dict[str, object]]) -> None:
    """The per-course table, the totals and the top blockers."""
    with_baseline = all("dagster_passed" in row for row in rows)
    header = f"{'course':<28}" + "".join(f" {key:>7}" for key in _COLUMNS)
    if with_baseline:
        header += f" {'dagster-passing':>16} {'pass on hw':>16}"
    print(header)
    totals: dict[str, object] = {}
    blockers: Counter[str] = Counter()
    for row in rows:
        print(_table_line(str(row["course"]), row, with_baseline))
        if row.get("session_error"):
            print(f"    no test ran: {row['session_error']}")
        for key in (*_COLUMNS, *_BASELINE_COLUMNS):
            totals[key] = int(totals.get(key, 0)) + int(row.get(key, 0))  # type: ignore[call-overload]
        for label, count in row["blockers"]:  # type: ignore[attr-defined]
            blockers[label] += count
    print(_table_line("total", totals, with_baseline))
    passed, of = int(totals["dagster_passing_pass_on_headwater"]), int(totals["dagster_passed"])  # type: ignore[call-overload]
    if with_baseline and of:
        print(
            f"\n{passed} of {of} Dagster-passing tests pass on headwater ({100 * passed / of:.1f}%)"
        )
    what = "Dagster-passing tests" if with_baseline else "failing tests"
    print(f"\nFirst missing API, by number of {what} it blocks:")
    for label, count in blockers.most_common(15):
        print(f"  {count:4d}  {label}")


def setup(venv: Path, *, dagster: bool) -> None:
    """Create ``venv`` with the courses' third-party dependencies (and Dagster, or headwater)."""
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    extra = DAGSTER_PACKAGES if dagster else [f"{HEADWATER_SRC.parent}[duckdb]"]
    editable = [] if dagster else ["-e"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, *editable, *extra[:1], *extra[1:], *THIRD_PARTY], check=True)
    if not dagster:
        found = subprocess.run(
            [str(venv / "bin" / "python"), "-c", "import dagster"], capture_output=True
        )
        if found.returncode == 0:
            raise SystemExit(
                f"{venv} has Dagster installed; the headwater measure needs a venv without it"
            )


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def main() -> None:
    """Parse the arguments, run the suites, print (and optionally save) the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--repo", type=Path, default=REPO, help="the course repository (a git dir)")
    parser.add_argument("--commit", default="HEAD")
    parser.add_argument("--courses", default=",".join(COURSES), help="comma-separated course names")
    parser.add_argument("--venv", type=Path, default=VENV)
    parser.add_argument("--dagster-venv", type=Path, default=DAGSTER_VENV)
    parser.add_argument("--headwater-src", type=Path, default=HEADWATER_SRC)
    parser.add_argument(
        "--dagster", action="store_true", help=f"also run on Dagster {DAGSTER_VERSION}"
    )
    parser.add_argument(
        "--baseline", type=Path, help="reuse Dagster results from an earlier --json file"
    )
    parser.add_argument(
        "--setup", action="store_true", help="create the virtual environment(s) and exit"
    )
    parser.add_argument("--json", type=Path, help="write every result to this file")
    parser.add_argument("--keep", action="store_true", help="keep the exported projects and logs")
    options = parser.parse_args()
    if not options.repo.exists():
        raise SystemExit(
            f"{options.repo} is missing: bring github:dagster-io/project-dagster-university here"
        )
    if options.setup:
        setup(options.venv, dagster=False)
        if options.dagster:
            setup(options.dagster_venv, dagster=True)
        return
    commit = _git(options.repo, "rev-parse", options.commit).strip()
    args = ci_pytest_args(options.repo, commit)
    courses = options.courses.split(",")
    baseline: dict[str, CourseResult] = {}
    if options.baseline:
        saved = json.loads(options.baseline.read_text(encoding="utf-8"))
        baseline = {
            r["course"]: CourseResult(**r) for r in saved["results"] if r["env"] == "dagster"
        }
    results: list[CourseResult] = []
    workdir = Path(tempfile.mkdtemp(prefix="university-"))
    print(f"repository {commit[:10]}, projects exported to {workdir}", file=sys.stderr)
    for course in courses:
        course_dir = export(options.repo, commit, course, workdir)
        print(f"{course}: pytest {shlex.join(args[course])}", file=sys.stderr)
        result = run_suite(
            course_dir,
            args[course],
            env_name="headwater",
            venv=options.venv,
            headwater_src=options.headwater_src,
        )
        results.append(result)
        print(
            f"  headwater: {result.count('passed')} passed in {result.seconds} s", file=sys.stderr
        )
        if options.dagster:
            dagster_dir = export(options.repo, commit, course, workdir / "dagster")
            baseline[course] = run_suite(
                dagster_dir,
                args[course],
                env_name="dagster",
                venv=options.dagster_venv,
                headwater_src=options.headwater_src,
            )
            done = baseline[course]
            print(f"  dagster: {done.count('passed')} passed in {done.seconds} s", file=sys.stderr)
    rows = [compare(r, baseline.get(r.course)) for r in results]
    print_table(rows)
    if options.json:
        document = {
            "commit": commit,
            "dagster_version": DAGSTER_VERSION,
            "rows": rows,
            "results": [
                asdict(r) for r in [*results, *(baseline[c] for c in courses if c in baseline)]
            ],
        }
        options.json.write_text(json.dumps(document, indent=2), encoding="utf-8")
    if not options.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"projects and logs kept in {workdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
