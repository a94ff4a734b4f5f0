"""The one place the arguments of a user function are assembled, for every kind of step.

An asset, an op (in a job or inside a graph asset) and an observation function all declare the
same kinds of parameters (see ``declarations.signature.FunctionParams``): inputs, resources, a
config parameter and a context parameter. :func:`user_kwargs` maps what a step has onto them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.declarations.signature import FunctionParams


def user_kwargs(
    params: FunctionParams,
    *,
    inputs: Mapping[str, Any],
    resources: Any,
    config: Any = None,
    context: Any = None,
) -> dict[str, Any]:
    """Keyword arguments for a call of a user function.

    Args:
        params: the function's analysed parameters.
        inputs: input parameter -> loaded value (only the parameters that take one).
        resources: the run's initialized resources, indexed by resource key.
        config: the validated config (``Config`` object), for the config parameter.
        context: the execution context, for the context parameter.

    Returns:
        Parameter name -> value.

    Example:
        >>> from headwater.declarations.signature import analyze_function
        >>> def total(context, numbers: list[int]) -> int: ...
        >>> params = analyze_function(total, where="asset 'total'")
        >>> sorted(user_kwargs(params, inputs={"numbers": [1]}, resources={}, context="ctx"))
        ['context', 'numbers']
    """
    kwargs = dict(inputs)
    for param, resource_key in params.resource_params.items():
        kwargs[param] = resources[resource_key]
    if params.config_param is not None:
        kwargs[params.config_param[0]] = config
    if params.context_param is not None and context is not None:
        kwargs[params.context_param] = context
    return kwargs
