"""Waiting on real processes in tests: poll a condition with a generous deadline."""

from __future__ import annotations

import time
from collections.abc import Callable

#: Seconds a test waits for a launched run (or a condition) at most: a loaded 2-core machine
#: is slow to start Python processes; a healthy run needs well under a second of this.
RUN_TIMEOUT = 120.0


def poll(condition: Callable[[], bool], what: str, timeout: float = RUN_TIMEOUT) -> None:
    """Return once ``condition()`` is true; fail the test naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.05)
