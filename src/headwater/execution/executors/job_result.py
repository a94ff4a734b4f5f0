"""The result of ``execute_job``: outputs stored by worker processes are loaded on request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.declarations.io_managers.base import InputContext, OutputContext
from headwater.errors import user_code_boundary
from headwater.execution.executors.remote import NOT_LOADED
from headwater.execution.run.result import ExecuteInProcessResult
from headwater.keys import AssetKey


class ExecuteJobResult(ExecuteInProcessResult):
    """What happened in a run executed by ``execute_job``.

    Everything an :class:`~headwater.ExecuteInProcessResult` has; a value a step produced in a
    worker process (multiprocess executor) is loaded through its IO manager when
    :meth:`output_for_node` (or ``asset_value``) asks for it. Usable as a context manager, as
    Dagster's is (``with execute_job(...) as result:``).
    """

    def __init__(self, result: ExecuteInProcessResult, *, instance: Any) -> None:
        super().__init__(
            run=result.run,
            success=result.success,
            events=result.all_events,
            outputs=result._outputs,
            step_keys_by_asset=result._by_asset,
            job_def=result.job_def,
        )
        self._instance = instance

    def __enter__(self) -> ExecuteJobResult:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def output_for_node(self, node_name: str, output_name: str = "result") -> Any:
        """The value a step produced for ``output_name`` (loaded with its IO manager when a
        worker process stored it; a mapped op's output is a dict mapping key -> value).

        Raises:
            HeadwaterError: the step produced no such output in this run.
            UserCodeError: the IO manager failed to load it.
        """
        value = super().output_for_node(node_name, output_name)
        if value is NOT_LOADED:
            return self._load(node_name, output_name)
        if isinstance(value, dict) and any(v is NOT_LOADED for v in value.values()):
            return {k: self._load(f"{node_name}[{k}]", output_name) for k in value}
        return value

    def _load(self, step_key: str, output_name: str) -> Any:
        from headwater.declarations.resources.definition import initialize_resources
        from headwater.execution.run.in_process import default_io_manager

        job = self.job_def
        asset_key = next((k for k, v in self._by_asset.items() if v == (step_key, output_name)),
                         None)  # fmt: skip
        resource_defs = default_io_manager(dict(job.resource_defs))
        manager_key = self._manager_key(job, asset_key, step_key, output_name)
        partition = self.run.tags.get("headwater/partition")
        with initialize_resources(
            resource_defs, required_keys={manager_key}, instance=self._instance,
            run_config_resources=_resource_config(self.run.run_config, manager_key),
        ) as resources:  # fmt: skip
            metadata: Mapping[str, Any] = {}
            if asset_key is not None:
                metadata = job.definitions.assets_by_key[asset_key].spec_for(asset_key).metadata
            upstream = OutputContext(
                name=output_name, asset_key=asset_key, definition_metadata=metadata,
                step_key=step_key, run_id=self.run_id, partition_key=partition,
                resources=resources, instance=self._instance,
            )  # fmt: skip
            context = InputContext(
                name=output_name, asset_key=asset_key, upstream_output=upstream,
                partition_key=partition, resources=resources, instance=self._instance,
            )  # fmt: skip
            with user_code_boundary(
                f"loading output {output_name!r} of step {step_key!r} with {manager_key!r}"
            ):
                return resources[manager_key].load_input(context)

    @staticmethod
    def _manager_key(job: Any, asset_key: AssetKey | None, step_key: str, output: str) -> str:
        if asset_key is not None:
            return job.definitions.assets_by_key[asset_key].io_manager_key_for(asset_key)  # type: ignore[no-any-return]
        node = job.nodes[step_key.split("[", 1)[0]]
        return node.op_def.outs[output].io_manager_key or "io_manager"

    def __repr__(self) -> str:
        return f"<ExecuteJobResult run_id={self.run_id} success={self.success}>"


def _resource_config(run_config: Mapping[str, Any], key: str) -> dict[str, Any]:
    entry = (run_config.get("resources") or {}).get(key)
    if isinstance(entry, Mapping) and isinstance(entry.get("config"), Mapping):
        return {key: dict(entry["config"])}
    return {}
