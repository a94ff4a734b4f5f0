"""Loading a code location: the module or file that exposes a ``Definitions`` object.

A code location (a module holding a ``Definitions`` object or a ``@definitions`` function) is
named by ``-m pkg.mod`` (a module importable from the working directory),
``-f path/to/defs.py`` (a file), or, when neither is given, by ``[tool.headwater]`` in the
``pyproject.toml`` of the working directory::

    [tool.headwater]
    module = "my_project.definitions"   # or: file = "defs.py"
    attribute = "defs"                   # optional

Loading imports user code (which must not run business logic at import time) and validates
the ``Definitions`` found. Any failure becomes a :class:`CodeLocationError` whose message is
short: the location, the exception type and message, and the ``file:line`` in the user's code
where it was raised. The full traceback stays available in ``full_traceback``.
"""

from __future__ import annotations

import functools
import gc
import importlib
import importlib.util
import inspect
import os
import sys
import sysconfig
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any

from headwater.errors import CodeLocationError, DefinitionError

if TYPE_CHECKING:
    from headwater.declarations.definitions import Definitions
    from headwater.execution.plan.origin import CodeLocationOrigin

__all__ = [
    "CodeLocation",
    "CodeLocationError",
    "is_user_file",
    "load_definitions",
    "load_definitions_from_origin",
    "resolve_code_location",
]

_HEADWATER_DIR = str(Path(__file__).resolve().parents[1])





@dataclass(frozen=True, slots=True, kw_only=True)
class CodeLocation:
    """Where to find a ``Definitions``: exactly one of ``module`` or ``file`` is set.

    Attributes:
        module: a dotted module name, imported with the working directory on ``sys.path``.
        file: a path to a Python file.
        attribute: the name of the ``Definitions`` attribute, or ``None`` to find the single one.
        working_directory: the directory put on ``sys.path`` (absolute).
    """

    module: str | None = None
    file: Path | None = None
    attribute: str | None = None
    working_directory: Path

    @property
    def description(self) -> str:
        """A short human-readable name: ``module 'pkg.defs'`` or ``file 'defs.py'``."""
        if self.module:
            return f"module '{self.module}'"
        assert self.file is not None
        try:
            shown = self.file.relative_to(self.working_directory)
        except ValueError:
            shown = self.file
        return f"file '{shown}'"

    def to_origin(
        self, *, python_executable: str | None = None, location_name: str | None = None
    ) -> CodeLocationOrigin:
        """This location as a serializable origin another process can load.

        Args:
            python_executable: the interpreter (default: this process's, ``sys.executable``).
            location_name: the location's name (default: the module's dotted name, or the
                file's stem).
        """
        from headwater.execution.plan.origin import CodeLocationOrigin

        name = location_name or self.module or (self.file.stem if self.file else "location")
        return CodeLocationOrigin(
            module=self.module,
            file=None if self.file is None else str(self.file),
            attribute=self.attribute,
            working_directory=str(self.working_directory),
            python_executable=python_executable or sys.executable,
            location_name=name,
        )


def resolve_code_location(
    module: str | None = None,
    file: str | os.PathLike[str] | None = None,
    attribute: str | None = None,
    working_directory: str | os.PathLike[str] | None = None,
) -> CodeLocation:
    """Decide which code location the arguments (or ``pyproject.toml``) name.

    Raises:
        CodeLocationError: both ``module`` and ``file`` are given, none is given and the
            working directory's ``pyproject.toml`` has no ``[tool.headwater]`` module or file,
            or ``pyproject.toml`` is not valid TOML.
    """
    cwd = Path(working_directory or os.getcwd()).resolve()
    if module and file:
        raise CodeLocationError(
            "Give either a module (-m) or a file (-f), not both.", location="the command line"
        )
    if not module and not file:
        table = _pyproject_table(cwd)
        module, file = table.get("module"), table.get("file")
        attribute = attribute or table.get("attribute")
        if table.get("working_directory"):
            cwd = (cwd / table["working_directory"]).resolve()
        if not module and not file:
            raise CodeLocationError(
                "No code location given: pass -m MODULE or -f FILE, or add\n"
                '  [tool.headwater]\n  module = "your_package.definitions"\n'
                f"to {cwd / 'pyproject.toml'}.",
                location="the command line",
            )
    path = None if file is None else (cwd / Path(file)).resolve()
    return CodeLocation(module=module, file=path, attribute=attribute, working_directory=cwd)


