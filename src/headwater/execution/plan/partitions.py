"""Which partitions each step of a run materializes and loads, resolved before anything runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.declarations.assets.definition import AssetsDefinition
from headwater.declarations.partitions.base import PartitionError, PartitionKeyRange
from headwater.execution.plan.execution_plan import ExecutionPlan, ExecutionStep
from headwater.execution.plan.step_partitions import UNPARTITIONED, StepPartitions
from headwater.keys import AssetKey


def resolve_step_partitions(
    plan: ExecutionPlan[ExecutionStep],
    assets_by_key: Mapping[AssetKey, AssetsDefinition[..., Any]],
    *,
    partition_key: str | None,
    partition_key_range: PartitionKeyRange | None,
    dynamic_partitions_store: Any = None,
) -> dict[str, StepPartitions]:
    """Resolve every step's partitions for a run targeting a partition key or a key range.

    Raises:
        PartitionError: a partitioned asset is selected without a partition, an unknown key or
            a reversed range, an upstream partition that does not exist, or partitions of an
            upstream asset that cannot be mapped. Messages name the asset and the key.
    """
    if partition_key is not None and partition_key_range is not None:
        raise PartitionError("Give either a partition key or a partition key range, not both.")
    out: dict[str, StepPartitions] = {}
    for step in plan.steps:
        partitions_def = step.assets_def.partitions_def
        if partitions_def is None:
            keys = None
        else:
            keys = _step_keys(
                step, partitions_def, partition_key, partition_key_range, dynamic_partitions_store
            )
        input_keys, input_defs = _input_partitions(
            step, keys, partitions_def, assets_by_key, dynamic_partitions_store
        )
        if keys is None and not any(k is not None for k in input_keys.values()):
            out[step.key] = UNPARTITIONED
        else:
            out[step.key] = StepPartitions(
                keys=keys, partitions_def=partitions_def, input_keys=input_keys,
                input_defs=input_defs,
            )  # fmt: skip
    return out


def _asset_name(step: ExecutionStep) -> str:
    return ", ".join(sorted(k.to_user_string() for k in step.assets_def.keys))


def _step_keys(
    step: ExecutionStep,
    partitions_def: Any,
    partition_key: str | None,
    partition_key_range: PartitionKeyRange | None,
    store: Any,
) -> tuple[str, ...]:
    asset = _asset_name(step)
    if partition_key is None and partition_key_range is None:
        raise PartitionError(
            f"Asset {asset!r} is partitioned ({partitions_def.describe()}); choose what to "
            "materialize with partition_key= (CLI: --partition KEY) or a range "
            "(CLI: --partition-range START...END)."
        )
    if partition_key is not None:
        partitions_def.validate_partition_key(
            partition_key, asset=asset, dynamic_partitions_store=store
        )
        return (partition_key,)
    assert partition_key_range is not None
    try:
        keys = partitions_def.get_partition_keys_in_range(
            partition_key_range, dynamic_partitions_store=store
        )
    except PartitionError as exc:
        raise PartitionError(f"Asset {asset!r}: {exc}") from exc
    return tuple(keys)


def _input_partitions(
    step: ExecutionStep,
    keys: tuple[str, ...] | None,
    partitions_def: Any,
    assets_by_key: Mapping[AssetKey, AssetsDefinition[..., Any]],
    store: Any,
) -> tuple[dict[str, tuple[str, ...] | None], dict[str, Any]]:
    input_keys: dict[str, tuple[str, ...] | None] = {}
    input_defs: dict[str, Any] = {}
    for step_input in step.inputs:
        upstream = assets_by_key.get(step_input.asset_key)
        upstream_def = upstream.partitions_def if upstream is not None else None
        input_defs[step_input.name] = upstream_def
        if upstream_def is None:
            input_keys[step_input.name] = None
            continue
        mapping = _mapping_for(step, step_input.name, step_input.asset_key, upstream_def,
                               partitions_def)  # fmt: skip
        result = mapping.get_upstream_partitions_for_partitions(
            list(keys) if keys is not None else None,
            partitions_def,
            upstream_def,
            dynamic_partitions_store=store,
        )
        missing = list(result.required_but_nonexistent_partition_keys)
        if missing:
            raise PartitionError(
                f"Asset {_asset_name(step)!r} needs partitions {_preview(missing)} of upstream "
                f"asset {step_input.asset_key.to_user_string()!r}, which do not exist "
                f"({upstream_def.describe()}). Choose other partitions, or allow it with "
                "TimeWindowPartitionMapping(allow_nonexistent_upstream_partitions=True)."
            )
        input_keys[step_input.name] = tuple(result.partition_keys)
    return input_keys, input_defs


def _mapping_for(
    step: ExecutionStep, input_name: str, upstream_key: AssetKey, upstream_def: Any, own_def: Any
) -> Any:
    from headwater.declarations.partitions.mappings import infer_partition_mapping

    asset_in = step.assets_def.ins.get(input_name)
    if asset_in is not None and asset_in.partition_mapping is not None:
        return asset_in.partition_mapping
    for spec in step.assets_def.specs:
        for dep in spec.deps:
            if dep.asset_key == upstream_key and dep.partition_mapping is not None:
                return dep.partition_mapping
    try:
        return infer_partition_mapping(upstream_def, own_def)
    except PartitionError as exc:
        raise PartitionError(
            f"Asset {_asset_name(step)!r} depends on {upstream_key.to_user_string()!r}: {exc}"
        ) from exc


def _preview(keys: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(repr(k) for k in keys[:limit])
    return f"[{shown}{', ...' if len(keys) > limit else ''}] ({len(keys)})"
