"""Small Dagster helpers that are not headwater concepts, served by ``headwater.compat.dagster``."""

from __future__ import annotations

import os


def file_relative_path(dunderfile: str, relative_path: str) -> str:
    """The path ``relative_path`` taken from the directory of the file ``dunderfile``.

    Args:
        dunderfile: a module's ``__file__``.
        relative_path: a path relative to that module's directory.

    Returns:
        The joined path (not resolved further).

    Example:
        >>> file_relative_path("/project/defs/assets.py", "../data/orders.csv")
        '/project/defs/../data/orders.csv'
    """
    return os.path.join(os.path.dirname(dunderfile), relative_path)
