"""Starting dbt: which executable, with which environment.

dbt runs as a subprocess (``dbt build ...``), so it can live in another virtual environment
than headwater (``DbtCliResource(dbt_executable=...)``). Every dbt process headwater starts
has anonymous usage statistics and tracking off, colours off, and never runs
``dbt --version`` (the one command of dbt 1.10 that asks the network for a newer release), so
nothing waits on the network.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from headwater import HeadwaterError

__all__ = ["DBT_ENV", "dbt_environment", "resolve_dbt_executable"]

DBT_ENV: Mapping[str, str] = {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DO_NOT_TRACK": "1",
    "DBT_USE_COLORS": "false",
    "DBT_PRINTER_WIDTH": "100",
    "DBT_VERSION_CHECK": "false",
}
"""Environment of every dbt process headwater starts (on top of the caller's)."""

EXECUTABLE_ENV = "HEADWATER_DBT_EXECUTABLE"


def resolve_dbt_executable(executable: str | None = None) -> str:
    """The path of the dbt executable to run.

    Args:
        executable: a path, or a command name looked up on ``PATH`` (default ``"dbt"``).

    For the default name, ``$HEADWATER_DBT_EXECUTABLE`` comes first, then the ``dbt`` next to
    the running Python (the same virtual environment), then ``PATH``.

    Raises:
        HeadwaterError: no such executable; the message says where headwater looked.
    """
    name = executable or "dbt"
    candidates: list[str] = []
    if executable is None or executable == "dbt":
        if os.environ.get(EXECUTABLE_ENV):
            candidates.append(os.environ[EXECUTABLE_ENV])
        candidates.append(str(Path(sys.executable).parent / "dbt"))
    candidates.append(name)
    for candidate in candidates:
        if os.sep in candidate or "/" in candidate:
            if os.access(candidate, os.X_OK) and Path(candidate).is_file():
                return candidate
            continue
        found = shutil.which(candidate)
        if found:
            return found
    raise HeadwaterError(
        f"Cannot find the dbt executable {name!r} (looked at {candidates[:-1] or []} and on "
        "PATH). Install dbt (pip install 'headwater[dbt]'), set $HEADWATER_DBT_EXECUTABLE, or "
        "pass DbtCliResource(dbt_executable='/path/to/dbt')."
    )


def dbt_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a dbt process: this process's, plus :data:`DBT_ENV` and ``extra``."""
    return {**os.environ, **DBT_ENV, **(extra or {})}
