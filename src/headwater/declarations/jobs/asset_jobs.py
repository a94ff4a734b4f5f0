"""``define_asset_job``: a named selection of assets to materialize together."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from headwater.declarations.executors import coerce_executor_def
from headwater.declarations.ops.hooks import HookDefinition
from headwater.errors import DefinitionError

IMPLICIT_ASSET_JOB_NAME = "__ASSET_JOB"
# The job of a run made by materialize() / materialize_to_memory() (as Dagster names it).
EPHEMERAL_ASSET_JOB_NAME = "__ephemeral_asset_job__"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnresolvedAssetJobDefinition:
    """A job defined by an asset selection; resolved against a ``Definitions`` to execute it.

    Attributes:
        name: the job name (a Python identifier).
        selection: an ``AssetSelection``, a selection string, or a list of keys/assets.
        config: default run config.
        description, tags: documentation and run tags.
        metadata: metadata shown with the job.
        hooks: ``@success_hook`` / ``@failure_hook`` definitions run after every step.
        executor_def: how runs execute the steps (``None``: the ``Definitions``' executor).
    """

    name: str
    selection: Any = None
    config: Mapping[str, Any] | None = None
    description: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    run_tags: Mapping[str, str] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)
    partitions_def: Any = None
    hooks: frozenset[HookDefinition] = frozenset()
    op_retry_policy: Any = None
    executor_def: Any = None


def define_asset_job(
    name: str,
    selection: Any = None,
    config: Mapping[str, Any] | None = None,
    description: str | None = None,
    tags: Mapping[str, str] | None = None,
    run_tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    partitions_def: Any = None,
    executor_def: Any = None,
    hooks: Iterable[HookDefinition] | None = None,
    op_retry_policy: Any = None,
) -> UnresolvedAssetJobDefinition:
    """Define a job that materializes a selection of assets.

    Args:
        name: job name; letters, digits and underscores.
        selection: what to materialize: an ``AssetSelection``, a selection string such as
            ``"group:raw+"``, or a sequence of keys / asset definitions (kept as
            ``AssetSelection.assets(*selection)``). ``None`` means all.
        config: default run config (``{"ops": {...}}``), merged under the run's own config.
        description: shown in the CLI and UI.
        tags / run_tags: tags put on every run of the job.
        metadata: metadata shown with the job.
        partitions_def: the partitions of the job's assets (they must share it; default: the
            one the listed asset definitions share, if any).
        executor_def: how runs of the job execute their steps: ``in_process_executor``,
            ``multiprocess_executor`` (optionally ``.configured({"max_concurrent": 4})``) or
            ``multi_or_in_process_executor``; default: the ``Definitions``' executor, else
            ``multi_or_in_process_executor`` (in process for ``execute_in_process``,
            multiprocess for ``execute_job``).
        hooks: ``@success_hook`` / ``@failure_hook`` definitions run after every step of the
            job (a HOOK_COMPLETED or HOOK_ERRORED event records each hook's outcome; a failing hook
            never fails the run).
        op_retry_policy: a ``RetryPolicy`` for every step without its own.

    Returns:
        An :class:`UnresolvedAssetJobDefinition`; pass it to ``Definitions(jobs=[...])``.

    Raises:
        DefinitionError: the name is not a valid identifier, a hook is not a hook definition,
            or ``executor_def`` is not an executor definition.

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
    executor_def = coerce_executor_def(executor_def, f"Job {name!r}")
    hook_defs = frozenset(hooks or ())
    for hook in hook_defs:
        if not isinstance(hook, HookDefinition):
            raise DefinitionError(
                f"Job {name!r}: hooks= takes @success_hook/@failure_hook definitions, got "
                f"{hook!r}."
            )
    if isinstance(selection, list | tuple | set | frozenset):
        if partitions_def is None:  # the partitions the listed assets share, if they do
            found = {id(d): d for d in (getattr(i, "partitions_def", None) for i in selection) if d}
            partitions_def = next(iter(found.values())) if len(found) == 1 else None
        selection = coerce_selection(selection)  # as Dagster: AssetSelection.assets(*selection)
    return UnresolvedAssetJobDefinition(
        name=name,
        selection=selection,
        config=config,
        description=description,
        tags=dict(tags or {}),
        run_tags=dict(run_tags or {}),
        metadata=dict(metadata or {}),
        partitions_def=partitions_def,
        hooks=hook_defs,
        op_retry_policy=op_retry_policy,
        executor_def=executor_def,
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