def load_definitions(
    module: str | None = None,
    file: str | os.PathLike[str] | None = None,
    attribute: str | None = None,
    working_directory: str | os.PathLike[str] | None = None,
) -> Definitions:
    """Import a code location and return its validated ``Definitions``.

    Args:
        module: a dotted module name, imported with ``working_directory`` on ``sys.path``.
        file: a Python file to load (its directory is put on ``sys.path`` too, so it can
            import its siblings).
        attribute: the name of the ``Definitions`` object in the module (or of a function
            taking no arguments that returns one); by default the single module-level
            ``Definitions`` instance or ``@definitions`` function (which is called).
        working_directory: the directory relative paths and ``pyproject.toml`` are taken from
            (default: the current directory).

    Returns:
        The ``Definitions``, validated with ``Definitions.validate_loadable``.

    Raises:
        CodeLocationError: the location cannot be resolved or imported, it has no (or
            several) ``Definitions``, or they are invalid. The message names the file or
            module, the exception and the ``file:line`` in user code where it was raised.

    Example:
        >>> from pathlib import Path
        >>> _ = Path("shop.py").write_text('''
        ... from headwater import Definitions, asset
        ...
        ... @asset
        ... def raw_orders() -> list[int]:
        ...     return [1, 2]
        ...
        ... @asset
        ... def orders(raw_orders: list[int]) -> int:
        ...     return len(raw_orders)
        ...
        ... defs = Definitions(assets=[raw_orders, orders])
        ... ''')
        >>> load_definitions(file="shop.py").get_all_asset_keys()
        [AssetKey(['raw_orders']), AssetKey(['orders'])]
        >>> _ = Path("broken.py").write_text("rate = 1 / 0")
        >>> load_definitions(file="broken.py")
        Traceback (most recent call last):
        ...
        headwater.errors.CodeLocationError: Error while importing file 'broken.py':
        ZeroDivisionError: division by zero (raised at broken.py:1)
    """
    location = resolve_code_location(module, file, attribute, working_directory)
    with _paused_gc():
        mod = _import(location)
        defs = _find_definitions(mod, location)
        _validate(defs, location)
    return defs


def load_definitions_from_origin(origin: CodeLocationOrigin) -> Definitions:
    """Import the code location a :class:`CodeLocationOrigin` names, in this process.

    Relative paths resolve against the origin's working directory (the process's current
    directory is not changed); the origin's ``python_executable`` is not checked here: a process
    meant for the location is started with it (the launcher does).

    Raises:
        CodeLocationError: as :func:`load_definitions`.

    Example:
        >>> from pathlib import Path
        >>> _ = Path("tiny.py").write_text('''
        ... from headwater import Definitions, asset
        ...
        ... @asset
        ... def one() -> int:
        ...     return 1
        ...
        ... defs = Definitions(assets=[one])
        ... ''')
        >>> origin = resolve_code_location(file="tiny.py").to_origin()
        >>> load_definitions_from_origin(origin).get_all_asset_keys()
        [AssetKey(['one'])]
    """
    return load_definitions(
        module=origin.module,
        file=origin.file,
        attribute=origin.attribute,
        working_directory=origin.working_directory,
    )


@contextmanager
def _paused_gc() -> Iterator[None]:
    # Building thousands of definitions allocates many long-lived objects; the cyclic GC would
    # rescan them over and over (~40% of load time at 10,000 assets). Pause it while loading,
    # then freeze what was loaded so later collections skip it.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


# -- resolving ----------------------------------------------------------------------------------
def _pyproject_table(cwd: Path) -> dict[str, Any]:
    path = cwd / "pyproject.toml"
    if not path.is_file():
        return {}
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CodeLocationError(
            f"Cannot read {path}: {exc}", location=f"file '{path}'", original=exc
        ) from exc
    table = data.get("tool", {}).get("headwater", {})
    return table if isinstance(table, dict) else {}


# -- importing ----------------------------------------------------------------------------------
def _import(location: CodeLocation) -> ModuleType:
    _prepend_sys_path(str(location.working_directory))
    try:
        if location.file is not None:
            return _import_file(location.file)
        assert location.module is not None  # resolve_code_location guarantees one of the two
        return importlib.import_module(location.module)
    except CodeLocationError:
        raise
    except ModuleNotFoundError as exc:
        if location.module and exc.name and (
            location.module == exc.name or location.module.startswith(exc.name + ".")
        ):
            raise CodeLocationError(
                f"Cannot import {location.description}: no module named '{exc.name}' under "
                f"{location.working_directory} or on sys.path. Run from the project directory "
                "or pass --working-directory.",
                location=location.description,
                original=exc,
            ) from exc
        raise _wrap(exc, "Cannot import", location) from exc
    except SyntaxError as exc:
        where = f"{exc.filename}:{exc.lineno}" if exc.filename else None
        text = (exc.text or "").strip()
        detail = f"\n    {text}" if text else ""
        raise CodeLocationError(
            f"Syntax error in {location.description}: {exc.msg}"
            + (f" ({_short(where, location)})" if where else "")
            + detail,
            location=location.description,
            user_frame=where,
            original=exc,
        ) from exc
    except DefinitionError as exc:
        raise _wrap(exc, "Invalid definitions in", location) from exc
    except Exception as exc:
        raise _wrap(exc, "Error while importing", location) from exc


