"""Put on ``PYTHONPATH`` by ``headwater compat run``: redirects ``import dagster`` to headwater.

Python imports ``sitecustomize`` at start-up, from the first ``sys.path`` entry that has one, so
every Python process started under ``headwater compat run`` runs this file. It adds a small
finder to ``sys.meta_path`` that imports headwater's hook (:mod:`headwater.compat.importer`)
only when a module whose name starts with ``dagster`` is first imported, so processes that never
import Dagster pay nothing. Then it runs the ``sitecustomize`` it shadows, if the environment
has one.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from typing import Any

_HERE = os.path.dirname(os.path.abspath(__file__))


class _LazyDagsterFinder:
    """Installs headwater's finder on the first ``dagster*`` import, then steps aside."""

    @staticmethod
    def find_spec(fullname: str, path: Any = None, target: Any = None) -> Any:
        if not fullname.startswith("dagster"):
            return None
        if _LAZY in sys.meta_path:
            sys.meta_path.remove(_LAZY)
        try:
            from headwater.compat import importer
        except ImportError as exc:
            sys.stderr.write(
                f"headwater compat run: headwater is not importable by {sys.executable} ({exc});"
                " `import dagster` is not redirected in this process. Install headwater in"
                " this environment.\n"
            )
            return None
        importer.install()
        return importer.DagsterFinder.find_spec(importer._FINDER, fullname, path, target)


_LAZY = _LazyDagsterFinder()


def _run_shadowed_sitecustomize() -> None:
    path = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != _HERE]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules[__name__] = module
    spec.loader.exec_module(module)


if os.environ.get("HEADWATER_COMPAT_HOOK") == "1":
    sys.meta_path.insert(0, _LAZY)
_run_shadowed_sitecustomize()
