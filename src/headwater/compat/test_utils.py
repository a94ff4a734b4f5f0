"""``instance_for_test`` with Dagster's argument names, served as ``dagster._core.test_utils``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from headwater import instance_for_test as _instance_for_test

if TYPE_CHECKING:
    from headwater import Instance

__all__ = ["instance_for_test"]


@contextmanager
def instance_for_test(
    overrides: Mapping[str, Any] | None = None,
    set_dagster_home: bool = True,
    temp_dir: str | None = None,
) -> Iterator[Instance]:
    """A real SQLite-backed instance in a temporary directory, taking Dagster's arguments.

    Args:
        overrides: Dagster's instance settings to override. headwater accepts only an empty
            mapping (or ``None``); configure a headwater instance with ``headwater.yaml``.
        set_dagster_home: point ``HEADWATER_HOME`` (headwater's ``DAGSTER_HOME``) at the
            instance's directory while the block runs (default ``True``, as in Dagster).
        temp_dir: use this directory instead of a fresh temporary one (it is not deleted).

    Yields:
        The :class:`~headwater.Instance`; it is disposed on exit.

    Raises:
        TypeError: ``overrides`` is not empty.

    Example:
        >>> with instance_for_test() as instance:
        ...     instance.get_runs()
        []
    """
    if overrides:
        raise TypeError(
            "instance_for_test(overrides=...) is not supported by headwater: instance settings "
            f"{sorted(overrides)} have no headwater equivalent here. Write the settings to a "
            "headwater.yaml in temp_dir instead (see docs/instance-and-storage.md)."
        )
    with _instance_for_test(temp_dir=temp_dir, set_home=set_dagster_home) as instance:
        yield instance
