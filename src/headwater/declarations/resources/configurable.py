"""``ConfigurableResource``: a resource configured by typed fields (a pydantic model).

Importing this module imports pydantic; the run machinery in ``resources.definition`` does
not, and recognises these resources only when this module is loaded (a user who bound one
has imported it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Self

from pydantic import PrivateAttr

from headwater.declarations.config.base import ResourceConfigBase
from headwater.declarations.resources.context import InitResourceContext
from headwater.declarations.resources.definition import PartialResource

__all__ = ["ConfigurableResource"]


class ConfigurableResource(ResourceConfigBase):
    """Base class for resources configured by typed fields.

    Fields are validated like :class:`~headwater.declarations.config.base.Config` (the instance is
    immutable). A field may hold an ``EnvVar``, read when a run starts: the instance given to
    user code holds the real value, the definition keeps the ``EnvVar``, and ``repr()`` of
    either shows only the variable's name. A field holding another ``ConfigurableResource``
    makes it a dependency, set up first.

    Keep runtime state (connections, clients) in pydantic private attributes
    (``_conn: Any = PrivateAttr(default=None)``), which can be set even though the model is
    frozen, and create it in :meth:`setup_for_execution`.

    Example:
        >>> class Warehouse(ConfigurableResource):
        ...     path: str
        ...     def query(self, sql: str) -> str:
        ...         return f"{self.path}: {sql}"
        >>> Warehouse(path="db.duckdb").query("select 1")
        'db.duckdb: select 1'
    """

    _hw_env_fields: dict[str, str] = PrivateAttr(default_factory=dict)

    @classmethod
    def configure_at_launch(cls, **values: Any) -> PartialResource:
        """This resource with its fields (those not given here) taken from run config.

        Bind the result like a resource
        (``Definitions(resources={"db": Db.configure_at_launch()})``) and give the fields when
        the run starts: ``run_config={"resources": {"db": {"config": {"path": ...}}}}``.

        Args:
            **values: fields set now; run config may override them.

        Returns:
            A :class:`~headwater.declarations.resources.definition.PartialResource`; a run
            validates the fields (``values`` and run config together) and sets the resource up
            as usual.

        Raises:
            DefinitionError: ``values`` names a field the class does not have.

        Example:
            >>> from headwater.declarations.resources.definition import initialize_resources
            >>> class Db(ConfigurableResource):
            ...     path: str
            >>> with initialize_resources({"db": Db.configure_at_launch()}, required_keys=["db"],
            ...                           run_config_resources={"db": {"path": "x.db"}}) as res:
            ...     res.db.path
            'x.db'
        """
        return PartialResource(cls, values)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """Called on the run's copy of the resource before any step uses it."""

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        """Called after the run's steps finished (also when they failed)."""

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[Self]:
        """Set up, yield the resource to the run, tear down.

        Override (as a ``@contextmanager`` generator that yields ``self``) to manage the
        lifecycle in one function; the default calls :meth:`setup_for_execution` and
        :meth:`teardown_after_execution`.
        """
        self.setup_for_execution(context)
        try:
            yield self
        finally:
            self.teardown_after_execution(context)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # Values read from environment variables are shown as the variable, never the value.
        env_fields = self._hw_env_fields if self.__pydantic_private__ is not None else {}
        for name, value in super().__repr_args__():
            if name in env_fields:
                yield name, _MaskedEnvVar(env_fields[name])
            else:
                yield name, value


class _MaskedEnvVar:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"EnvVar({self.name!r})"
