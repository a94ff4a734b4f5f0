"""The one seam from definitions to the layers above them.

Definitions are pure data, but users call a few conveniences on them: an asset or op invoked
directly builds a context, ``JobDefinition.execute_in_process`` runs a job,
``Definitions.load_asset_value`` reads a stored value. Those reach execution (and the public
entry points that resolve a default instance) only through :func:`call`, which imports its
target by name on first use, so that nothing in ``declarations/`` depends on the layers above.
"""

from __future__ import annotations

import importlib
from typing import Any

# seam name -> module that defines it
_TARGETS: dict[str, str] = {
    "build_asset_context": "headwater.execution.context.asset_context",
    "build_op_context": "headwater.execution.context.asset_context",
    "execute_job_in_process": "headwater.api",
    "load_asset_value": "headwater.api",
}


def call(name: str, *args: Any, **kwargs: Any) -> Any:
    """Call the function ``name`` of the layer above (see ``_TARGETS``)."""
    module = importlib.import_module(_TARGETS[name])
    return getattr(module, name)(*args, **kwargs)
