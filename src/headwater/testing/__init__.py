"""Public helpers for testing headwater code: instances, contexts, the storage conformance suite."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from headwater.execution.context.asset_context import build_asset_context, build_op_context

if TYPE_CHECKING:
    from headwater.instance.instance import Instance

__all__ = ["build_asset_context", "build_op_context", "instance_for_test"]


@contextmanager
def instance_for_test(temp_dir: str | None = None, set_home: bool = False) -> Iterator[Instance]:
    """A real SQLite-backed :class:`~headwater.Instance` in a temporary directory.

    Args:
        temp_dir: use this directory instead of a fresh temporary one (it is not deleted).
        set_home: also point ``HEADWATER_HOME`` at the directory while the block runs, so
            ``Instance.get()`` (and the CLI) see the same instance.

    Yields:
        The instance; it is disposed (and the temporary directory removed) on exit.

    Example:
        >>> from headwater import asset, materialize
        >>> @asset
        ... def one() -> int:
        ...     return 1
        >>> with instance_for_test() as instance:
        ...     result = materialize([one], instance=instance)
        ...     len(instance.get_runs())
        1
    """
    from headwater.instance.instance import Instance

    with _directory(temp_dir) as root:
        previous = os.environ.get("HEADWATER_HOME")
        if set_home:
            os.environ["HEADWATER_HOME"] = root
        instance = Instance.from_path(root)
        try:
            yield instance
        finally:
            instance.dispose()
            if set_home:
                _restore_home(previous)


@contextmanager
def _directory(given: str | None) -> Iterator[str]:
    if given is not None:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="headwater-test-") as root:
        yield root


def _restore_home(previous: Any) -> None:
    if previous is None:
        os.environ.pop("HEADWATER_HOME", None)
    else:
        os.environ["HEADWATER_HOME"] = previous
