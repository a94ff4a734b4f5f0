"""Run config: validation, environment variables, files; without importing pydantic.

:func:`validate_run_config` checks a whole run config (``{"ops": {"<name>": {"config":
{...}}}}``) before anything runs and reports every bad path in one
:class:`~headwater.errors.InvalidConfigError`. :class:`EnvVar` names an environment variable
read when a run starts, for resource fields that hold secrets or vary per deployment.

The :class:`~headwater.declarations.config.base.Config` base class and everything else that
needs pydantic live in ``config.base``, imported only by code that has a ``Config`` class in
hand: a run whose assets and resources take no config never imports pydantic (it costs about
100 ms to import). :func:`is_config_class` and :func:`is_resource_class` look for the base
classes only in modules already loaded: a user cannot have subclassed them otherwise.
"""

from __future__ import annotations

import builtins
import difflib
import json
import os
import sys
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from headwater.errors import DefinitionError, InvalidConfigError

if TYPE_CHECKING:
    from headwater.declarations.config.base import Config as Config
    from headwater.declarations.config.base import PermissiveConfig as PermissiveConfig
    from headwater.declarations.config.base import ResourceConfigBase as ResourceConfigBase
    from headwater.declarations.config.base import config_errors as config_errors

__all__ = [
    "EnvVar",
    "IntEnvVar",
    "ResolvedRunConfig",
    "RunConfig",
    "is_config_class",
    "is_resource_class",
    "load_run_config_file",
    "validate_run_config",
]

_TOP_LEVEL_KEYS = ("ops", "resources", "execution", "loggers")
ROOT_CONFIG_KEY = "__root__"
"""Where the resolved run config of a resource with a non-dict legacy schema is kept."""

_CONFIG_MODULE = "headwater.declarations.config.base"
# Names defined here before they moved to ``config.base``; imported (with pydantic) on first
# access (PEP 562), so old imports keep working and importing this module stays cheap.
_MOVED = frozenset({"Config", "PermissiveConfig", "ResourceConfigBase", "config_errors"})


def __getattr__(name: str) -> Any:
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_CONFIG_MODULE), name)


_RESOURCE_BASES = (
    ("headwater.declarations.resources.configurable", "ConfigurableResource"),
    ("headwater.declarations.io_managers.base", "IOManager"),
)


class EnvVar(str):
    """The name of an environment variable whose value is read when a run starts.

    ``EnvVar`` is a ``str`` (its text is the variable's *name*), so it can be given where a
    resource field expects a string. The value is never read while definitions load, and
    neither ``str()`` nor ``repr()`` reveals it.

    Args:
        name: the environment variable's name.

    Raises:
        DefinitionError: if ``name`` is empty.

    Example:
        >>> password = EnvVar("DB_PASSWORD")
        >>> password
        EnvVar('DB_PASSWORD')
        >>> password.name
        'DB_PASSWORD'
    """

    __slots__ = ()

    def __new__(cls, name: str) -> EnvVar:
        if not isinstance(name, str) or not name:
            raise DefinitionError(
                f"EnvVar needs the name of an environment variable, got {name!r}; "
                'e.g. EnvVar("DB_PASSWORD").'
            )
        return super().__new__(cls, name)

    @property
    def name(self) -> str:
        """The environment variable's name."""
        return builtins.str.__str__(self)

    @property
    def env_var_name(self) -> str:
        """Alias of :attr:`name`."""
        return self.name

    def get_value(self, default: str | None = None) -> str | None:
        """Read the variable now.

        Args:
            default: returned when the variable is not set.

        Returns:
            The variable's value, or ``default``.
        """
        return os.environ.get(self.name, default)

    def __repr__(self) -> str:
        return f"EnvVar({self.name!r})"

    @classmethod
    def int(cls, name: str) -> builtins.int:
        """An environment variable holding an integer, for ``int`` resource fields.

        Example:
            >>> EnvVar.int("DB_PORT")
            EnvVar.int('DB_PORT')
        """
        return IntEnvVar(name)


