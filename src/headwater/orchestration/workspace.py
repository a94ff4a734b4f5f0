"""``workspace.yaml``: several code locations, each with its own directory and interpreter.

The file lists the locations under ``load_from``, in the format Dagster uses, so an existing
``workspace.yaml`` works as it is::

    load_from:
      - python_file:
          relative_path: shop/defs.py        # relative to the directory of workspace.yaml
          location_name: shop                 # default: the file's stem
          working_directory: shop             # default: the directory of workspace.yaml
          executable_path: shop/.venv/bin/python   # default: this interpreter
          attribute: defs                     # default: the single Definitions object
      - python_module:
          module_name: analytics.definitions  # python_package: {package_name: ...} works too
          location_name: analytics            # default: the module name
      - python_file: etl.py                   # the short form: a path (or a module name)
      - code_server:                          # a code server started elsewhere
          location_name: remote
          socket: /run/headwater/remote.sock  # or host: ..., port: ...

Relative paths are taken from the directory holding ``workspace.yaml``. A key the format does
not have, a value of the wrong type, a missing required key or two locations with one name is
an :class:`~headwater.errors.InvalidConfigError` naming each bad path (e.g.
``load_from[1].python_file.relativ_path``) and what was expected there.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from headwater.errors import CodeLocationError, InvalidConfigError
from headwater.execution.plan.origin import CodeLocationOrigin

__all__ = ["Workspace", "WorkspaceLocation", "load_workspace", "parse_workspace"]

_COMMON = ("location_name", "working_directory", "executable_path", "attribute")
_ENTRY_KEYS: dict[str, tuple[str, tuple[str, ...]]] = {
    # entry kind -> (its required key, every key it accepts)
    "python_file": ("relative_path", ("relative_path", *_COMMON)),
    "python_module": ("module_name", ("module_name", *_COMMON)),
    "python_package": ("package_name", ("package_name", *_COMMON)),
    "code_server": ("location_name", ("location_name", "socket", "host", "port")),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkspaceLocation:
    """One entry of ``load_from``.

    Attributes:
        name: the location's name, unique in the workspace.
        origin: how to load it (module or file, working directory, interpreter); ``None`` for a
            ``code_server`` entry.
        address: where an already running code server listens (``unix:/path`` or
            ``http://host:port``), for a ``code_server`` entry; else ``None``.
    """

    name: str
    origin: CodeLocationOrigin | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Workspace:
    """The code locations of a ``workspace.yaml``.

    Attributes:
        path: the file (absolute); ``None`` for a workspace made with :meth:`of` (the
            command line's ``-m``/``-f``).
        locations: its locations, in the file's order.

    Example:
        >>> from pathlib import Path
        >>> _ = Path("workspace.yaml").write_text('''
        ... load_from:
        ...   - python_file: {relative_path: shop.py, location_name: shop}
        ...   - python_module: analytics.defs
        ... ''')
        >>> load_workspace("workspace.yaml").location_names
        ['shop', 'analytics.defs']
    """

    path: Path | None
    locations: tuple[WorkspaceLocation, ...]

    @staticmethod
    def of(*origins: CodeLocationOrigin) -> Workspace:
        """A workspace of these locations, with no file (e.g. the one ``-f defs.py`` names, so a
        :class:`~headwater.orchestration.workspace_manager.WorkspaceManager` serves it too).

        Raises:
            InvalidConfigError: two origins have the same location name.
        """
        names = [o.location_name for o in origins]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise InvalidConfigError(f"Two code locations are named {duplicates[0]!r}.")
        locations = tuple(WorkspaceLocation(name=o.location_name, origin=o) for o in origins)
        return Workspace(path=None, locations=locations)

    @property
    def description(self) -> str:
        """``workspace '/srv/workspace.yaml'``, or ``the workspace`` without a file."""
        return "the workspace" if self.path is None else f"workspace '{self.path}'"

    @property
    def location_names(self) -> list[str]:
        """The names of the locations, in the file's order."""
        return [loc.name for loc in self.locations]

    def location(self, name: str | None = None) -> WorkspaceLocation:
        """The location named ``name``; with ``None``, the only one.

        Raises:
            CodeLocationError: no location has that name, or ``name`` is ``None`` and the
                workspace lists several (the message lists them and says how to choose).
        """
        if name is None:
            if len(self.locations) == 1:
                return self.locations[0]
            raise CodeLocationError(
                f"{self.description} lists {len(self.locations)} code locations "
                f"({', '.join(self.location_names)}); choose one with --location NAME.",
                location=self.description,
            )
        for location in self.locations:
            if location.name == name:
                return location
        raise CodeLocationError(
            f"{self.description} has no code location named {name!r}; its locations are "
            f"{', '.join(self.location_names) or 'none'}.",
            location=self.description,
        )

    def origin(self, name: str | None = None) -> CodeLocationOrigin:
        """The origin of :meth:`location` ``(name)``, to load it in this process.

        Raises:
            CodeLocationError: as :meth:`location`, or the location is a ``code_server``
                entry (its code is not here to load).
        """
        location = self.location(name)
        if location.origin is None:
            raise CodeLocationError(
                f"Code location {location.name!r} of {self.description} is served by a code "
                f"server at {location.address}; this command loads definitions in its own "
                "process and needs a python_file or python_module entry.",
                location=self.description,
            )
        return location.origin


def load_workspace(path: str | os.PathLike[str]) -> Workspace:
    """Read a ``workspace.yaml``.

    Args:
        path: the file; relative paths inside it are taken from its directory.

    Returns:
        The :class:`Workspace`.

    Raises:
        InvalidConfigError: the file cannot be read, is not YAML, or its content does not
            follow the format (each bad path named, see the module docstring).
    """
    import yaml

    file = Path(path).absolute()
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidConfigError(f"Cannot read the workspace file {file}: {exc}") from None
    except yaml.YAMLError as exc:
        raise InvalidConfigError(f"The workspace file {file} is not valid YAML: {exc}") from None
    return parse_workspace(data, path=file)


def parse_workspace(data: Any, *, path: Path) -> Workspace:
    """The :class:`Workspace` of an already parsed ``workspace.yaml`` (see :func:`load_workspace`).

    Raises:
        InvalidConfigError: as :func:`load_workspace`.
    """
    reader = _Reader(path)
    entries: list[Any] = []
    if not isinstance(data, Mapping):
        reader.error("(top level)", f"expected a mapping with load_from, got {_kind(data)}")
    else:
        for key in sorted(str(k) for k in data if k != "load_from"):
            reader.error(key, "unknown key; expected one of ['load_from']")
        raw = data.get("load_from")
        if not isinstance(raw, list) or not raw:
            reader.error("load_from", f"expected a non-empty list of locations, got {_kind(raw)}")
        else:
            entries = raw
    locations: list[WorkspaceLocation] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(entries):
        location = reader.entry(entry, f"load_from[{index}]")
        if location is None:
            continue
        where = f"load_from[{index}]"
        if location.name in seen:
            also = seen[location.name]
            reader.error(where, f"duplicate location name {location.name!r} (also {also})")
        seen.setdefault(location.name, where)
        locations.append(location)
    reader.raise_errors()
    return Workspace(path=path, locations=tuple(locations))


class _Reader:
    """Reads entries, collecting one error per bad path (all reported together)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = path.parent
        self.errors: list[tuple[str, str]] = []

    def error(self, where: str, problem: str) -> None:
        self.errors.append((where, problem))

    def raise_errors(self) -> None:
        if self.errors:
            raise InvalidConfigError(f"Invalid workspace file {self.path}", self.errors)

    def entry(self, entry: Any, where: str) -> WorkspaceLocation | None:
        kinds = sorted(_ENTRY_KEYS)
        if not isinstance(entry, Mapping) or len(entry) != 1:
            self.error(where, f"expected a mapping with exactly one of {kinds}, got {_kind(entry)}")
            return None
        ((kind, body),) = entry.items()
        if kind == "grpc_server":
            self.error(f"{where}.grpc_server", "headwater code servers speak HTTP, not gRPC; "
                       "use code_server: {location_name, socket} or {location_name, host, port}")
            return None
        if kind not in _ENTRY_KEYS:
            self.error(f"{where}.{kind}", f"unknown kind of location; expected one of {kinds}")
            return None
        where = f"{where}.{kind}"
        required, allowed = _ENTRY_KEYS[kind]
        if isinstance(body, str) and kind != "code_server":
            body = {required: body}
        if not isinstance(body, Mapping):
            expected = f"expected a mapping with {required} (or a string)"
            self.error(where, f"{expected}, got {_kind(body)}")
            return None
        for key in sorted(str(k) for k in body if k not in allowed):
            self.error(f"{where}.{key}", f"unknown key; expected one of {sorted(allowed)}")
        values = {key: self.string(body, key, where) for key in allowed if key != "port"}
        if values.get(required) is None:
            self.error(f"{where}.{required}", "required; expected a string")
            return None
        if kind == "code_server":
            return self.code_server(body, values, where)
        return self.origin(kind, values)

    def origin(self, kind: str, values: Mapping[str, str | None]) -> WorkspaceLocation:
        working_directory = self.resolve(values.get("working_directory")) or str(self.base)
        executable = self.resolve(values.get("executable_path")) or sys.executable
        file = module = None
        if kind == "python_file":
            file = self.resolve(values["relative_path"])
            default_name = Path(values["relative_path"] or "").stem
        else:
            module = values.get("module_name") or values.get("package_name")
            default_name = module or ""
        name = values.get("location_name") or default_name
        origin = CodeLocationOrigin(
            module=module, file=file, attribute=values.get("attribute"),
            working_directory=working_directory, python_executable=executable,
            location_name=name,
        )  # fmt: skip
        return WorkspaceLocation(name=name, origin=origin)

    def code_server(
        self, body: Mapping[str, Any], values: Mapping[str, str | None], where: str
    ) -> WorkspaceLocation | None:
        name = values["location_name"] or ""
        socket, host, port = values.get("socket"), values.get("host"), body.get("port")
        if port is not None and (isinstance(port, bool) or not isinstance(port, int)):
            self.error(f"{where}.port", f"expected an integer port, got {_kind(port)}")
            return None
        if (socket is None) == (port is None):
            self.error(where, "expected either socket (a path) or port (with an optional host)")
            return None
        if socket is not None:
            return WorkspaceLocation(name=name, address=f"unix:{self.resolve(socket)}")
        return WorkspaceLocation(name=name, address=f"http://{host or '127.0.0.1'}:{port}")

    def string(self, body: Mapping[str, Any], key: str, where: str) -> str | None:
        value = body.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            self.error(f"{where}.{key}", f"expected a non-empty string, got {_kind(value)}")
            return None
        return value

    def resolve(self, value: str | None) -> str | None:
        # absolute() and not resolve(): a virtualenv's python is a symlink that must stay one
        return None if value is None else os.path.normpath(os.path.join(self.base, value))


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return f"{value!r} ({type(value).__name__})"
