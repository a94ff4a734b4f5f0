"""``define_asset_job``: a named selection of assets to materialize together."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from headwater.errors import DefinitionError

IMPLICIT_ASSET_JOB_NAME = "__ASSET_JOB"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnresolvedAssetJobDefinition:
    """A job defined by an asset selection; resolved against a ``Definitions`` to execute it.

    Attributes:
        name: the job name (a Python identifier).
        selection: an ``AssetSelection``, a selection string, or a list of keys/assets.
        config: default run config.
        description, tags: documentation and run tags.
        executor_def: the executor (in-process by default).
    """

    name: str
    selection: Any = None
    config: Mapping[str, Any] | None = None
    description: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    run_tags: Mapping[str, str] = field(default_factory=dict)
    executor_def: Any = None
    partitions_def: Any = None
    op_retry_policy: Any = None


def define_asset_job(
    name: str,
    selection: Any = None,
    config: Mapping[str, Any] | None = None,
    description: str | None = None,
    tags: Mapping[str, str] | None = None,
    run_tags: Mapping[str, str] | None = None,
    executor_def: Any = None,
    partitions_def: Any = None,
    op_retry_policy: Any = None,
) -> UnresolvedAssetJobDefinition:
    """Define a job that materializes a selection of assets.

    Args:
        name: job name; letters, digits and underscores.
        selection: what to materialize: an ``AssetSelection``, a selection string such as
            ``"group:raw+"``, or a sequence of keys / asset definitions. ``None`` means all.
        config: default run config (``{"ops": {...}}``), merged under the run's own config.
        description: shown in the CLI and UI.
        tags / run_tags: tags put on every run of the job.
        executor_def: the executor (reserved; in-process today).
        partitions_def: reserved for partitioned jobs.
        op_retry_policy: a ``RetryPolicy`` for every step without its own.

    Returns:
        An :class:`UnresolvedAssetJobDefinition`; pass it to ``Definitions(jobs=[...])``.

    Raises:
        DefinitionError: the name is not a valid identifier.

    Example:
        >>> job = define_asset_job("daily_refresh", selection="group:raw+")
        >>> job.name
        'daily_refresh'
    """
    if not name.isidentifier():
        raise DefinitionError(
            f"Job name {name!r} is not valid: use letters, digits and underscores, e.g. "
            f"{''.join(c if c.isalnum() else '_' for c in name)!r}."
        )
    return UnresolvedAssetJobDefinition(
        name=name,
        selection=selection,
        config=config,
        description=description,
        tags=dict(tags or {}),
        run_tags=dict(run_tags or {}),
        executor_def=executor_def,
        partitions_def=partitions_def,
        op_retry_policy=op_retry_policy,
    )


def coerce_selection(selection: Any) -> Any:
    """An ``AssetSelection`` from a string, a list of keys/assets, or an ``AssetSelection``."""
    from headwater.asset_graph.selection import AssetSelection

    if selection is None:
        return AssetSelection.all()
    if isinstance(selection, AssetSelection):
        return selection
    if isinstance(selection, str):
        return AssetSelection.from_string(selection)
    if isinstance(selection, Iterable):
        return AssetSelection.assets(*selection)
    raise DefinitionError(f"Cannot use {selection!r} as an asset selection.")
