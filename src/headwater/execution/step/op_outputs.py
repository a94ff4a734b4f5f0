"""What an op produced: its return value or yielded items, checked against its outputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.declarations.ops.definition import DynamicOutput, OpDefinition
from headwater.declarations.results import AssetMaterialization, AssetObservation, Output
from headwater.errors import ExecutionError


def is_generator(op_def: OpDefinition[..., Any]) -> bool:
    """Whether the op function is a generator (it yields its outputs)."""
    code = getattr(op_def.compute_fn, "__code__", None)
    return bool(code is not None and code.co_flags & 0x20)


OutputValue = tuple[str, Any, str | None, Mapping[str, Any]]


def collect_op_outputs(
    op_def: OpDefinition[..., Any], result: Any, logged: list[Any], key: str
) -> list[OutputValue]:
    """``(output name, value, mapping key, metadata)`` for each value the op produced.

    Raises:
        ExecutionError: an unknown output name, a repeated output or mapping key, a missing
            required output, or a return value that does not match the declared outputs.
    """
    outs = op_def.outs
    items: list[Any]
    if is_generator(op_def):
        items = list(result)
    elif len(outs) == 1:
        only, out = next(iter(outs.items()))
        if out.is_dynamic:
            items = list(result or [])
        else:
            items = [result if isinstance(result, Output) else Output(result, only)]
    else:
        if not isinstance(result, tuple) or len(result) != len(outs):
            raise ExecutionError(
                f"Op {op_def.name!r} declares outputs {list(outs)}, so it must return a tuple of "
                f"{len(outs)} values in that order (or yield Output(value, output_name=...))."
            )
        items = [
            v if isinstance(v, Output) else Output(v, n) for n, v in zip(outs, result, strict=True)
        ]
    values: list[OutputValue] = []
    seen: set[tuple[str, str | None]] = set()
    for item in items:
        if isinstance(item, AssetMaterialization | AssetObservation):
            logged.append(item)
            continue
        if not isinstance(item, Output | DynamicOutput):
            raise ExecutionError(
                f"Op {op_def.name!r} (step {key!r}) yielded {item!r}; yield Output(...), "
                "DynamicOutput(...), AssetMaterialization(...) or AssetObservation(...)."
            )
        name = item.output_name
        mapping_key = item.mapping_key if isinstance(item, DynamicOutput) else None
        _check_output(op_def, key, name, mapping_key, seen)
        values.append((name, item.value, mapping_key, item.metadata))
    missing = [n for n, o in outs.items() if o.is_required and not o.is_dynamic
               and (n, None) not in seen]  # fmt: skip
    if missing:
        raise ExecutionError(
            f"Op {op_def.name!r} (step {key!r}) did not produce its required outputs {missing}; "
            "yield them, or declare Out(is_required=False)."
        )
    return values


def _check_output(
    op_def: OpDefinition[..., Any],
    key: str,
    name: str,
    mapping_key: str | None,
    seen: set[tuple[str, str | None]],
) -> None:
    out = op_def.outs.get(name)
    if out is None:
        raise ExecutionError(
            f"Op {op_def.name!r} (step {key!r}) produced output {name!r}, which it does not "
            f"declare; its outputs are {list(op_def.outs)}."
        )
    if out.is_dynamic != (mapping_key is not None):
        kind = "DynamicOutput" if out.is_dynamic else "Output"
        raise ExecutionError(f"Op {op_def.name!r} output {name!r} takes {kind} values.")
    if (name, mapping_key) in seen:
        what = f"mapping key {mapping_key!r}" if mapping_key is not None else "value"
        raise ExecutionError(
            f"Op {op_def.name!r} (step {key!r}) produced output {name!r} with the same {what} "
            "twice; each DynamicOutput of an output needs a unique mapping_key."
        )
    seen.add((name, mapping_key))
