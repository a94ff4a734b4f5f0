"""``DbtTranslator``: how a dbt node becomes an asset (key, group, description, ...).

Every method takes the node's properties as they are in ``manifest.json`` (a dict with
``unique_id``, ``name``, ``resource_type``, ``fqn``, ``config``, ``meta``, ``columns``, ...).
Subclass it and override the methods you want to change; pass an instance as
``dbt_assets(dbt_translator=...)``.

A dbt project can also set a node's headwater attributes in its ``meta`` (``meta.headwater``,
or ``meta.dagster`` as in Dagster projects), which the default methods read::

    models:
      - name: stg_flights
        config:
          meta:
            headwater:
              asset_key: ["staging", "flights"]
              group: staging
              owners: ["team:data-platform"]
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from headwater import AssetKey, TableColumn, TableSchema

__all__ = ["DbtTranslator", "DbtTranslatorSettings"]

_META_KEYS = ("headwater", "dagster")


@dataclass(frozen=True, kw_only=True)
class DbtTranslatorSettings:
    """Switches of the default translation.

    Args:
        enable_asset_checks: dbt data tests become asset checks (default ``True``).
        blocking_asset_checks: a test whose severity is ``error`` becomes a *blocking* check
            (default ``False``): when it fails, steps downstream of its asset are skipped.

    Tests on dbt sources are not checks: a source's asset belongs to another definition.
    """

    enable_asset_checks: bool = True
    blocking_asset_checks: bool = False


class DbtTranslator:
    """Translates dbt nodes (from ``manifest.json``) into asset attributes.

    Args:
        settings: :class:`DbtTranslatorSettings` (default: checks on, not blocking).

    Defaults:
        - key: ``meta.headwater.asset_key`` if set; a source is ``[source_name, name]``; a
          versioned model ``[name_v<version>]``; a model with a custom ``schema`` config
          ``[schema, name]``; else ``[name]``.
        - group: ``meta.headwater.group``, else the node's dbt group, else the default group.
        - description: the node's description, else ``"dbt <type> <name>"``.
        - metadata: ``columns`` (a ``TableSchema`` of the documented columns),
          ``dbt/unique_id``, ``dbt/materialized``, ``dbt/relation``, and the entries of
          ``meta.headwater.metadata`` (e.g. ``partition_expr`` for the DuckDB IO manager).
        - tags: each dbt tag as a tag with an empty value.
        - owners: ``meta.headwater.owners`` (when none, ``dbt_assets`` uses the e-mail of the
          owner of the node's dbt group, if it has one).
        - code version: a hash of the node's raw SQL (of the file's checksum for seeds).
        - automation condition and partition mapping: none.

    Example:
        >>> class Prefixed(DbtTranslator):
        ...     def get_asset_key(self, dbt_resource_props):
        ...         return super().get_asset_key(dbt_resource_props).with_prefix("dbt")
        >>> Prefixed().get_asset_key({"name": "orders", "resource_type": "model"})
        AssetKey(['dbt', 'orders'])
    """

    def __init__(self, settings: DbtTranslatorSettings | None = None) -> None:
        self.settings = settings or DbtTranslatorSettings()

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        """The asset key of a model, seed, snapshot or source."""
        props = dbt_resource_props
        configured = headwater_meta(props).get("asset_key")
        if configured:
            return AssetKey.from_coercible(configured)
        if props.get("resource_type") == "source":
            return AssetKey([props["source_name"], props["name"]])
        if props.get("version") is not None:
            return AssetKey([f"{props['name']}_v{props['version']}"])
        schema = (props.get("config") or {}).get("schema")
        if schema:
            return AssetKey([schema, props["name"]])
        return AssetKey([props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """The asset group (``None``: the default group)."""
        props = dbt_resource_props
        group = headwater_meta(props).get("group")
        if group:
            return str(group)
        dbt_group = props.get("group") or (props.get("config") or {}).get("group")
        return str(dbt_group) if dbt_group else None

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        """The asset description."""
        props = dbt_resource_props
        return props.get("description") or f"dbt {props.get('resource_type')} {props['name']}"

    def get_metadata(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, Any]:
        """Definition metadata of the asset."""
        props = dbt_resource_props
        metadata: dict[str, Any] = {"dbt/unique_id": props["unique_id"]}
        materialized = (props.get("config") or {}).get("materialized")
        if materialized:
            metadata["dbt/materialized"] = materialized
        if props.get("relation_name"):
            metadata["dbt/relation"] = props["relation_name"]
        columns = props.get("columns") or {}
        if columns:
            metadata["columns"] = TableSchema(
                columns=[
                    TableColumn(
                        name=column.get("name") or name,
                        type=column.get("data_type") or "unknown",
                        description=column.get("description") or None,
                    )
                    for name, column in columns.items()
                ]
            )
        extra = headwater_meta(props).get("metadata")
        if isinstance(extra, Mapping):
            metadata.update(extra)
        return metadata

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        """Tags of the asset: each dbt tag, with an empty value (select with ``tag:name``)."""
        props = dbt_resource_props
        tags = props.get("tags") or (props.get("config") or {}).get("tags") or ()
        return dict.fromkeys((str(t) for t in tags), "")

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        """Owners of the asset (e-mails or ``team:name``)."""
        owners = headwater_meta(dbt_resource_props).get("owners")
        return [str(o) for o in owners] if owners else None

    def get_code_version(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """A version that changes when the node's SQL changes."""
        props = dbt_resource_props
        raw = props.get("raw_code") or props.get("raw_sql")
        if raw:
            return hashlib.sha256(raw.encode()).hexdigest()[:16]
        checksum = (props.get("checksum") or {}).get("checksum")
        return str(checksum)[:16] if checksum else None

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> Any:
        """An ``AutomationCondition`` for the asset (default ``None``)."""
        return None

    def get_partition_mapping(
        self,
        dbt_resource_props: Mapping[str, Any],
        dbt_parent_resource_props: Mapping[str, Any],
    ) -> Any:
        """The ``PartitionMapping`` from the asset to one of its upstream nodes (default
        ``None``: headwater infers it)."""
        return None

    def get_check_name(self, dbt_test_props: Mapping[str, Any]) -> str:
        """The asset check's name for a dbt test: the test's name, as an identifier."""
        name = "".join(c if c.isalnum() or c == "_" else "_" for c in dbt_test_props["name"])
        return name if name and not name[0].isdigit() else f"test_{name}"


def headwater_meta(props: Mapping[str, Any]) -> Mapping[str, Any]:
    """``meta.headwater`` (or ``meta.dagster``) of a node, from its config or its properties."""
    config = props.get("config")
    for meta in (config.get("meta") if config else None, props.get("meta")):
        if not meta:  # most nodes: called for every node by several methods, kept cheap
            continue
        for key in _META_KEYS:
            value = meta.get(key)
            if value and isinstance(value, dict | Mapping):
                return value
    return _EMPTY


_EMPTY: Mapping[str, Any] = {}