class IntEnvVar(int):
    """An environment variable holding an integer; made by :meth:`EnvVar.int`.

    It is an ``int`` (with value 0) so it type-checks where an int is expected; only its
    :attr:`name` matters.
    """

    name: str

    def __new__(cls, name: str) -> IntEnvVar:
        if not isinstance(name, str) or not name:
            raise DefinitionError(
                f"EnvVar.int needs the name of an environment variable, got {name!r}."
            )
        obj = super().__new__(cls, 0)
        obj.name = name
        return obj

    @property
    def env_var_name(self) -> str:
        """Alias of :attr:`name`."""
        return self.name

    def get_value(self, default: str | None = None) -> str | None:
        """Read the variable now (as text; the resource field converts it to int)."""
        return os.environ.get(self.name, default)

    def __reduce__(self) -> tuple[type[IntEnvVar], tuple[str]]:
        return (IntEnvVar, (self.name,))

    def __repr__(self) -> str:
        return f"EnvVar.int({self.name!r})"

    def __str__(self) -> str:
        return repr(self)


def env_var_name(value: object) -> str | None:
    """The variable's name if ``value`` is an :class:`EnvVar` or :class:`IntEnvVar`."""
    if isinstance(value, EnvVar | IntEnvVar):
        return value.name
    return None


def is_config_class(annotation: object) -> bool:
    """Whether ``annotation`` is a :class:`Config` subclass (and not a resource).

    Does not import pydantic: without ``config.base`` loaded no class can subclass ``Config``.
    """
    config = getattr(sys.modules.get(_CONFIG_MODULE), "Config", None)
    return (
        config is not None
        and isinstance(annotation, type)
        and issubclass(annotation, config)
        and not is_resource_class(annotation)
    )


def is_resource_class(annotation: object) -> bool:
    """Whether ``annotation`` is a resource: ``ResourceParam[T]``, or a subclass of
    ``ConfigurableResource`` or ``IOManager``.

    Does not import pydantic or the resources module when they are not loaded yet.
    """
    if get_origin(annotation) is Annotated:
        return "resource_param" in get_args(annotation)[1:]
    if not isinstance(annotation, type):
        return False
    bases = [getattr(sys.modules.get(module), name, None) for module, name in _RESOURCE_BASES]
    return any(isinstance(base, type) and issubclass(annotation, base) for base in bases)


def is_model(value: object) -> bool:
    """Whether ``value`` is a pydantic model instance (a ``Config``, a resource), without
    importing pydantic."""
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(value, pydantic.BaseModel)


# ---------------------------------------------------------------------------------------------
# Run config


def describe_value(value: object) -> str:
    """``repr(value)`` (cut at 80 characters) and its type, for error messages."""
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} ({type(value).__name__})"


