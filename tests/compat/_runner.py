"""Run the compat programs and collect their transcripts.

Two ways to run a program:

- on **headwater** (the replay in ``make test``): :func:`run_on_headwater` starts *one*
  subprocess of the current Python that installs headwater's compat import hook
  (:mod:`headwater.compat.importer`, what ``headwater compat run`` uses, so ``import dagster``
  resolves to ``headwater.compat.dagster``), warms up once and then forks one child per program
  (two at a time), so every program runs isolated
  (fresh module state, its own working directory and ``HEADWATER_HOME``) without paying for the
  interpreter start and the import each time;
- on **real Dagster** (``make compat-golden``, see ``scripts/compat_golden.py``):
  :func:`run_plain` runs a program as a plain script with another interpreter.

A transcript is the program's stdout plus a last ``exit: CODE`` line (``exit: timeout`` when it
ran past its time limit). Golden files start with ``#`` header lines, which comparison ignores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROGRAMS_DIR = Path(__file__).parent / "programs"
GOLDEN_DIR = Path(__file__).parent / "golden"
KNOWN_GAPS = Path(__file__).parent / "known_gaps.txt"
TIMEOUT_S = 30.0
PARALLEL = 2  # programs run at once on headwater (the machines have two cores)


@dataclass(frozen=True, kw_only=True)
class Transcript:
    """What one program printed: its check lines (ending with ``exit: ...``) and its stderr."""

    name: str
    lines: list[str]
    stderr: str


def program_names() -> list[str]:
    """Every program's name (file stem), sorted; helper modules start with ``_``."""
    return sorted(p.stem for p in PROGRAMS_DIR.glob("*.py") if not p.name.startswith("_"))


def read_known_gaps() -> dict[str, str]:
    """``known_gaps.txt`` as {program: reason}; ``#`` starts a comment."""
    gaps: dict[str, str] = {}
    if not KNOWN_GAPS.exists():
        return gaps
    for raw in KNOWN_GAPS.read_text().splitlines():
        line = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
        if not line:
            continue
        name, _, reason = line.partition(" ")
        gaps[name] = reason.strip()
    return gaps


def read_golden(name: str) -> list[str] | None:
    """The golden transcript's lines without its ``#`` header, or None if there is none."""
    path = GOLDEN_DIR / f"{name}.txt"
    if not path.exists():
        return None
    return [line for line in path.read_text().splitlines() if not line.startswith("#")]


def _program_env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "HEADWATER_"))}
    for var in ("DAGSTER_HOME", "HEADWATER_HOME"):
        home = workdir / var.lower()
        home.mkdir(exist_ok=True)
        env[var] = str(home)
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PROGRAMS_DIR), os.environ.get("PYTHONPATH", "")) if p
    )
    env["COMPAT_PROGRAM_MARKER"] = "1"  # programs may read env vars they set themselves
    return env


def run_plain(python: str, name: str, timeout: float = 4 * TIMEOUT_S) -> Transcript:
    """Run one program as ``python PROGRAM.py`` (real Dagster's interpreter) in a temp dir."""
    with tempfile.TemporaryDirectory(prefix=f"compat-{name}-") as tmp:
        workdir = Path(tmp)
        try:
            proc = subprocess.run(
                [python, str(PROGRAMS_DIR / f"{name}.py")],
                cwd=workdir,
                env=_program_env(workdir),
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            return Transcript(name=name, lines=[*out.splitlines(), "exit: timeout"], stderr="")
        lines = [*proc.stdout.splitlines(), f"exit: {proc.returncode}"]
        return Transcript(name=name, lines=lines, stderr=proc.stderr)


def run_on_headwater(names: list[str], timeout: float = TIMEOUT_S) -> dict[str, Transcript]:
    """Run every named program on headwater in one forking subprocess; transcripts by name."""
    with tempfile.TemporaryDirectory(prefix="compat-replay-") as tmp:
        out_dir = Path(tmp)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(PROGRAMS_DIR), os.environ.get("PYTHONPATH", "")) if p
        )
        request = {"out_dir": str(out_dir), "timeout": timeout, "names": names}
        subprocess.run(
            [sys.executable, __file__, "--serve", json.dumps(request)],
            env=env,
            check=True,
            timeout=timeout * 2 + 30 * len(names),
        )
        results: dict[str, Transcript] = {}
        for name in names:
            stdout = (out_dir / f"{name}.out").read_text(errors="replace")
            stderr = (out_dir / f"{name}.err").read_text(errors="replace")
            status = (out_dir / f"{name}.status").read_text().strip()
            results[name] = Transcript(
                name=name, lines=[*stdout.splitlines(), f"exit: {status}"], stderr=stderr
            )
        return results


