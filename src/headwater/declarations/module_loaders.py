"""Collecting asset definitions from Python modules and packages."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import Any

from headwater.declarations.assets.definition import AssetsDefinition
from headwater.declarations.assets.specs import AssetSpec


def load_assets_from_modules(
    modules: Iterable[ModuleType],
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
) -> list[AssetsDefinition[..., Any] | AssetSpec]:
    """Every asset definition and ``AssetSpec`` defined at the top level of ``modules``.

    Args:
        modules: imported modules to scan.
        group_name: if given, put every loaded asset in this group.
        key_prefix: reserved; raises if given (prefix the assets in their decorators instead).

    Returns:
        The definitions, each once even if several modules import it.

    Example:
        >>> import types
        >>> load_assets_from_modules([types.ModuleType("empty")])
        []
    """
    if key_prefix is not None:
        from headwater.errors import DefinitionError

        raise DefinitionError(
            "load_assets_from_modules(key_prefix=...) is not supported yet; give key_prefix= "
            "to the @asset decorators instead."
        )
    seen: dict[int, AssetsDefinition[..., Any] | AssetSpec] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, AssetsDefinition | AssetSpec) and id(value) not in seen:
                seen[id(value)] = value
            elif isinstance(value, list | tuple):
                for item in value:
                    if isinstance(item, AssetsDefinition | AssetSpec) and id(item) not in seen:
                        seen[id(item)] = item
    loaded = list(seen.values())
    if group_name is None:
        return loaded
    return [
        a.with_attributes(group_name=group_name)
        if isinstance(a, AssetsDefinition)
        else a.replace_attributes(group_name=group_name)
        for a in loaded
    ]


def load_assets_from_package_module(
    package_module: ModuleType, group_name: str | None = None
) -> list[AssetsDefinition[..., Any] | AssetSpec]:
    """Like :func:`load_assets_from_modules` over a package and all its submodules."""
    modules = [package_module]
    path = getattr(package_module, "__path__", None)
    if path is not None:
        prefix = package_module.__name__ + "."
        for info in pkgutil.walk_packages(path, prefix):
            modules.append(importlib.import_module(info.name))
    return load_assets_from_modules(modules, group_name=group_name)