@dataclass(frozen=True)
class RunConfig:
    """Run config built from Python objects instead of nested dicts.

    Args:
        ops: op (asset) name -> a :class:`Config` instance or the op's config dict.
        resources: resource key -> its config dict (``{"field": value}``).
        loggers: passed through (reserved).
        execution: passed through (reserved).

    Example:
        >>> from headwater import Config
        >>> class OrdersConfig(Config):
        ...     limit: int = 10
        >>> RunConfig(ops={"orders": OrdersConfig(limit=5)}).to_config_dict()
        {'ops': {'orders': {'config': {'limit': 5}}}}
    """

    ops: Mapping[str, Any] | None = None
    resources: Mapping[str, Any] | None = None
    loggers: Mapping[str, Any] | None = None
    execution: Mapping[str, Any] | None = None

    def _to_dict(self, *, dump: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if self.ops:
            result["ops"] = {name: _op_entry(value, dump=dump) for name, value in self.ops.items()}
        if self.resources:
            result["resources"] = {
                key: _op_entry(value, dump=True) for key, value in self.resources.items()
            }
        if self.loggers:
            result["loggers"] = dict(self.loggers)
        if self.execution:
            result["execution"] = dict(self.execution)
        return result

    def to_config_dict(self) -> dict[str, Any]:
        """The equivalent plain run config dict (Config instances dumped to dicts)."""
        return self._to_dict(dump=True)


def _op_entry(value: Any, *, dump: bool) -> Any:
    if is_model(value):
        return {"config": value.model_dump() if dump else value}
    if isinstance(value, Mapping) and set(value) <= {"config"}:
        return dict(value)
    return {"config": value}


@dataclass(frozen=True)
class ResolvedRunConfig:
    """A validated run config.

    Attributes:
        ops: op name -> its validated :class:`Config` instance (``None`` if it takes none).
        resources: resource key -> the config given for it in run config.
        execution: the ``execution`` section, unvalidated.
        loggers: the ``loggers`` section, unvalidated.
        inputs: op node -> input name -> value, for op inputs that run config gives
            (``ops.<node>.inputs``).
    """

    ops: Mapping[str, Config | None] = field(default_factory=dict)
    resources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    execution: Mapping[str, Any] = field(default_factory=dict)
    loggers: Mapping[str, Any] = field(default_factory=dict)
    inputs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def op_config(self, name: str) -> Config | None:
        """The config instance for op (asset) ``name``; ``None`` if it takes no config."""
        return self.ops.get(name)

    def resource_config(self, key: str) -> dict[str, Any]:
        """The config given in run config for resource ``key`` (``{}`` when none)."""
        return dict(self.resources.get(key, {}))


def _suggest(name: str, known: Mapping[str, Any] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (known: {', '.join(sorted(known))})" if known else ""


def _section(raw: Mapping[str, Any], key: str, errors: list[tuple[str, str]]) -> Mapping[str, Any]:
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        errors.append((key, f"expected mapping, got {describe_value(value)}"))
        return {}
    return value


def _entry_config(
    path: str, entry: Any, errors: list[tuple[str, str]], *, takes_inputs: bool = False
) -> tuple[bool, Any]:
    """Read ``{"config": ...}`` (and ``"inputs"`` when ``takes_inputs``); returns (given,
    config value)."""
    if is_model(entry):
        return True, entry
    if not isinstance(entry, Mapping):
        errors.append((path, f"expected mapping with a 'config' key, got {describe_value(entry)}"))
        return False, None
    allowed = ("config", "inputs") if takes_inputs else ("config",)
    for extra in entry:
        if extra not in allowed:
            only = " or ".join(f"'{k}'" for k in allowed)
            errors.append((f"{path}.{extra}", f"unknown key (only {only} is allowed here)"))
    return "config" in entry, entry.get("config")


def _validate_inputs(
    name: str, wanted: Sequence[str], entry: Any, errors: list[tuple[str, str]]
) -> dict[str, Any]:
    """The values ``ops.<name>.inputs`` gives the op's unconnected inputs ``wanted``."""
    path = f"ops.{name}.inputs"
    given = entry.get("inputs") if isinstance(entry, Mapping) else None
    if given is None:
        given = {}
    if not isinstance(given, Mapping):
        got = describe_value(given)
        errors.append((path, f"expected mapping of input name to value, got {got}"))
        return {}
    for extra in given:
        if extra not in wanted:
            hint = _suggest(str(extra), tuple(wanted))
            errors.append((f"{path}.{extra}", f"unknown input{hint}"))
    for input_name in wanted:
        if input_name not in given:
            errors.append(
                (f"{path}.{input_name}", "missing: the input is not connected to another op's "
                 "output, so run config must give its value")
            )  # fmt: skip
    return {k: v for k, v in given.items() if k in wanted}


def _validate_op(
    name: str,
    schema: type[Config] | None,
    entry: Any,
    errors: list[tuple[str, str]],
    takes_inputs: bool = False,
) -> Config | None:
    path = f"ops.{name}"
    given, value = (
        (False, None) if entry is None
        else _entry_config(path, entry, errors, takes_inputs=takes_inputs)
    )  # fmt: skip
    if schema is None:
        if given and value not in (None, {}):
            errors.append((f"{path}.config", f"'{name}' takes no config"))
        return None
    from headwater.declarations.config.base import validate_config

    env_errors: list[tuple[str, str]] = []
    value, hidden = _read_op_env_vars(schema, value, f"{path}.config", env_errors)
    validated = validate_config(schema, value, f"{path}.config", errors, hidden=hidden)
    unset = {where for where, _ in env_errors}
    errors[:] = [e for e in errors if e[0] not in unset]  # one problem per field: the variable
    errors.extend(env_errors)
    return None if env_errors else validated


_SCALARS = (str, int, float, bool)


def _read_op_env_vars(
    schema: type[Config], value: Any, path: str, errors: list[tuple[str, str]]
) -> tuple[Any, dict[str, str]]:
    """Resolve ``{"env": "NAME"}`` given for a scalar field of an op's config.

    As in Dagster (a ``str``/``int``/``float``/``bool`` field of a ``Config`` accepts the
    ``StringSource``-style form), the variable is read now, when the run's config is
    validated. Returns the config with the values read, and field -> what to show instead of
    a value read (never the value itself).
    """
    if not isinstance(value, Mapping) or not any(_is_env_ref(v) for v in value.values()):
        return value, {}
    fields = getattr(schema, "model_fields", {})
    resolved = dict(value)
    hidden: dict[str, str] = {}
    for name, given in value.items():
        info = fields.get(name)
        if not _is_env_ref(given) or info is None or not _is_scalar(info.annotation):
            continue
        var = given["env"]
        text = os.environ.get(var)
        if text is None:
            errors.append((f"{path}.{name}", f"environment variable '{var}' is not set"))
            del resolved[name]
            continue
        resolved[name] = text
        hidden[name] = f"the value of environment variable '{var}'"
    return resolved, hidden


def _is_env_ref(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) == {"env"} and isinstance(value["env"], str)


def _is_scalar(annotation: Any) -> bool:
    members = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else ()
    candidates = [m for m in members if m is not type(None)] or [annotation]
    return all(c in _SCALARS for c in candidates)


def _validate_resource(
    key: str, schema: type[Config] | None, entry: Any, errors: list[tuple[str, str]]
) -> Mapping[str, Any]:
    path = f"resources.{key}"
    given, value = _entry_config(path, entry, errors)
    if is_model(value):
        value = value.model_dump()
    if getattr(schema, "hw_scalar_root", False):  # a legacy schema such as str
        if given:
            from headwater.declarations.config.base import validate_root

            validate_root(schema, value, f"{path}.config", errors)  # type: ignore[arg-type]
        return {ROOT_CONFIG_KEY: value} if given else {}
    if not given or value is None:
        return {}
    if not isinstance(value, Mapping):
        errors.append((f"{path}.config", f"expected mapping, got {describe_value(value)}"))
        return {}
    if schema is None:
        if value:
            errors.append((f"{path}.config", f"resource '{key}' takes no config"))
        return {}
    value = env_var_refs(value)
    from headwater.declarations.config.base import check_partial_config

    # The resource definition may supply the fields run config leaves out.
    check_partial_config(schema, value, f"{path}.config", errors)
    return value


def env_var_refs(values: Mapping[str, Any]) -> dict[str, Any]:
    """Replace ``{"env": "NAME"}`` values (the run config YAML form) with :class:`EnvVar`."""
    return {
        k: EnvVar(v["env"])
        if isinstance(v, Mapping) and set(v) == {"env"} and isinstance(v["env"], str)
        else v
        for k, v in values.items()
    }


def validate_run_config(
    run_config: Mapping[str, Any] | RunConfig | None,
    *,
    config_schemas: Mapping[str, type[Config] | None],
    resource_schemas: Mapping[str, type[Config] | None] | None = None,
    config_inputs: Mapping[str, Sequence[str]] | None = None,
) -> ResolvedRunConfig:
    """Validate a whole run config before anything runs.

    Args:
        run_config: ``{"ops": {"<op>": {"config": {...}}}, "resources": {"<key>":
            {"config": {...}}}}`` (``execution`` and ``loggers`` are accepted and passed
            through), a :class:`RunConfig`, or ``None``.
        config_schemas: every op (asset op) of the run -> its :class:`Config` class, or
            ``None`` if it takes no config.
        resource_schemas: every resource key -> its config class, or ``None`` if it takes no
            config; ``None`` means no resource accepts config. Resource config may be partial
            (the resource definition supplies the rest), so missing fields are not reported here.
        config_inputs: op node -> its unconnected inputs, whose values run config must give
            (``{"ops": {node: {"inputs": {name: value}}}}``).

    Returns:
        The validated config. Ops absent from ``run_config`` whose Config has defaults for
        every field get a default instance.

    Raises:
        InvalidConfigError: listing every bad path, e.g.
            ``ops.orders.config.limit: expected int, got 'ten' (str)``.

    Example:
        >>> from headwater import Config
        >>> class OrdersConfig(Config):
        ...     limit: int = 10
        >>> resolved = validate_run_config(
        ...     {"ops": {"orders": {"config": {"limit": 5}}}},
        ...     config_schemas={"orders": OrdersConfig, "customers": None},
        ... )
        >>> resolved.op_config("orders")
        OrdersConfig(limit=5)
    """
    errors: list[tuple[str, str]] = []
    if isinstance(run_config, RunConfig):
        raw: Mapping[str, Any] = run_config._to_dict(dump=False)
    elif run_config is None:
        raw = {}
    elif isinstance(run_config, Mapping):
        raw = run_config
    else:
        raise InvalidConfigError(
            f"Run config must be a mapping or a RunConfig, got {describe_value(run_config)}."
        )
    for key in raw:
        if key not in _TOP_LEVEL_KEYS:
            errors.append((str(key), f"unknown top-level key{_suggest(str(key), _TOP_LEVEL_KEYS)}"))
    ops_section = _section(raw, "ops", errors)
    for name in ops_section:
        if name not in config_schemas:
            errors.append((f"ops.{name}", f"unknown op{_suggest(str(name), config_schemas)}"))
    config_inputs = config_inputs or {}
    ops = {
        name: _validate_op(name, schema, ops_section.get(name), errors, name in config_inputs)
        for name, schema in config_schemas.items()
    }
    inputs = {
        name: _validate_inputs(name, wanted, ops_section.get(name), errors)
        for name, wanted in config_inputs.items()
    }
    resource_schemas = resource_schemas or {}
    resources: dict[str, Mapping[str, Any]] = {}
    for key, entry in _section(raw, "resources", errors).items():
        if key not in resource_schemas:
            errors.append(
                (f"resources.{key}", f"unknown resource{_suggest(str(key), resource_schemas)}")
            )
            continue
        resources[key] = _validate_resource(key, resource_schemas[key], entry, errors)
    execution = _section(raw, "execution", errors)
    loggers = _section(raw, "loggers", errors)
    if errors:
        raise InvalidConfigError(
            f"Run config is invalid ({len(errors)} problem{'s' if len(errors) > 1 else ''}); "
            "nothing was run.",
            errors,
        )
    return ResolvedRunConfig(
        ops=ops, resources=resources, execution=dict(execution), loggers=dict(loggers),
        inputs=inputs,
    )  # fmt: skip


def load_run_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read run config from a YAML (or ``.json``) file.

    Args:
        path: the file; an empty file is an empty run config.

    Returns:
        The run config dict, to pass to :func:`validate_run_config`.

    Raises:
        InvalidConfigError: the file is missing, does not parse (the message gives the file,
            line and column), or its top level is not a mapping.

    Example:
        >>> from pathlib import Path
        >>> _ = Path("run_config.yaml").write_text("ops: {orders: {config: {limit: 5}}}")
        >>> load_run_config_file("run_config.yaml")
        {'ops': {'orders': {'config': {'limit': 5}}}}
        >>> load_run_config_file("missing.yaml")
        Traceback (most recent call last):
        ...
        headwater.errors.InvalidConfigError: Cannot read run config file 'missing.yaml': ...
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidConfigError(f"Cannot read run config file '{file}': {exc.strerror}.") from exc
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as exc:
            raise InvalidConfigError(
                f"Run config file '{file}' is not valid JSON: line {exc.lineno}, "
                f"column {exc.colno}: {exc.msg}."
            ) from exc
    else:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise InvalidConfigError(
                f"Run config file '{file}' is not valid YAML: {where}{problem}."
            ) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidConfigError(
            f"Run config file '{file}' must hold a mapping at the top level "
            f"(ops/resources/...), got {type(data).__name__}."
        )
    return data
