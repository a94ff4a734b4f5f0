"""The context a resource is set up with, and the read-only mapping of a run's resources."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from headwater.errors import UnknownResourceError

__all__ = ["InitResourceContext", "Resources", "build_init_resource_context"]

Logger: TypeAlias = "logging.Logger | logging.LoggerAdapter[Any]"
DEFAULT_LOG = logging.getLogger("headwater.resources")


class Resources(Mapping[str, Any]):
    """The initialized resources of a run, by key: ``resources.warehouse`` or
    ``resources["warehouse"]``.

    Example:
        >>> resources = Resources({"warehouse": "duckdb://"})
        >>> resources.warehouse == resources["warehouse"]
        True
    """

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        object.__setattr__(self, "_values", dict(values or {}))

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise UnknownResourceError(
                f"No resource '{name}' here (available: {', '.join(self._values) or 'none'}). "
                "Declare it as a parameter or in required_resource_keys of the asset or op."
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Resources is read-only")

    def __repr__(self) -> str:
        return f"Resources({', '.join(self._values)})"


@dataclass(frozen=True)
class InitResourceContext:
    """What a resource receives while it is set up.

    Attributes:
        resource_config: the resource's validated config values.
        log: a logger for messages about the resource.
        instance: the headwater ``Instance`` of the run, if any.
        resources: the resources this one depends on.
    """

    # Not in repr: it may hold values read from environment variables.
    resource_config: Any = field(default_factory=dict, repr=False)
    log: Logger = DEFAULT_LOG
    instance: Any = None
    resources: Resources = field(default_factory=Resources)


def build_init_resource_context(
    config: Any = None,
    resources: Mapping[str, Any] | None = None,
    instance: Any = None,
) -> InitResourceContext:
    """Build an :class:`InitResourceContext` to test a resource directly.

    Args:
        config: the resource's config (a dict, or a scalar for a non-dict ``config_schema``);
            a ``ResourceDefinition`` called with the context validates it and fills defaults.
        resources: the resources it depends on, by key.
        instance: an ``Instance``, if the resource uses one.

    Returns:
        The context, with a logger named ``headwater.resources``.

    Example:
        >>> context = build_init_resource_context(config={"path": ":memory:"})
        >>> context.resource_config["path"]
        ':memory:'
    """
    return InitResourceContext(
        resource_config={}
        if config is None
        else dict(config)
        if isinstance(config, Mapping)
        else config,
        log=DEFAULT_LOG,
        instance=instance,
        resources=resources if isinstance(resources, Resources) else Resources(resources),
    )
