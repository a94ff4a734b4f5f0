"""Dagster-named aliases: ``import headwater.compat.dagster as dg`` runs Dagster-style code.

Everything in :mod:`headwater` is re-exported under its own name; names that carry Dagster's
brand map to their neutral headwater equivalents (``DagsterInstance`` -> ``Instance``, ...).
"""

from __future__ import annotations

from typing import Any

import headwater as _hw

# Dagster name -> headwater name
ALIASES: dict[str, str] = {
    "DagsterInstance": "Instance",
    "DagsterType": "DataType",
    "DagsterAssetCheckFailedError": "AssetCheckFailedError",
    "DagsterTypeCheckError": "TypeCheckError",
    "DagsterRun": "Run",
    "DagsterRunStatus": "RunStatus",
    "DagsterEventType": "EventType",
    "DagsterError": "HeadwaterError",
    "DagsterInvalidDefinitionError": "DefinitionError",
    "DagsterInvalidConfigError": "InvalidConfigError",
    "DagsterInvalidInvocationError": "HeadwaterError",
    "DagsterInvariantViolationError": "InvariantViolationError",
    "DagsterExecutionStepExecutionError": "UserCodeError",
    "DagsterUserCodeExecutionError": "UserCodeError",
    "DagsterTypeCheckDidNotPass": "TypeCheckError",
    "DagsterInvalidSubsetError": "InvalidSelectionError",
    "DagsterUnknownResourceError": "MissingResourceError",
    "DagsterRunNotFoundError": "RunNotFoundError",
    "get_dagster_logger": "get_logger",
}

# Dagster submodules reached as attributes (``dg.components.load_defs``) -> serving module
SUBMODULES: dict[str, str] = {"components": "headwater.compat.components"}

__all__ = sorted({*_hw.__all__, *ALIASES, *SUBMODULES})


def __getattr__(name: str) -> Any:
    if name in SUBMODULES:
        import importlib

        module = importlib.import_module(SUBMODULES[name])
        globals()[name] = module
        return module
    target = ALIASES.get(name, name)
    if target in _hw.__all__:
        value = getattr(_hw, target)
        globals()[name] = value
        return value
    raise AttributeError(
        f"headwater.compat.dagster has no {name!r}: headwater does not provide this Dagster API "
        "yet. See docs/porting-from-dagster.md for what is supported."
    )


def __dir__() -> list[str]:
    return __all__
