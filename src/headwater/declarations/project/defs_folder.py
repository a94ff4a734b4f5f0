"""``load_from_defs_folder`` and ``load_defs``: every module under a ``defs/`` folder, merged.

The folder is walked in sorted order. Every ``.py`` file is imported (``__init__.py`` as its
package), in every subfolder, with or without an ``__init__.py``; ``__pycache__`` and names
starting with ``.`` are skipped, and so are files that are not Python. What each module
contributes is described in :mod:`headwater.declarations.project.module_defs`; the
contributions are merged into one ``Definitions``, each object once however many modules
import it.

A folder holding ``defs.yaml`` (or the older ``component.yaml``) declares a YAML component
(:mod:`headwater.declarations.project.yaml_components`): its ``type`` names a class that
builds the folder's definitions from the YAML's ``attributes`` (e.g.
``headwater.integrations.dbt.DbtProjectComponent``, or ``dagster_dbt.DbtProjectComponent``
under the compat hook). Any other type raises a :class:`DefsFolderError` naming the file.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, TracebackType

from headwater.declarations.definitions import Definitions, merged_arguments
from headwater.declarations.project.module_defs import LooseDefinitions, module_contribution
from headwater.declarations.project.project_config import find_project, import_defs_module
from headwater.declarations.project.yaml_components import load_yaml_component
from headwater.errors import DefinitionError, DefsFolderError

__all__ = ["load_defs", "load_from_defs_folder"]

_YAML_FILES = ("defs.yaml", "component.yaml")
_HEADWATER_DIR = str(Path(__file__).resolve().parents[2])


def load_from_defs_folder(
    *, path_within_project: Path | None = None, project_root: Path | None = None
) -> Definitions:
    r"""Load every definition of a project's ``defs`` folder into one ``Definitions``.

    The project is the nearest directory at or above ``path_within_project`` that holds a
    ``dg.toml`` or a ``pyproject.toml`` with ``[tool.dg.project]``; its ``root_module`` (and
    optional ``defs_module``, default ``<root_module>.defs``) name the folder. If the project
    is not installed, its ``src/`` directory (or the project directory) is put on ``sys.path``.

    Args:
        path_within_project: a path inside the project: its root directory, or any file or
            folder below it (``Path(__file__)`` of the project's ``definitions.py`` works).
        project_root: the older name of ``path_within_project`` (Dagster's University
            projects use it); give one of the two.

    Returns:
        The merged ``Definitions`` of every module in the folder.

    Raises:
        DefinitionError: no path is given (or both), no project configuration is found, or
            the defs module cannot be found.
        DefsFolderError: a module of the folder fails to import or holds invalid definitions
            (the message names its file; ``original`` and ``__cause__`` keep the exception and
            its traceback), or a ``defs.yaml`` declares a component headwater cannot load.
        DuplicateKeyError: two modules define the same asset key or job name.

    In a project's ``definitions.py``::

        @definitions
        def defs():
            return load_from_defs_folder(path_within_project=Path(__file__).parent)

    Example:
        >>> from pathlib import Path
        >>> from headwater import load_from_defs_folder
        >>> project = Path("my_project")
        >>> (project / "src" / "rainfall" / "defs").mkdir(parents=True)
        >>> _ = (project / "pyproject.toml").write_text(
        ...     '[tool.dg.project]\nroot_module = "rainfall"\n')
        >>> _ = (project / "src" / "rainfall" / "__init__.py").write_text("")
        >>> _ = (project / "src" / "rainfall" / "defs" / "gauges.py").write_text(
        ...     "from headwater import asset\n"
        ...     "@asset\n"
        ...     "def gauges() -> list[float]:\n"
        ...     "    return [1.5, 2.0]\n")
        >>> load_from_defs_folder(path_within_project=project).get_all_asset_keys()
        [AssetKey(['gauges'])]
    """
    if path_within_project is not None and project_root is not None:
        raise DefinitionError(
            "load_from_defs_folder: give path_within_project or project_root (its older name), "
            "not both."
        )
    path = path_within_project if path_within_project is not None else project_root
    if path is None:
        raise DefinitionError(
            "load_from_defs_folder needs path_within_project=, a path inside the project, e.g. "
            "load_from_defs_folder(path_within_project=Path(__file__).parent)."
        )
    project = find_project(Path(path))
    try:
        defs_root = import_defs_module(project)
    except DefinitionError:
        raise
    except Exception as exc:
        raise _import_error(project.defs_module, None, project.root, exc) from exc
    return _load(defs_root, project.root, stop_at_keyword_files=False)


def load_defs(
    defs_root: ModuleType,
    project_root: Path | None = None,
    terminate_autoloading_on_keyword_files: bool = True,
) -> Definitions:
    """Load every definition of the package ``defs_root`` and its subfolders.

    Dagster's older entry point (``dg.components.load_defs``), which the Dagster University
    tests call; :func:`load_from_defs_folder` finds the folder from the project instead.

    Args:
        defs_root: the imported defs package, e.g. ``my_project.defs`` (a plain module loads
            just that module).
        project_root: the project directory; messages show file paths relative to it
            (default: the nearest directory above ``defs_root`` holding a ``pyproject.toml``
            or ``setup.py``).
        terminate_autoloading_on_keyword_files: when true (the default), a folder holding a
            ``definitions.py`` contributes only that module, and a folder holding a
            ``component.py`` (a Python component) raises, as headwater has no components yet.

    Returns:
        The merged ``Definitions``.

    Raises:
        DefsFolderError: a module fails to import or holds invalid definitions, or a
            ``defs.yaml`` declares a component headwater cannot load (or, see above, the folder
            holds a ``component.py``).
        DuplicateKeyError: two modules define the same asset key or job name.

    Example:
        >>> import types
        >>> from headwater import load_defs
        >>> load_defs(types.ModuleType("empty_defs")).get_all_asset_keys()
        []
    """
    if not isinstance(defs_root, ModuleType):
        raise DefinitionError(
            f"load_defs(defs_root=...) takes the imported defs package (import my_project.defs; "
            f"load_defs(my_project.defs)), not a {type(defs_root).__name__}."
        )
    root = Path(project_root) if project_root is not None else _guess_project_root(defs_root)
    return _load(defs_root, root, stop_at_keyword_files=terminate_autoloading_on_keyword_files)


# -- walking ----------------------------------------------------------------------------------
def _load(
    defs_root: ModuleType, project_root: Path | None, *, stop_at_keyword_files: bool
) -> Definitions:
    parts: list[Definitions | LooseDefinitions] = []
    seen: set[int] = set()
    for name, path in _module_files(defs_root, stop_at_keyword_files):
        if path.name in _YAML_FILES:
            parts.append(load_yaml_component(path, project_root=project_root))
            continue
        shown = _shown(path, project_root)
        module = defs_root if name == defs_root.__name__ else _import(name, path, project_root)
        for part in module_contribution(module, path, shown=shown):
            if id(part) not in seen:  # a Definitions object re-exported by another module
                seen.add(id(part))
                parts.append(part)
    return Definitions(**merged_arguments(parts))


def _module_files(defs_root: ModuleType, stop: bool) -> Iterator[tuple[str, Path]]:
    locations = list(getattr(defs_root, "__path__", None) or ())
    if not locations:
        file = getattr(defs_root, "__file__", None)
        if file:
            yield defs_root.__name__, Path(file)
        else:
            # a module built in memory: nothing to walk, only its own names
            yield defs_root.__name__, Path(f"<{defs_root.__name__}>")
        return
    for location in locations:
        yield from _walk(Path(location), defs_root.__name__, stop)


def _walk(directory: Path, module_name: str, stop: bool) -> Iterator[tuple[str, Path]]:
    for yaml_name in _YAML_FILES:
        if (directory / yaml_name).is_file():  # a component's folder: the component loads it
            yield module_name, directory / yaml_name
            return
    if stop and (directory / "component.py").is_file():
        raise DefsFolderError(
            f"{directory / 'component.py'}: Python components (component.py) are not supported "
            "yet. Define the assets in a plain module of the defs folder instead.",
            path=directory / "component.py",
        )
    if stop and (directory / "definitions.py").is_file():
        yield f"{module_name}.definitions", directory / "definitions.py"
        return
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        if entry.is_dir():
            yield from _walk(entry, f"{module_name}.{entry.name}", stop)
        elif entry.suffix == ".py":
            stem = entry.name[: -len(".py")]
            yield (module_name if stem == "__init__" else f"{module_name}.{stem}"), entry


def _import(name: str, path: Path, project_root: Path | None) -> ModuleType:
    try:
        return importlib.import_module(name)
    except DefsFolderError:
        raise
    except Exception as exc:
        raise _import_error(name, path, project_root, exc) from exc


def _import_error(
    name: str, path: Path | None, project_root: Path | None, exc: BaseException
) -> DefsFolderError:
    if isinstance(exc, SyntaxError) and exc.filename:
        where: str | None = f"{exc.filename}:{exc.lineno}"
    else:
        where = _last_frame_below(exc.__traceback__, project_root)
    shown = _shown(path, project_root) if path is not None else f"module {name!r}"
    at = f" (raised at {_shown_where(where, project_root)})" if where else ""
    return DefsFolderError(
        f"Error while importing {shown} of the defs folder: {type(exc).__name__}: {exc}{at}",
        path=path,
        module=name,
        original=exc,
    )


def _last_frame_below(tb: TracebackType | None, root: Path | None) -> str | None:
    """``file:line`` of the last frame in the user's code (below ``root`` when known)."""
    found = None
    prefix = str(root.resolve()) if root is not None else None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if (
            not filename.startswith(("<", _HEADWATER_DIR))
            and "site-packages" not in filename
            and (prefix is None or filename.startswith(prefix))
        ):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _shown(path: Path, project_root: Path | None) -> str:
    if project_root is not None:
        try:
            return str(path.resolve().relative_to(project_root.resolve()))
        except ValueError:
            pass
    return str(path)


def _shown_where(where: str, project_root: Path | None) -> str:
    if project_root is not None:
        prefix = f"{project_root.resolve()}/"
        if where.startswith(prefix):
            return where[len(prefix):]
    return where


def _guess_project_root(defs_root: ModuleType) -> Path | None:
    file = getattr(defs_root, "__file__", None) or next(
        iter(getattr(defs_root, "__path__", None) or ()), None
    )
    if not file:
        return None
    for directory in Path(file).resolve().parents:
        if (directory / "pyproject.toml").is_file() or (directory / "setup.py").is_file():
            return directory
    return None
