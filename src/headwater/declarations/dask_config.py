"""The config of the Dask executor (pure data and its validation; the executor itself is
:mod:`headwater.execution.executors.dask`).

A ``dask_executor`` config chooses a cluster::

    {"cluster": {"local": {"n_workers": 2, "threads_per_worker": 1, "processes": True}}}
    {"cluster": {"existing": {"address": "tcp://10.0.0.5:8786", "timeout": 10}}}

and a step asks for Dask worker resources with op tags named ``dask/resource/<NAME>``
(:data:`RESOURCE_TAG_PREFIX`): ``op_tags={"dask/resource/GPU": "1"}`` runs the step only on a
worker started with ``--resources GPU=1``, holding one unit while it runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from headwater.errors import DefinitionError

#: Op / asset ``op_tags`` starting with this prefix are Dask resource requirements:
#: ``{"dask/resource/GPU": "1"}`` -> ``resources={"GPU": 1.0}`` when the step is submitted.
RESOURCE_TAG_PREFIX = "dask/resource/"

_LOCAL_KEYS = ("n_workers", "threads_per_worker", "processes")
_EXISTING_KEYS = ("address", "timeout")


@dataclass(frozen=True, slots=True, kw_only=True)
class DaskConfig:
    """The validated config of a Dask executor.

    Attributes:
        address: the scheduler of an existing cluster (``"tcp://host:8786"``); ``None``: the
            run starts a ``LocalCluster`` of its own and closes it when the run ends.
        timeout: seconds to wait for the existing scheduler to answer (default 10).
        n_workers: worker processes (or threads) of the local cluster (``None``: Dask's
            default, from the CPU count).
        threads_per_worker: threads of each local worker, i.e. steps it runs at once (default 1).
        processes: local workers are processes (``True``, the default) or threads of the run's
            process.
    """

    address: str | None = None
    timeout: float = 10.0
    n_workers: int | None = None
    threads_per_worker: int = 1
    processes: bool = True


def dask_config_errors(config: Any, path: str) -> list[tuple[str, str]]:
    """What is wrong with a ``dask_executor`` config (``(path, what is expected)`` pairs)."""
    if not isinstance(config, Mapping):
        return [(path, f"expected a dict, got {config!r}")]
    errors = [(f"{path}.{k}", "unknown key; expected cluster") for k in config if k != "cluster"]
    cluster = config.get("cluster")
    if cluster is None:
        return errors
    where = f"{path}.cluster"
    if not isinstance(cluster, Mapping) or len(cluster) != 1:
        return [*errors, (where, f"expected {{'local': {{...}}}} or {{'existing': {{'address': "
                                 f"...}}}}, got {cluster!r}")]  # fmt: skip
    (kind, options), = cluster.items()
    options = {} if options is None else options
    if kind not in ("local", "existing"):
        return [*errors, (f"{where}.{kind}", "unknown cluster; expected local or existing")]
    if not isinstance(options, Mapping):
        return [*errors, (f"{where}.{kind}", f"expected a dict, got {options!r}")]
    at = f"{where}.{kind}"
    allowed = _LOCAL_KEYS if kind == "local" else _EXISTING_KEYS
    errors += [(f"{at}.{k}", f"unknown key; expected one of {', '.join(allowed)}")
               for k in options if k not in allowed]  # fmt: skip
    if kind == "existing":
        address = options.get("address")
        if not isinstance(address, str) or not address:
            expected = "expected the scheduler address, e.g. 'tcp://127.0.0.1:8786'"
            errors.append((f"{at}.address", f"{expected}, got {address!r}"))
        timeout = options.get("timeout", 10)
        if not _is_number(timeout) or timeout <= 0:
            errors.append((f"{at}.timeout", f"expected seconds > 0, got {timeout!r}"))
        return errors
    for key in ("n_workers", "threads_per_worker"):
        value = options.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 1):  # fmt: skip
            errors.append((f"{at}.{key}", f"expected an int >= 1, got {value!r}"))
    if not isinstance(options.get("processes", True), bool):
        errors.append((f"{at}.processes", f"expected true or false, got "
                                          f"{options['processes']!r}"))  # fmt: skip
    return errors


def dask_config(config: Mapping[str, Any]) -> DaskConfig:
    """``config`` (valid, see :func:`dask_config_errors`) as a :class:`DaskConfig`."""
    cluster = config.get("cluster") or {"local": {}}
    (kind, options), = cluster.items()
    options = options or {}
    if kind == "existing":
        return DaskConfig(address=options["address"], timeout=float(options.get("timeout", 10)))
    return DaskConfig(
        n_workers=options.get("n_workers"),
        threads_per_worker=options.get("threads_per_worker") or 1,
        processes=options.get("processes", True),
    )


def dask_resources(tags: Mapping[str, str], where: str = "") -> dict[str, float]:
    """The Dask resources a step with op ``tags`` requires (from ``dask/resource/NAME`` tags).

    Raises:
        DefinitionError: a resource tag whose value is not a number > 0 (``where`` names the
            step).
    """
    resources: dict[str, float] = {}
    for key, value in tags.items():
        if not key.startswith(RESOURCE_TAG_PREFIX):
            continue
        name = key[len(RESOURCE_TAG_PREFIX):]
        try:
            amount = float(value)
        except (TypeError, ValueError):
            amount = math.nan
        if not name or not amount > 0 or math.isinf(amount):
            raise DefinitionError(
                f"{where}: tag {key!r}={value!r} is not a Dask resource requirement; write "
                f"'{RESOURCE_TAG_PREFIX}NAME': 'AMOUNT' with a number > 0, e.g. "
                f"{{'{RESOURCE_TAG_PREFIX}GPU': '1'}}."
            )
        resources[name] = amount
    return resources


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
