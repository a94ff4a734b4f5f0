"""Collecting asset definitions from Python modules and packages."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import Any

from headwater.declarations.assets.definition import AssetsDefinition
from headwater.declarations.assets.specs import AssetSpec, _coerce_key_prefix
from headwater.keys import AssetKey


def load_assets_from_modules(
    modules: Iterable[ModuleType],
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
) -> list[AssetsDefinition[..., Any] | AssetSpec]:
    """Every asset definition and ``AssetSpec`` defined at the top level of ``modules``.

    Args:
        modules: imported modules to scan (lists and tuples at their top level too).
        group_name: if given, put every loaded asset in this group.
        key_prefix: if given (a string or a list of components), put it in front of the key of
            every loaded asset; dependencies and inputs between the loaded assets follow, so
            they stay connected (dependencies on other assets are left alone).

    Returns:
        The definitions, each once even if several modules import it.

    Example:
        >>> import types
        >>> load_assets_from_modules([types.ModuleType("empty")])
        []
    """
    loaded = _find(modules, (AssetsDefinition, AssetSpec), exclude=_check_types())
    if group_name is None and key_prefix is None:
        return loaded
    renamed = _prefixed(loaded, key_prefix)
    out: list[AssetsDefinition[..., Any] | AssetSpec] = []
    for item in loaded:
        if isinstance(item, AssetsDefinition):
            out.append(item.with_attributes(group_name=group_name, asset_key_replacements=renamed))
        else:
            changes: dict[str, Any] = {"group_name": group_name} if group_name else {}
            if renamed:
                changes["key"] = renamed.get(item.key, item.key)
                changes["deps"] = [renamed.get(d.asset_key, d.asset_key) for d in item.deps]
            out.append(item.replace_attributes(**changes))
    return out


def load_asset_checks_from_modules(
    modules: Iterable[ModuleType],
    asset_key_prefix: str | Sequence[str] | None = None,
) -> list[Any]:
    """Every asset check (``@asset_check``, ``@multi_asset_check``, check factories' results)
    defined at the top level of ``modules``.

    Args:
        modules: imported modules to scan (lists and tuples at their top level too).
        asset_key_prefix: if given, the checks target (and read) the assets under this prefix,
            as ``load_assets_from_modules(key_prefix=...)`` renames them.

    Returns:
        The check definitions, each once.

    Example:
        >>> import types
        >>> load_asset_checks_from_modules([types.ModuleType("empty")])
        []
    """
    checks = _find(modules, _check_types())
    if asset_key_prefix is None:
        return checks
    prefix = _coerce_key_prefix(asset_key_prefix)
    out = []
    for c in checks:
        renamed = {key: key.with_prefix(prefix) for key in c.dependency_keys}
        out.append(c.with_attributes(asset_key_replacements=renamed))
    return out


def _check_types() -> tuple[type, ...]:
    from headwater.declarations.checks.definition import AssetChecksDefinition

    return (AssetChecksDefinition,)


def _find(
    modules: Iterable[ModuleType], types: tuple[type, ...], exclude: tuple[type, ...] = ()
) -> list[Any]:
    seen: dict[int, Any] = {}

    def keep(value: Any) -> None:
        if isinstance(value, types) and not isinstance(value, exclude) and id(value) not in seen:
            seen[id(value)] = value

    for module in modules:
        for value in vars(module).values():
            if isinstance(value, list | tuple):
                for item in value:
                    keep(item)
            else:
                keep(value)
    return list(seen.values())


def _prefixed(
    loaded: Sequence[AssetsDefinition[..., Any] | AssetSpec], key_prefix: str | Sequence[str] | None
) -> dict[AssetKey, AssetKey]:
    """Old key -> prefixed key, for every key the loaded definitions produce."""
    if key_prefix is None:
        return {}
    prefix = _coerce_key_prefix(key_prefix)
    keys = [k for item in loaded for k in (
        item.all_keys if isinstance(item, AssetsDefinition) else (item.key,)
    )]  # fmt: skip
    return {key: key.with_prefix(prefix) for key in keys}


def load_assets_from_package_module(
    package_module: ModuleType,
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
) -> list[AssetsDefinition[..., Any] | AssetSpec]:
    """Like :func:`load_assets_from_modules` over a package and all its submodules."""
    modules = [package_module]
    path = getattr(package_module, "__path__", None)
    if path is not None:
        prefix = package_module.__name__ + "."
        for info in pkgutil.walk_packages(path, prefix):
            modules.append(importlib.import_module(info.name))
    return load_assets_from_modules(modules, group_name=group_name, key_prefix=key_prefix)
