"""What one imported module of a ``defs/`` folder contributes to the project's ``Definitions``.

A module contributes, in this order of precedence (as Dagster's defs folders do):

1. its module-level ``Definitions`` object (at most one), and nothing else of it;
2. else the results of its ``@definitions`` functions (a module may not mix 1 and 2);
3. else every asset, ``AssetSpec``, asset check, job, schedule and sensor found among its
   module-level names (also inside module-level lists and tuples).

Resources come only from 1 and 2: a resource object lying at module level is not a definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from headwater.declarations.assets.definition import AssetsDefinition
from headwater.declarations.assets.specs import AssetSpec
from headwater.declarations.automation.schedules import ScheduleDefinition
from headwater.declarations.automation.sensors import SensorDefinition
from headwater.declarations.checks.definition import AssetChecksDefinition
from headwater.declarations.definitions import Definitions
from headwater.declarations.jobs.asset_jobs import UnresolvedAssetJobDefinition
from headwater.declarations.jobs.definition import JobDefinition
from headwater.declarations.project.decorator import LazyDefinitions
from headwater.errors import DefsFolderError

__all__ = ["LooseDefinitions", "module_contribution"]

_JOB_TYPES = (UnresolvedAssetJobDefinition, JobDefinition)


@dataclass(slots=True)
class LooseDefinitions:
    """Definitions found lying at module level (the parts of a ``Definitions`` not yet built,
    so that assets may need resources that another module of the folder provides)."""

    assets: list[Any] = field(default_factory=list)
    jobs: list[Any] = field(default_factory=list)
    schedules: list[Any] = field(default_factory=list)
    sensors: list[Any] = field(default_factory=list)
    asset_checks: list[Any] = field(default_factory=list)
    resources: dict[str, Any] = field(default_factory=dict)
    loggers: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    executor: Any = None

    def add(self, value: Any) -> bool:
        """File ``value`` under its kind; ``False`` if it is no definition."""
        if isinstance(value, AssetChecksDefinition):  # before AssetsDefinition: a subclass
            self.asset_checks.append(value)
        elif isinstance(value, AssetsDefinition | AssetSpec):
            self.assets.append(value)
        elif isinstance(value, _JOB_TYPES):
            self.jobs.append(value)
        elif isinstance(value, ScheduleDefinition):
            self.schedules.append(value)
        elif isinstance(value, SensorDefinition):
            self.sensors.append(value)
        else:
            return False
        return True


def module_contribution(
    module: ModuleType, path: Path, *, shown: str
) -> list[Definitions | LooseDefinitions]:
    """The ``Definitions`` (or loose parts) that ``module``, loaded from ``path``, contributes.

    Args:
        module: the imported module.
        path: its file.
        shown: ``path`` as messages show it (relative to the project).

    Raises:
        DefsFolderError: the module holds several ``Definitions`` objects, or both a
            ``Definitions`` object and ``@definitions`` functions, or one of its
            ``@definitions`` functions fails (the original exception is kept).
    """
    objects: dict[int, tuple[str, Any]] = {}
    for name, value in vars(module).items():
        if isinstance(value, Definitions | LazyDefinitions):
            objects.setdefault(id(value), (name, value))
    built = [(n, v) for n, v in objects.values() if isinstance(v, Definitions)]
    lazy = [(n, v) for n, v in objects.values() if isinstance(v, LazyDefinitions)]
    if built and lazy:
        raise DefsFolderError(
            f"{shown} has both a Definitions object ({built[0][0]}) and @definitions functions "
            f"({', '.join(n for n, _ in lazy)}); a module of a defs folder may hold one kind. "
            "Keep one of them.",
            path=path,
            module=module.__name__,
        )
    if len(built) > 1:
        raise DefsFolderError(
            f"{shown} has several Definitions objects ({', '.join(n for n, _ in built)}); a "
            "module of a defs folder may hold at most one. Merge them with Definitions.merge.",
            path=path,
            module=module.__name__,
        )
    if built:
        return [built[0][1]]
    if lazy:
        return [_call(fn, name, path, shown, module) for name, fn in lazy]
    loose = LooseDefinitions()
    for value in vars(module).values():
        if not loose.add(value) and isinstance(value, list | tuple):
            for item in value:
                loose.add(item)
    return [loose]


def _call(
    fn: LazyDefinitions, name: str, path: Path, shown: str, module: ModuleType
) -> Definitions:
    try:
        return fn()
    except DefsFolderError:
        raise
    except Exception as exc:
        raise DefsFolderError(
            f"Error calling the @definitions function {name!r} of {shown}: "
            f"{type(exc).__name__}: {exc}",
            path=path,
            module=module.__name__,
            original=exc,
        ) from exc
