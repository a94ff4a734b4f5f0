"""Turning what a user function returned or yielded into per-output records."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from headwater.declarations.assets.definition import AssetsDefinition
from headwater.declarations.checks.definition import AssetCheckResult
from headwater.declarations.results import (
    AssetMaterialization,
    AssetObservation,
    MaterializeResult,
    Output,
)
from headwater.errors import ExecutionError
from headwater.keys import AssetKey
from headwater.metadata import MetadataValue

NO_VALUE: Any = object()


@dataclass(slots=True, kw_only=True)
class StepOutput:
    """One output of a step: the value to store (or ``NO_VALUE``) and its metadata."""

    output_name: str
    asset_key: AssetKey
    value: Any = NO_VALUE
    metadata: dict[str, MetadataValue] = field(default_factory=dict)
    data_version: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


def collect_outputs(
    assets_def: AssetsDefinition[..., Any], result: Any, logged: list[Any]
) -> list[StepOutput]:
    """Normalize a function's return value (or generator) into :class:`StepOutput` records.

    ``AssetMaterialization``/``AssetObservation``/``AssetCheckResult`` objects yielded by a
    generator (and the ``check_results`` of a ``MaterializeResult``) are appended to ``logged``.

    Raises:
        ExecutionError: an unknown output name or asset key, an output given twice, a tuple of
            the wrong length, or a missing required output.
    """
    return list(iter_outputs(assets_def, result, logged))


def iter_outputs(
    assets_def: AssetsDefinition[..., Any], result: Any, logged: list[Any]
) -> Iterator[StepOutput]:
    """:func:`collect_outputs` one output at a time, as a generator body yields them.

    A generator's outputs come out as it yields them (so a step can store and record each one
    before the next is computed); the check for missing required outputs runs once the
    generator is exhausted. Raises as :func:`collect_outputs`, and whatever the generator raises.
    """
    where = f"step {assets_def.node_name!r}"
    names_by_key = assets_def.output_names_by_key
    selected = [names_by_key[k] for k in sorted(assets_def.keys)]
    seen: set[str] = set()

    def add(item: Any) -> StepOutput | None:
        if isinstance(item, AssetMaterialization | AssetObservation | AssetCheckResult):
            logged.append(item)
            return None
        if isinstance(item, MaterializeResult):
            logged.extend(item.check_results)
        out = _to_output(assets_def, item, selected, where)
        if out.output_name in seen:
            raise ExecutionError(f"{where} produced output {out.output_name!r} twice.")
        seen.add(out.output_name)
        return out

    if isinstance(result, Iterator) or inspect.isgenerator(result):
        for item in result:
            if (out := add(item)) is not None:
                yield out
    elif len(selected) > 1 and isinstance(result, tuple):
        if len(result) != len(selected):
            raise ExecutionError(
                f"{where} returned a tuple of {len(result)} values but materializes "
                f"{len(selected)} assets {selected}; return one value per output, in order."
            )
        ordered = [n for n in assets_def.specs_by_output_name if n in selected]
        outs = [
            add(value if isinstance(value, Output | MaterializeResult) else Output(value, name))
            for name, value in zip(ordered, result, strict=True)
        ]
        by_name = {out.output_name: out for out in outs if out is not None}
        yield from (by_name[n] for n in selected if n in by_name)
    elif result is None and len(selected) != 1:
        pass  # nothing returned: only an error if an output is required (checked below)
    elif not selected and not isinstance(result, AssetCheckResult):
        raise ExecutionError(
            f"{where} returned {result!r}; a check function returns AssetCheckResult(passed=...)."
        )
    elif (out := add(result)) is not None:
        yield out

    spec_by_name = assets_def.specs_by_output_name
    for name in selected:
        if name not in seen and not spec_by_name[name].skippable and not assets_def.can_subset:
            raise ExecutionError(
                f"{where} did not produce required output {name!r} (asset "
                f"{spec_by_name[name].key.to_user_string()!r}). Return or yield it, or mark the "
                "output is_required=False."
            )


def _to_output(
    assets_def: AssetsDefinition[..., Any], item: Any, selected: list[str], where: str
) -> StepOutput:
    keys = assets_def.keys_by_output_name
    if isinstance(item, MaterializeResult):
        if item.asset_key is not None:
            name = assets_def.output_names_by_key.get(item.asset_key)
            if name is None or name not in selected:
                raise ExecutionError(
                    f"{where} returned a MaterializeResult for "
                    f"{item.asset_key.to_user_string()!r}, which it does not materialize in this "
                    f"run (selected: {sorted(keys[n].to_user_string() for n in selected)})."
                )
        elif len(selected) == 1:
            name = selected[0]
        else:
            raise ExecutionError(
                f"{where} materializes several assets; give MaterializeResult(asset_key=...)."
            )
        return StepOutput(
            output_name=name,
            asset_key=keys[name],
            metadata=dict(item.metadata),
            data_version=item.data_version,
            tags=dict(item.tags),
        )
    if isinstance(item, Output):
        name = item.output_name
        if name == "result" and name not in keys and len(selected) == 1:
            name = selected[0]
        if name not in selected:
            raise ExecutionError(
                f"{where} yielded Output(output_name={item.output_name!r}) but its selected "
                f"outputs are {selected}."
            )
        return StepOutput(
            output_name=name,
            asset_key=keys[name],
            value=item.value,
            metadata=dict(item.metadata),
            data_version=item.data_version,
            tags=dict(item.tags),
        )
    if len(selected) != 1:
        raise ExecutionError(
            f"{where} materializes {len(selected)} assets; yield Output(value, output_name=...) "
            "or MaterializeResult(asset_key=...) for each."
        )
    return StepOutput(output_name=selected[0], asset_key=keys[selected[0]], value=item)