# --- the forking server (runs in the subprocess) -------------------------------------------------


def _install_headwater_as_dagster() -> None:
    # the same import hook that `headwater compat run` installs in every process it starts
    from headwater.compat import importer

    importer.install()


def _warm_up(out_dir: Path) -> None:
    """Import, here in the parent, every module that a trivial run imports lazily.

    The run itself happens in a throw-away child (it may start threads, and a process with
    threads must not fork); the child reports the modules it loaded and the parent imports them,
    so each program's child starts with them loaded.
    """
    import importlib

    listing = out_dir / "warm-up-modules.txt"
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            import headwater

            os.environ["HEADWATER_HOME"] = str(out_dir / "warm-up-home")

            @headwater.asset
            def warm_up() -> int:
                return 1

            headwater.materialize([warm_up])
            listing.write_text("\n".join(sorted(sys.modules)))
        except BaseException:
            code = 1
        os._exit(code)
    os.waitpid(pid, 0)
    if not listing.exists():
        return  # the programs still run, each importing what it needs
    for module in listing.read_text().splitlines():
        if module not in sys.modules and not module.startswith("__"):
            try:
                importlib.import_module(module)
            except Exception:  # a module that only imports in some contexts: skip it
                continue


def _run_child(name: str, out_dir: Path) -> None:
    import runpy
    import traceback

    workdir = out_dir / f"{name}.work"
    workdir.mkdir()
    os.environ.clear()
    os.environ.update(_program_env(workdir))
    os.chdir(workdir)
    for fd, suffix in ((1, "out"), (2, "err")):
        target = os.open(out_dir / f"{name}.{suffix}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(target, fd)
        os.close(target)
    sys.argv = [str(PROGRAMS_DIR / f"{name}.py")]
    code = 0
    try:
        runpy.run_path(sys.argv[0], run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _serve(request: dict[str, object]) -> None:
    out_dir = Path(str(request["out_dir"]))
    timeout = float(request["timeout"])  # type: ignore[arg-type]
    _install_headwater_as_dagster()
    _warm_up(out_dir)
    sys.path.insert(0, str(PROGRAMS_DIR))
    import _transcript  # noqa: F401 - imported once so every child starts with it loaded

    names = list(request["names"])  # type: ignore[call-overload]
    running: dict[int, tuple[str, float]] = {}
    while names or running:
        while names and len(running) < PARALLEL:
            name = names.pop(0)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _run_child(name, out_dir)
            running[pid] = (name, time.monotonic() + timeout)
        _reap(running, out_dir)


def _reap(running: dict[int, tuple[str, float]], out_dir: Path) -> None:
    """Wait a little for any child; record the status of those done or past their deadline."""
    time.sleep(0.005)
    for pid, (name, deadline) in list(running.items()):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            verdict = str(os.waitstatus_to_exitcode(status))
        elif time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            verdict = "timeout"
        else:
            continue
        del running[pid]
        (out_dir / f"{name}.status").write_text(verdict)
        for suffix in ("out", "err"):
            (out_dir / f"{name}.{suffix}").touch()


# --- the measure (``python tests/compat/_runner.py --report``) ---------------------------------


def report(names: list[str]) -> int:
    """Print, per program, how many of its golden check lines headwater reproduces."""
    got = run_on_headwater(names)
    gaps = read_known_gaps()
    total = matched = passing = 0
    for name in names:
        golden = read_golden(name) or []
        checks = [line for line in golden if not line.startswith("exit: ")]
        seen = set(got[name].lines)
        hits = sum(1 for line in checks if line in seen)
        same = got[name].lines == golden
        total, matched, passing = total + len(checks), matched + hits, passing + same
        pairs = zip(golden, got[name].lines, strict=False)
        first = next((f"{g!r} != {h!r}" for g, h in pairs if g != h), "")
        if not first and not same:
            first = f"{len(golden)} golden lines, {len(got[name].lines)} on headwater"
        flag = "pass" if same else ("GAP " if name in gaps else "FAIL")
        print(f"{flag} {name:32s} {hits:4d}/{len(checks):<4d} {first[:150]}")
    print(f"programs: {passing}/{len(names)} pass; check lines: {matched}/{total} match")
    return 0


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--serve":
    _serve(json.loads(sys.argv[2]))
elif __name__ == "__main__" and len(sys.argv) >= 2 and sys.argv[1] == "--report":
    raise SystemExit(report(sys.argv[2:] or program_names()))
