"""The one output normalizer: what a user function returned or yielded, as per-output records.

Assets, multi-assets, asset checks and ops all declare outputs; :class:`DeclaredOutputs`
describes them the same way (:func:`asset_outputs`, :func:`op_outputs`) and
:func:`iter_outputs` turns a return value or a generator into :class:`StepOutput` records, with
the same rules for every kind of step: a plain value for a single output, a tuple for several,
``Output`` / ``DynamicOutput`` / ``MaterializeResult`` items, events and check results set
aside, and an error for an unknown, repeated or missing required output.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from headwater.declarations.assets.definition import AssetsDefinition
from headwater.declarations.checks.definition import AssetCheckResult
from headwater.declarations.ops.definition import DynamicOutput, OpDefinition
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

# Items a function may yield that are not outputs: recorded as events / check evaluations.
_LOGGED = (AssetMaterialization, AssetObservation, AssetCheckResult)


@dataclass(slots=True, kw_only=True)
class StepOutput:
    """One output of a step: the value to store (or ``NO_VALUE``) and its metadata.

    Attributes:
        output_name: the declared output. asset_key: its asset (``None`` for an op output).
        mapping_key: the mapping key of one value of a dynamic output, else ``None``.
    """

    output_name: str
    asset_key: AssetKey | None = None
    value: Any = NO_VALUE
    metadata: dict[str, MetadataValue] = field(default_factory=dict)
    data_version: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    mapping_key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeclaredOutputs:
    """The outputs a step's function may produce.

    Attributes:
        where: how errors name the step (``"step 'orders'"``, ``"Op 'emit' (step 'emit')"``).
        names: the selected outputs, in declaration order (a returned tuple maps onto it).
        emit_order: the order outputs of a returned tuple are handed on in.
        asset_keys: output name -> asset key (empty for ops).
        required: outputs that must be produced (unless ``allow_partial``).
        dynamic: outputs taking ``DynamicOutput`` values.
        allow_partial: a subsettable multi-asset may produce only some outputs.
        is_generator: the function is a generator (its yielded items are the outputs).
    """

    where: str
    names: tuple[str, ...]
    emit_order: tuple[str, ...]
    asset_keys: Mapping[str, AssetKey]
    required: frozenset[str]
    dynamic: frozenset[str] = frozenset()
    allow_partial: bool = False
    is_generator: bool = False


def asset_outputs(assets_def: AssetsDefinition[..., Any]) -> DeclaredOutputs:
    """The outputs an asset step (an asset, multi-asset or check) may produce."""
    names_by_key = assets_def.output_names_by_key
    selected = {names_by_key[k] for k in assets_def.keys}
    specs = assets_def.specs_by_output_name
    return DeclaredOutputs(
        where=f"step {assets_def.node_name!r}",
        names=tuple(n for n in specs if n in selected),
        emit_order=tuple(names_by_key[k] for k in sorted(assets_def.keys)),
        asset_keys=assets_def.keys_by_output_name,
        required=frozenset(n for n in selected if not specs[n].skippable),
        allow_partial=assets_def.can_subset,
        is_generator=is_generator_function(assets_def.compute_fn),
    )


def op_outputs(op_def: OpDefinition[..., Any], step_key: str) -> DeclaredOutputs:
    """The outputs an op may produce (``step_key`` names it in errors)."""
    outs = op_def.outs
    names = tuple(outs)
    return DeclaredOutputs(
        where=f"Op {op_def.name!r} (step {step_key!r})",
        names=names,
        emit_order=names,
        asset_keys={},
        required=frozenset(n for n, o in outs.items() if o.is_required and not o.is_dynamic),
        dynamic=frozenset(n for n, o in outs.items() if o.is_dynamic),
        is_generator=is_generator_function(op_def.compute_fn),
    )


def collect_outputs(declared: DeclaredOutputs, result: Any, logged: list[Any]) -> list[StepOutput]:
    """:func:`iter_outputs` as a list."""
    return list(iter_outputs(declared, result, logged))


def iter_outputs(declared: DeclaredOutputs, result: Any, logged: list[Any]) -> Iterator[StepOutput]:
    """Normalize a function's return value (or generator) into :class:`StepOutput` records.

    A generator's outputs come out as it yields them (so a step can store and record each one
    before the next is computed); the check for missing required outputs runs at the end.
    ``AssetMaterialization`` / ``AssetObservation`` / ``AssetCheckResult`` items (and the
    ``check_results`` of a ``MaterializeResult``) are appended to ``logged``.

    Raises:
        ExecutionError: an unknown output name or asset key, an output (or mapping key) given
            twice, a tuple of the wrong length, a value for a dynamic output that is not a
            ``DynamicOutput``, or a missing required output. Also whatever a generator raises.
    """
    where, names = declared.where, declared.names
    seen: set[tuple[str, str | None]] = set()

    def add(item: Any) -> StepOutput | None:
        if isinstance(item, _LOGGED):
            logged.append(item)
            return None
        if isinstance(item, MaterializeResult):
            logged.extend(item.check_results)
        out = _to_output(declared, item)
        if (out.output_name, out.mapping_key) in seen:
            what = f"mapping key {out.mapping_key!r}" if out.mapping_key is not None else "value"
            raise ExecutionError(
                f"{where} produced output {out.output_name!r} with the same {what} twice"
                + ("; each DynamicOutput of an output needs a unique mapping_key."
                   if out.mapping_key is not None else ".")
            )  # fmt: skip
        seen.add((out.output_name, out.mapping_key))
        return out

    single_dynamic = len(names) == 1 and names[0] in declared.dynamic
    if declared.is_generator or isinstance(result, Iterator) or inspect.isgenerator(result):
        for item in result:
            if (out := add(item)) is not None:
                yield out
    elif single_dynamic and not isinstance(result, DynamicOutput):
        for item in result or ():  # a list of DynamicOutput values
            if (out := add(item)) is not None:
                yield out
    elif len(names) > 1 and isinstance(result, tuple):
        if len(result) != len(names):
            raise ExecutionError(
                f"{where} returned a tuple of {len(result)} values but has {len(names)} outputs "
                f"{list(names)}; return one value per output, in that order."
            )
        wrapped = [value if isinstance(value, Output | MaterializeResult) else Output(value, name)
                   for name, value in zip(names, result, strict=True)]  # fmt: skip
        by_name = {out.output_name: out for out in map(add, wrapped) if out is not None}
        yield from (by_name[n] for n in declared.emit_order if n in by_name)
    elif result is None and len(names) != 1:
        pass  # nothing returned: only an error if an output is required (checked below)
    elif not names and not isinstance(result, AssetCheckResult):
        raise ExecutionError(
            f"{where} returned {result!r}; a check function returns AssetCheckResult(passed=...)."
        )
    elif (out := add(result)) is not None:
        yield out

    if declared.allow_partial:
        return
    missing = [n for n in names if n in declared.required and (n, None) not in seen]
    if missing:
        keys = declared.asset_keys
        assets = f" (asset {keys[missing[0]].to_user_string()!r})" if missing[0] in keys else ""
        raise ExecutionError(
            f"{where} did not produce required output {missing[0]!r}{assets}. Return or yield "
            "it, or mark the output is_required=False."
        )


def reject_check_results(logged: list[Any], where: str) -> None:
    """Refuse ``AssetCheckResult`` items from an op (only assets and checks evaluate checks).

    Raises:
        ExecutionError: ``logged`` holds one.
    """
    for item in logged:
        if isinstance(item, AssetCheckResult):
            raise ExecutionError(
                f"{where} yielded {item!r}; an op yields Output(...), DynamicOutput(...), "
                "AssetMaterialization(...) or AssetObservation(...)."
            )


def _to_output(declared: DeclaredOutputs, item: Any) -> StepOutput:
    where, names, keys = declared.where, declared.names, declared.asset_keys
    if isinstance(item, MaterializeResult):
        if not keys:
            raise ExecutionError(f"{where} returned a MaterializeResult; an op yields Output(...).")
        if item.asset_key is not None:
            name = next((n for n in names if keys[n] == item.asset_key), None)
            if name is None:
                raise ExecutionError(
                    f"{where} returned a MaterializeResult for "
                    f"{item.asset_key.to_user_string()!r}, which it does not materialize in this "
                    f"run (selected: {sorted(keys[n].to_user_string() for n in names)})."
                )
        elif len(names) == 1:
            name = names[0]
        else:
            raise ExecutionError(
                f"{where} materializes several assets; give MaterializeResult(asset_key=...)."
            )
        return StepOutput(output_name=name, asset_key=keys[name], metadata=dict(item.metadata),
                          data_version=item.data_version, tags=dict(item.tags))  # fmt: skip
    if isinstance(item, DynamicOutput):
        if item.output_name not in declared.dynamic:
            raise ExecutionError(
                f"{where} yielded DynamicOutput for output {item.output_name!r}, which is not a "
                f"DynamicOut; its outputs are {list(names)}."
            )
        return StepOutput(output_name=item.output_name, value=item.value,
                          metadata=dict(item.metadata), mapping_key=item.mapping_key)  # fmt: skip
    if isinstance(item, Output):
        name = item.output_name
        if name == "result" and name not in names and len(names) == 1:
            name = names[0]
        if name not in names:
            raise ExecutionError(
                f"{where} produced output {item.output_name!r}, which is not among its "
                f"(selected) outputs {list(names)}."
            )
        if name in declared.dynamic:
            raise ExecutionError(f"{where}: output {name!r} takes DynamicOutput values.")
        return StepOutput(output_name=name, asset_key=keys.get(name), value=item.value,
                          metadata=dict(item.metadata), data_version=item.data_version,
                          tags=dict(item.tags))  # fmt: skip
    if len(names) != 1:
        raise ExecutionError(
            f"{where} has {len(names)} outputs {list(names)}; return a tuple with one value per "
            "output, or yield Output(value, output_name=...) for each."
        )
    if names[0] in declared.dynamic:
        raise ExecutionError(f"{where}: output {names[0]!r} takes DynamicOutput values.")
    return StepOutput(output_name=names[0], asset_key=keys.get(names[0]), value=item)


def is_generator_function(fn: Any) -> bool:
    """Whether ``fn`` is a generator function (it yields its outputs)."""
    code = getattr(fn, "__code__", None)
    return bool(code is not None and code.co_flags & 0x20)
