"""``headwater compat run``: run any command with ``import dagster`` resolved to headwater.

How: the command runs with the directory ``headwater/compat/_hook`` first on ``PYTHONPATH`` and
``HEADWATER_COMPAT_HOOK=1``. That directory holds only a ``sitecustomize.py``, which Python
imports at the start of every process that inherits the environment (the command itself,
pytest, its plugins' workers, a script's own ``subprocess`` calls), so the hook is active in all
of them. It installs a finder that loads :mod:`headwater.compat.importer` on the first
``dagster*`` import, then runs any ``sitecustomize`` of the environment that it shadows.

Nothing is written into the environment (no ``.pth`` file, no site-packages change): the hook
lasts exactly as long as the command. It does not reach a Python started with ``-I``, ``-E`` or
``-S``, or one whose environment is replaced without ``PYTHONPATH``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from importlib.machinery import PathFinder
from pathlib import Path
from types import FrameType

__all__ = ["HOOK_DIR", "HOOK_ENV_VAR", "hook_environment", "real_dagster_location", "run"]

HOOK_DIR = Path(__file__).resolve().parent / "_hook"
HOOK_ENV_VAR = "HEADWATER_COMPAT_HOOK"
EXIT_COMMAND_NOT_FOUND = 127


def hook_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``environ`` (default ``os.environ``) with the hook directory first on PYTHONPATH.

    Args:
        environ: the environment to extend.

    Returns:
        The new environment: ``PYTHONPATH`` starts with :data:`HOOK_DIR` (once, however often
        this is applied) and ``HEADWATER_COMPAT_HOOK`` is ``"1"``.
    """
    env = dict(os.environ if environ is None else environ)
    entries = [e for e in env.get("PYTHONPATH", "").split(os.pathsep) if e and e != str(HOOK_DIR)]
    env["PYTHONPATH"] = os.pathsep.join([str(HOOK_DIR), *entries])
    env[HOOK_ENV_VAR] = "1"
    return env


def real_dagster_location(search_path: Sequence[str] | None = None) -> str | None:
    """Where real Dagster is installed on ``search_path`` (default ``sys.path``), if anywhere.

    Searches the file system only (never imports Dagster, ignores the compat hook).

    Returns:
        The directory or file of the ``dagster`` package, or ``None``.
    """
    spec = PathFinder.find_spec("dagster", list(sys.path if search_path is None else search_path))
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return next(iter(spec.submodule_search_locations))
    return spec.origin


def run(command: Sequence[str], *, environ: Mapping[str, str] | None = None) -> int:
    """Run ``command`` with the hook active and wait for it.

    SIGTERM sent to this process is passed on to the command; Ctrl-C reaches the command
    directly (same process group) and this process waits for it to finish.

    Args:
        command: the program and its arguments, e.g. ``["pytest", "tests/"]``.
        environ: the base environment (default ``os.environ``).

    Returns:
        The command's exit code; ``128 + N`` if it was ended by signal N; 127 if the program
        cannot be found.

    Raises:
        ValueError: ``command`` is empty.
    """
    if not command:
        raise ValueError("compat run needs a command to run, e.g. `compat run -- pytest tests/`")
    try:
        process = subprocess.Popen(list(command), env=hook_environment(environ))
    except FileNotFoundError:
        sys.stderr.write(f"headwater compat run: command not found: {command[0]}\n")
        return EXIT_COMMAND_NOT_FOUND

    def forward(signum: int, _frame: FrameType | None) -> None:
        process.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        while True:
            try:
                code = process.wait()
                break
            except KeyboardInterrupt:
                continue
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 128 - code if code < 0 else code
