"""The compat import hook: ``import dagster`` resolves to headwater.

:func:`install` puts a finder first on :data:`sys.meta_path`. From then on ``import dagster``
gives a module that serves every name of :mod:`headwater.compat.dagster`, and the Dagster
modules listed in :data:`headwater.compat.modules.ALIAS_MODULES` (``dagster._core.errors``,
``dagster._utils.backoff``, ``dagster._core.test_utils``, ``dagster_dbt``, ``dagster_duckdb``,
``dagster_duckdb_pandas``) are served by headwater. Any other ``dagster.*`` module raises
:class:`ModuleNotFoundError` saying that headwater does not provide it. The finder takes
precedence over an installed Dagster, which it shadows.

Each alias module is a real module object, built once per process; the names of ``dagster``
resolve on first use and are then plain module attributes (no per-call indirection).

``headwater compat run -- CMD`` installs the hook in every Python process that CMD starts
(see :mod:`headwater.compat.run`). While it is installed, records read in Dagster's shapes
(system tags under Dagster's names, errors as Dagster reports them; see
:mod:`headwater.compat.shapes`).

Example:
    >>> from headwater.compat import importer
    >>> importer.install()
    >>> import dagster as dg
    >>> import headwater
    >>> dg.asset is headwater.asset and dg.DagsterInstance is headwater.Instance
    True
    >>> importer.uninstall()
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Sequence
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from typing import Any

from headwater.compat import shapes
from headwater.compat.modules import ALIAS_MODULES, DAGSTER, AliasModule

__all__ = ["DagsterFinder", "install", "installed", "uninstall", "unsupported_module_message"]

_SCAN_HINT = (
    "Run `headwater compat scan PATH` on your project to list every Dagster module, name and "
    "package it uses that headwater does not provide."
)


def unsupported_module_message(fullname: str) -> str:
    """The sentence raised for a Dagster module that headwater does not serve."""
    return (
        f"No module named {fullname!r}: headwater does not provide the Dagster module "
        f"{fullname!r} (only {', '.join(sorted(n for n in ALIAS_MODULES if '.' in n))} "
        f"and the top-level 'dagster' API). {_SCAN_HINT}"
    )


class _AliasLoader(Loader):
    """Returns the one module object built for each alias module."""

    def __init__(self) -> None:
        self._built: dict[str, types.ModuleType] = {}

    def create_module(self, spec: ModuleSpec) -> types.ModuleType:
        module = self._built.get(spec.name)
        if module is None:
            module = _build(ALIAS_MODULES[spec.name])
            self._built[spec.name] = module
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: the module was filled when it was built."""


class DagsterFinder(MetaPathFinder):
    """A :data:`sys.meta_path` finder for ``dagster``, its served submodules and packages."""

    def __init__(self) -> None:
        self._loader = _AliasLoader()

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: types.ModuleType | None = None,
    ) -> ModuleSpec | None:
        """The spec of an alias module; ``None`` for modules headwater does not serve.

        Raises:
            ModuleNotFoundError: ``fullname`` is a ``dagster.*`` module that headwater does not
                serve.
        """
        alias = ALIAS_MODULES.get(fullname)
        if alias is not None:
            return ModuleSpec(fullname, self._loader, origin="headwater", is_package=alias.package)
        if fullname.startswith(DAGSTER + "."):
            raise ModuleNotFoundError(unsupported_module_message(fullname), name=fullname)
        return None


_FINDER = DagsterFinder()
_TABLE_FILE = sys.modules["headwater.compat.modules"].__file__


def install() -> None:
    """Put the finder first on :data:`sys.meta_path` (idempotent).

    A ``dagster`` module imported before the call (real Dagster) is left in
    :data:`sys.modules`; install the hook before anything imports Dagster.
    """
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    shapes.activate()


def uninstall() -> None:
    """Remove the finder and forget the alias modules it served in :data:`sys.modules`."""
    shapes.deactivate()
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in ALIAS_MODULES:
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__loader__", None) is _FINDER._loader:
            del sys.modules[name]


def installed() -> bool:
    """Whether the finder is on :data:`sys.meta_path`."""
    return _FINDER in sys.meta_path


def _build(alias: AliasModule) -> types.ModuleType:
    module = types.ModuleType(alias.name, alias.doc)
    # Where the module comes from, shown e.g. by "cannot import name X from 'dagster' (...)".
    module.__file__ = _TABLE_FILE
    if alias.name == DAGSTER:
        _fill_dagster(module)
        return module
    for name, (source, attribute) in alias.names.items():
        setattr(module, name, getattr(importlib.import_module(source), attribute))
    module.__all__ = sorted(alias.names)  # type: ignore[attr-defined]
    module.__getattr__ = _missing_name(alias.name)  # type: ignore[method-assign]
    return module


def _fill_dagster(module: types.ModuleType) -> None:
    """``dagster``: names resolve through headwater.compat.dagster on first use, then stay."""
    from headwater.compat import dagster as compat

    namespace = module.__dict__

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(compat, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*compat.__all__, *(n for n in namespace if not n.startswith("__"))})

    namespace["__getattr__"] = __getattr__
    namespace["__dir__"] = __dir__
    namespace["__all__"] = list(compat.__all__)


def _missing_name(module_name: str) -> Any:
    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(
            f"module {module_name!r} (served by headwater) has no attribute {name!r}: headwater "
            f"does not provide this Dagster API. {_SCAN_HINT}"
        )

    return __getattr__
