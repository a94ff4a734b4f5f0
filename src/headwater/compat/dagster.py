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
    "DagsterInvalidInvocationError": "InvalidInvocationError",
    "DagsterInvariantViolationError": "InvariantViolationError",
    "DagsterExecutionStepExecutionError": "UserCodeError",
    "DagsterUserCodeExecutionError": "UserCodeError",
    "DagsterTypeCheckDidNotPass": "TypeCheckError",
    "DagsterInvalidSubsetError": "InvalidSelectionError",
    "DagsterUnknownResourceError": "UnknownResourceError",
    "DagsterRunNotFoundError": "RunNotFoundError",
    "DagsterUnknownPartitionError": "UnknownPartitionError",
    "DagsterAssetMetadataValue": "AssetMetadataValue",
    "check_dagster_type": "check_data_type",
    "get_dagster_logger": "get_logger",
}

# Dagster submodules reached as attributes (``dg.components.load_defs``) -> serving module
SUBMODULES: dict[str, str] = {"components": "headwater.compat.components"}

# Dagster helpers that are no headwater concept -> the compat module defining them
HELPERS: dict[str, str] = {"file_relative_path": "headwater.compat.utils"}

# Dagster names headwater will not provide -> what to use instead (raised as AttributeError)
NOT_SUPPORTED: dict[str, str] = {
    "ExpectationResult": (
        "expectations are superseded by asset checks: declare @asset_check functions returning "
        "AssetCheckResult(passed=...), or check_specs=[AssetCheckSpec(...)] on the asset"
    ),
    "Resource": (
        "annotate resource parameters with a ConfigurableResource subclass, or with "
        "ResourceParam[T] for a plain object"
    ),
    "daily_partitioned_config": (
        "partitioned config of op jobs is not supported; partition the assets with "
        "DailyPartitionsDefinition and run them with define_asset_job(partitions_def=...) "
        "and build_schedule_from_partitioned_job"
    ),
}

__all__ = sorted({*_hw.__all__, *ALIASES, *SUBMODULES, *HELPERS})

# Attributes of headwater's records that Dagster spells with its brand: class -> {Dagster
# attribute: headwater attribute}. They are installed on the classes when this module is
# imported (code that imports Dagster's names reads them; headwater's own API never does).
ATTRIBUTE_ALIASES: dict[str, dict[str, str]] = {
    "EventLogEntry": {
        "dagster_event": "structured_event",
        "is_dagster_event": "is_structured_event",
        "dagster_event_type": "structured_event_type",
    },
}

# Dagster still reports the run events under their old "pipeline" names in
# ``event_type_value`` (RUN_START is "PIPELINE_START"); every other event type keeps its name.
DAGSTER_EVENT_TYPE_VALUES: dict[str, str] = {
    f"RUN_{stage}": f"PIPELINE_{stage}"
    for stage in ("ENQUEUED", "DEQUEUED", "STARTING", "START", "SUCCESS", "FAILURE",
                  "CANCELING", "CANCELED")
}  # fmt: skip


def _alias(target: str) -> property:
    return property(lambda self: getattr(self, target), doc=f"Dagster's name of ``{target}``.")


def _dagster_event_type_value(self: Any) -> str:
    value: str = self.event_type.value
    return DAGSTER_EVENT_TYPE_VALUES.get(value, value)


def _install_attribute_aliases() -> None:
    from headwater.events import records

    for class_name, names in ATTRIBUTE_ALIASES.items():
        cls = getattr(records, class_name)
        for dagster_name, target in names.items():
            setattr(cls, dagster_name, _alias(target))
    records.EventLogEntry.event_type_value = property(  # type: ignore[method-assign,assignment]
        _dagster_event_type_value, doc="The event type as Dagster reports it (a string)."
    )


_install_attribute_aliases()


def __getattr__(name: str) -> Any:
    if name in SUBMODULES:
        import importlib

        module = importlib.import_module(SUBMODULES[name])
        globals()[name] = module
        return module
    if name in HELPERS:
        import importlib

        value = getattr(importlib.import_module(HELPERS[name]), name)
        globals()[name] = value
        return value
    target = ALIASES.get(name, name)
    if target in _hw.__all__:
        value = getattr(_hw, target)
        globals()[name] = value
        return value
    if name in NOT_SUPPORTED:
        raise AttributeError(
            f"headwater.compat.dagster has no {name!r} and will not: {NOT_SUPPORTED[name]}."
        )
    raise AttributeError(
        f"headwater.compat.dagster has no {name!r}: headwater does not provide this Dagster API "
        "yet. See docs/porting-from-dagster.md for what is supported."
    )


def __dir__() -> list[str]:
    return __all__
