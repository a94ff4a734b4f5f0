"""Reading what a decorated function asks for from its parameters (fast: no inspect.signature)."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from headwater.declarations._gc import frozen
from headwater.errors import DefinitionError

_CONTEXT_TYPE_NAMES = frozenset(
    {"AssetExecutionContext", "OpExecutionContext", "AssetCheckExecutionContext"}
)
_RESOURCE_PARAM_NAMES = frozenset({"ResourceParam"})

MISSING: Any = object()


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionParams:
    """The roles of a user function's parameters.

    Attributes:
        context_param: name of the context parameter, if any.
        config_param: name of the ``Config`` parameter, if any, and its class.
        resource_params: parameter name -> resource key for resource parameters.
        input_params: parameters that receive upstream values, in order.
        annotations: resolved annotations by parameter name (``"return"`` included).
        defaults: parameters with a default value.
        var_keyword: the function takes ``**kwargs`` (inputs declared only in ``ins=`` reach
            it by name).
    """

    context_param: str | None
    config_param: tuple[str, type[Any]] | None
    resource_params: dict[str, str]
    input_params: tuple[str, ...]
    annotations: dict[str, Any]
    defaults: frozenset[str]
    var_keyword: bool = False

    @property
    def return_annotation(self) -> Any:
        """The resolved return annotation, or ``MISSING``."""
        return self.annotations.get("return", MISSING)


_BUILTIN_ANNOTATIONS: dict[str, Any] = {
    "None": None, "int": int, "str": str, "float": float, "bool": bool, "bytes": bytes,
    "list": list, "dict": dict, "tuple": tuple, "set": set, "object": object,
}  # fmt: skip


def _resolve(annotation: Any, fn: Callable[..., Any]) -> Any:
    if not isinstance(annotation, str):
        return annotation
    fn_globals = getattr(fn, "__globals__", {})
    if annotation in _BUILTIN_ANNOTATIONS and annotation not in fn_globals:
        return _BUILTIN_ANNOTATIONS[annotation]
    try:
        return eval(annotation, fn_globals)
    except Exception:
        pass
    # A class defined in the enclosing function: look in the decorating frame's locals.
    try:
        return eval(annotation, fn_globals, _user_frame_locals())
    except Exception:
        return annotation  # unresolvable forward reference: keep the text


def _user_frame_locals() -> dict[str, Any]:
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith("headwater."):
        frame = frame.f_back
    return dict(frame.f_locals)


def _is_subclass_of_loaded(annotation: Any, module: str, name: str) -> bool:
    """True when ``annotation`` subclasses ``module.name`` (only if that module is loaded)."""
    mod = sys.modules.get(module)
    base = getattr(mod, name, None) if mod is not None else None
    return base is not None and isinstance(annotation, type) and issubclass(annotation, base)


def is_config_class(annotation: Any) -> bool:
    """Whether ``annotation`` is a ``Config`` subclass (without importing pydantic)."""
    config_module = "headwater.declarations.config.base"
    return _is_subclass_of_loaded(annotation, config_module, "Config") and not (
        is_resource_class(annotation)
    )


def is_resource_class(annotation: Any) -> bool:
    """Whether ``annotation`` is a ``ConfigurableResource`` subclass or ``ResourceParam[...]``."""
    if getattr(annotation, "__metadata__", None) and any(
        getattr(m, "__name__", None) in _RESOURCE_PARAM_NAMES or m == "resource_param"
        for m in annotation.__metadata__
    ):
        return True
    return _is_subclass_of_loaded(
        annotation, "headwater.declarations.resources.configurable", "ConfigurableResource"
    ) or _is_subclass_of_loaded(annotation, "headwater.declarations.io_managers.base", "IOManager")


def analyze_function(
    fn: Callable[..., Any], *, where: str, allow_var_keyword: bool = False
) -> FunctionParams:
    """Classify ``fn``'s parameters into context, config, resources and inputs.

    Args:
        fn: the decorated function.
        where: names the definition in error messages (``"asset 'orders'"``).
        allow_var_keyword: accept ``**kwargs`` (``@asset``/``@op``, whose ``ins=`` then name
            inputs that have no parameter of their own; see :func:`with_var_keyword_inputs`).

    Raises:
        DefinitionError: for ``*args``, or ``**kwargs`` where it is not allowed.
    """
    code = getattr(fn, "__code__", None)
    if code is None:
        raise DefinitionError(f"{where}: expected a plain function, got {fn!r}.")
    var_keyword = bool(code.co_flags & 0x08)
    if code.co_flags & 0x04 or (var_keyword and not allow_var_keyword):
        raise DefinitionError(
            f"{where}: *args{'' if allow_var_keyword else ' and **kwargs'} are not supported; "
            "name each upstream asset as a parameter"
            f"{' (or declare it in ins= and take **kwargs)' if allow_var_keyword else ''}."
        )
    nparams = code.co_argcount + code.co_kwonlyargcount
    names = code.co_varnames[:nparams]
    raw = getattr(fn, "__annotations__", {})
    annotations = {name: _resolve(ann, fn) for name, ann in raw.items()}
    n_defaults = len(getattr(fn, "__defaults__", None) or ())
    defaults = set(names[code.co_argcount - n_defaults : code.co_argcount])
    defaults |= set(getattr(fn, "__kwdefaults__", None) or {})

    context_param = None
    config_param = None
    resources: dict[str, str] = {}
    inputs: list[str] = []
    for index, name in enumerate(names):
        ann = annotations.get(name, MISSING)
        ann_name = getattr(ann, "__name__", ann if isinstance(ann, str) else None)
        if index == 0 and (name in ("context", "_context") or ann_name in _CONTEXT_TYPE_NAMES):
            context_param = name
        elif ann_name in _CONTEXT_TYPE_NAMES:
            raise DefinitionError(f"{where}: the context parameter {name!r} must come first.")
        elif is_resource_class(ann):
            resources[name] = name
        elif is_config_class(ann):
            config_param = (name, ann)
        else:
            inputs.append(name)
    return FunctionParams(
        context_param=context_param,
        config_param=config_param,
        resource_params=resources,
        input_params=tuple(inputs),
        annotations=annotations,
        defaults=frozen(defaults),
        var_keyword=var_keyword,
    )


def with_var_keyword_inputs(params: FunctionParams, names: Iterable[str]) -> FunctionParams:
    """``params`` with ``names`` (``ins=`` entries without a parameter) added as inputs, passed
    through the function's ``**kwargs``; ``params`` itself when it has no ``**kwargs``."""
    extra = tuple(n for n in names if n not in params.input_params)
    if not params.var_keyword or not extra:
        return params
    return dataclasses.replace(params, input_params=(*params.input_params, *extra))
