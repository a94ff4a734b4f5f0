"""``dagster.components`` as Dagster projects use it: ``dg.components.load_defs(...)``.

Serves the parts of Dagster's components module that load a project's ``defs/`` folder:
``definitions``, ``load_defs`` and ``load_from_defs_folder``. Components themselves
(``Component``, ``ComponentLoadContext``, YAML ``defs.yaml`` files, ...) are not supported
yet; asking for one raises ``AttributeError`` saying so.

Example:
    >>> import headwater.compat.dagster as dg
    >>> dg.components.load_defs is dg.load_defs
    True
"""

from __future__ import annotations

from typing import Any

from headwater import definitions, load_defs, load_from_defs_folder

__all__ = ["definitions", "load_defs", "load_from_defs_folder"]


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(
        f"dagster.components.{name} is not provided by headwater: components (Component, "
        "ComponentLoadContext, defs.yaml) are not supported yet. Define assets in Python modules "
        "of the defs folder and load it with load_from_defs_folder or load_defs."
    )
