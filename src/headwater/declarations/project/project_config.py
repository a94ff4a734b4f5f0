"""Finding a project's root and its ``defs`` module from ``pyproject.toml`` or ``dg.toml``.

A project (Dagster's ``dg`` layout) says where its code lives in one of::

    # pyproject.toml                      # dg.toml
    [tool.dg.project]                     [project]
    root_module = "my_project"            root_module = "my_project"
    defs_module = "my_project.defs"       # optional; this is the default
"""

from __future__ import annotations

import importlib
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from headwater.errors import DefinitionError

__all__ = ["Project", "find_project", "import_defs_module"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Project:
    """Where a project's definitions live.

    Attributes:
        root: the directory holding the configuration file.
        config_file: ``pyproject.toml`` or ``dg.toml``.
        root_module: the project's top-level package.
        defs_module: the dotted name of its defs folder (default ``<root_module>.defs``).
    """

    root: Path
    config_file: Path
    root_module: str
    defs_module: str


def find_project(path_within_project: Path) -> Project:
    """The project whose directory is ``path_within_project`` or one of its parents.

    Raises:
        DefinitionError: no ``dg.toml`` or ``pyproject.toml`` with ``[tool.dg]`` is found there
            or above, the file is not valid TOML, or it names no ``root_module``.
    """
    start = Path(path_within_project).resolve()
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        found = _project_table(candidate)
        if found is not None:
            config_file, table = found
            return _project(candidate, config_file, table)
    raise DefinitionError(
        f"No project found at or above {start}: load_from_defs_folder looks for a dg.toml or a "
        "pyproject.toml with a [tool.dg.project] table. Add\n"
        '  [tool.dg.project]\n  root_module = "your_package"\n'
        "to the project's pyproject.toml, or pass a path inside the project."
    )


def _project_table(directory: Path) -> tuple[Path, dict[str, Any]] | None:
    dg_toml = directory / "dg.toml"
    if dg_toml.is_file():
        return dg_toml, _read(dg_toml).get("project", {})
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        tool = _read(pyproject).get("tool", {})
        if isinstance(tool, dict) and isinstance(tool.get("dg"), dict):
            return pyproject, tool["dg"].get("project", {})
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DefinitionError(f"Cannot read {path}: {exc}") from exc


def _project(root: Path, config_file: Path, table: Any) -> Project:
    table = table if isinstance(table, dict) else {}
    root_module = table.get("root_module")
    if not isinstance(root_module, str) or not root_module:
        section = "[project]" if config_file.name == "dg.toml" else "[tool.dg.project]"
        raise DefinitionError(
            f"{config_file} has no root_module under {section}: add "
            f'root_module = "your_package" there.'
        )
    defs_module = table.get("defs_module") or f"{root_module}.defs"
    return Project(
        root=root, config_file=config_file, root_module=root_module, defs_module=str(defs_module)
    )


def _shadowed(top: str, project: Project) -> bool:
    """Whether ``top`` was imported from outside the project although the project has it on
    disk (another directory on ``sys.path`` holds a namespace package of that name); if so,
    the imported one is forgotten so the project's own can be imported."""
    module = sys.modules.get(top)
    own = [d / top for d in (project.root / "src", project.root) if (d / top).is_dir()]
    if module is None or not own:
        return False
    places = [Path(p).resolve() for p in getattr(module, "__path__", ())]
    if any(place == o.resolve() for place in places for o in own):
        return False
    for name in [n for n in sys.modules if n == top or n.startswith(f"{top}.")]:
        del sys.modules[name]
    return True


def import_defs_module(project: Project) -> ModuleType:
    """Import the project's defs module.

    When the root package is not importable (the project is not installed), its directory
    (``<root>/src`` or ``<root>``) is put on ``sys.path`` and the import retried.

    Raises:
        DefinitionError: the root package or the defs module cannot be found.
        Exception: whatever importing the defs package itself raises (the caller wraps it).
    """
    top = project.root_module.split(".")[0]
    try:
        return importlib.import_module(project.defs_module)
    except ModuleNotFoundError as exc:
        if exc.name != top:
            if not _names_part_of(exc.name, project.defs_module):
                raise
            if not _shadowed(top, project):
                raise _missing_defs(project) from exc
    for source_dir in (project.root / "src", project.root):
        if (source_dir / top).is_dir() or (source_dir / f"{top}.py").is_file():
            if str(source_dir) in sys.path:
                sys.path.remove(str(source_dir))
            sys.path.insert(0, str(source_dir))
            importlib.invalidate_caches()
            break
    else:
        raise DefinitionError(
            f"Cannot import {project.root_module!r}, the root_module of {project.config_file}: "
            f"it is not installed and neither {project.root / 'src' / top} nor "
            f"{project.root / top} exists. Install the project (pip install -e .) or fix "
            "root_module."
        )
    try:
        return importlib.import_module(project.defs_module)
    except ModuleNotFoundError as exc:
        if _names_part_of(exc.name, project.defs_module):
            raise _missing_defs(project) from exc
        raise


def _names_part_of(missing: str | None, dotted: str) -> bool:
    return missing is not None and (dotted == missing or dotted.startswith(missing + "."))


def _missing_defs(project: Project) -> DefinitionError:
    folder = project.defs_module.replace(".", "/")
    return DefinitionError(
        f"Cannot import the defs module {project.defs_module!r} of {project.config_file}: create "
        f"the folder {folder}/ in the project (an __init__.py in it is optional), or set "
        "defs_module under [tool.dg.project]."
    )
