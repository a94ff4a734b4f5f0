"""What a user declares: assets, checks, ops, jobs, config, resources, partitions, Definitions.

This package is also the ``@definitions`` decorator (``headwater.definitions(fn)``): the
package and Dagster's decorator share the name ``definitions``, and importing any submodule
sets ``headwater.definitions`` to this package, so the package itself is made callable and
hands the call to :func:`headwater.definitions.project.decorator.definitions`.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any


class _DefinitionsPackage(types.ModuleType):
    def __call__(self, fn: Callable[[], Any]) -> Any:
        from headwater.definitions.project.decorator import definitions

        return definitions(fn)


sys.modules[__name__].__class__ = _DefinitionsPackage