def _import_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise CodeLocationError(
            f"Code location file '{path}' does not exist.", location=f"file '{path}'"
        )
    _prepend_sys_path(str(path.parent))
    name = path.stem if path.stem != "__init__" else path.parent.name
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CodeLocationError(
            f"Cannot load '{path}' as a Python module (is it a .py file?).",
            location=f"file '{path}'",
        )
    module = importlib.util.module_from_spec(spec)
    # Registered before executing so that pickling, dataclasses and pydantic can find it; a
    # fresh module each time, so loading an edited file twice in one process sees the edit.
    previous = sys.modules.get(name)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        if previous is not None:
            sys.modules[name] = previous
        else:
            sys.modules.pop(name, None)
        raise
    return module


def _prepend_sys_path(directory: str) -> None:
    if directory not in sys.path:
        sys.path.insert(0, directory)


# -- finding the Definitions ----------------------------------------------------------------------
def _find_definitions(module: ModuleType, location: CodeLocation) -> Definitions:
    from headwater.declarations.definitions import Definitions
    from headwater.declarations.project.decorator import LazyDefinitions

    if location.attribute:
        if not hasattr(module, location.attribute):
            found = _definitions_names(module, (Definitions, LazyDefinitions))
            raise CodeLocationError(
                f"{location.description} has no attribute '{location.attribute}'. "
                + (f"Definitions objects found: {', '.join(found)}." if found else
                   "It defines no Definitions object."),
                location=location.description,
            )
        value = getattr(module, location.attribute)
        # Only plain and @definitions functions are factories: calling anything else (an asset
        # is callable too) could run business logic at load time.
        if inspect.isfunction(value) or isinstance(value, LazyDefinitions):
            value = _call_factory(value, location.attribute, location)
        if not isinstance(value, Definitions):
            raise CodeLocationError(
                f"'{location.attribute}' in {location.description} is a "
                f"{type(value).__name__}, not a Definitions object.",
                location=location.description,
            )
        return value
    names = _definitions_names(module, (Definitions, LazyDefinitions))
    if not names:
        raise CodeLocationError(
            f"No Definitions object found in {location.description}. Create one at module "
            "level, e.g. `defs = Definitions(assets=[...])`, or decorate a function returning "
            "one with @definitions.",
            location=location.description,
        )
    if len(names) > 1:
        raise CodeLocationError(
            f"{location.description} has several Definitions objects: {', '.join(names)}. "
            "Choose one with --attribute NAME (or `attribute = \"NAME\"` under [tool.headwater]).",
            location=location.description,
        )
    value = getattr(module, names[0])
    if isinstance(value, LazyDefinitions):
        value = _call_factory(value, names[0], location)
    assert isinstance(value, Definitions)
    return value


def _call_factory(factory: Any, name: str, location: CodeLocation) -> Any:
    try:
        return factory()
    except Exception as exc:
        raise _wrap(exc, f"Error calling '{name}()' of", location) from exc


def _definitions_names(module: ModuleType, cls: type | tuple[type, ...]) -> list[str]:
    seen: dict[int, str] = {}
    for name, value in vars(module).items():
        if isinstance(value, cls) and id(value) not in seen:
            seen[id(value)] = name
    return sorted(seen.values())


def _validate(defs: Definitions, location: CodeLocation) -> None:
    from headwater.declarations.definitions import Definitions

    try:
        Definitions.validate_loadable(defs)
    except Exception as exc:
        raise _wrap(exc, "Invalid definitions in", location) from exc


# -- error reporting ----------------------------------------------------------------------------
def _wrap(exc: BaseException, what: str, location: CodeLocation) -> CodeLocationError:
    frame = _last_user_frame(exc.__traceback__)
    where = f" (raised at {_short(frame, location)})" if frame else ""
    return CodeLocationError(
        f"{what} {location.description}: {type(exc).__name__}: {exc}{where}",
        location=location.description,
        user_frame=frame,
        original=exc,
    )


@functools.cache
def _library_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    dirs = {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    return (_HEADWATER_DIR, *sorted(dirs))


def is_user_file(filename: str) -> bool:
    """Whether a traceback frame's ``filename`` belongs to user code: it is not part of
    headwater, the standard library or an installed package (``site-packages``), nor a
    synthetic file such as ``<frozen importlib._bootstrap>``."""
    if filename.startswith("<"):
        return False
    path = os.path.abspath(filename)
    if f"{os.sep}site-packages{os.sep}" in path:
        return False
    return not any(path.startswith(lib + os.sep) for lib in _library_dirs())


def _last_user_frame(tb: TracebackType | None) -> str | None:
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if is_user_file(filename):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _short(where: str, location: CodeLocation) -> str:
    """``where`` relative to the working directory when it lies below it."""
    prefix = f"{location.working_directory}{os.sep}"
    return where[len(prefix):] if where.startswith(prefix) else where
