"""Looking up the assets of dbt definitions: by dbt selection, by model or source name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from headwater import AssetKey, AssetSelection, DefinitionError
from headwater.integrations.dbt.asset_decorator import dbt_assets_info
from headwater.integrations.dbt.asset_specs import DbtAssetsInfo
from headwater.integrations.dbt.selection import select_unique_ids

__all__ = ["build_dbt_asset_selection", "get_asset_key_for_model", "get_asset_key_for_source"]


def build_dbt_asset_selection(
    dbt_assets: Sequence[Any],
    dbt_select: str = "fqn:*",
    dbt_exclude: str | None = None,
) -> AssetSelection:
    """The assets of ``dbt_assets`` that a dbt selection picks, as an ``AssetSelection``.

    Args:
        dbt_assets: definitions made by ``@dbt_assets``.
        dbt_select / dbt_exclude: dbt selection syntax (``"stg_trips+"``, ``"tag:daily"``).

    Raises:
        DefinitionError: an item of ``dbt_assets`` is not a dbt assets definition, or the
            selection is malformed.

    Example:
        >>> selection = build_dbt_asset_selection([transform], "stg_flights+")  # doctest: +SKIP
        >>> job = define_asset_job("flights", selection=selection)  # doctest: +SKIP
    """
    keys: list[AssetKey] = []
    for info in _infos(dbt_assets, "build_dbt_asset_selection"):
        chosen = select_unique_ids(info.manifest, select=dbt_select, exclude=dbt_exclude)
        keys += [key for key, uid in info.unique_ids.items() if uid in chosen]
    return AssetSelection.assets(*sorted(keys))


def get_asset_key_for_model(dbt_assets: Sequence[Any], model_name: str) -> AssetKey:
    """The asset key of the dbt model (or seed, snapshot) named ``model_name``.

    Raises:
        DefinitionError: no definition of ``dbt_assets`` has a node of that name.

    Example:
        >>> @asset(deps=[get_asset_key_for_model([transform], "flights_daily")])  # doctest: +SKIP
        ... def report(): ...
    """
    for info in _infos(dbt_assets, "get_asset_key_for_model"):
        for key, uid in info.unique_ids.items():
            if info.manifest.nodes[uid].get("name") == model_name:
                return key
    raise DefinitionError(
        f"get_asset_key_for_model: no dbt model, seed or snapshot named {model_name!r} in the "
        "given dbt assets (is it selected by their select/exclude?)."
    )


def get_asset_key_for_source(dbt_assets: Sequence[Any], source_name: str) -> AssetKey:
    """The asset key of the one table of dbt source ``source_name`` the dbt assets read.

    Raises:
        DefinitionError: the assets read no table, or several tables, of that source.
    """
    found: set[AssetKey] = set()
    for info in _infos(dbt_assets, "get_asset_key_for_source"):
        translator = info.translator
        for node in info.manifest.nodes.values():
            if node.get("resource_type") == "source" and node.get("source_name") == source_name:
                found.add(translator.get_asset_key(node))
    if len(found) != 1:
        raise DefinitionError(
            f"get_asset_key_for_source: dbt source {source_name!r} has {len(found)} tables "
            f"({sorted(k.to_user_string() for k in found)}); it must have exactly one."
        )
    return found.pop()


def _infos(dbt_assets: Sequence[Any], where: str) -> list[DbtAssetsInfo]:
    infos = []
    for assets_def in dbt_assets:
        info = dbt_assets_info(assets_def)
        if info is None:
            raise DefinitionError(f"{where}: {assets_def!r} was not made by @dbt_assets.")
        infos.append(info)
    return infos
