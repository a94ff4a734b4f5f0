"""Loading stored asset values outside a run (``Definitions.load_asset_value``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.declarations.io_managers.base import InputContext, OutputContext
from headwater.errors import user_code_boundary
from headwater.execution.run.in_process import default_io_manager
from headwater.keys import AssetKey

if TYPE_CHECKING:
    from headwater.execution.run.state import ExecutionInstance


def load_stored_value(
    defs: Any, key: AssetKey, *, instance: ExecutionInstance, partition_key: str | None = None
) -> Any:
    """Load ``key``'s stored value through its IO manager, setting up resources around it."""
    from headwater.declarations.resources.definition import initialize_resources
    
    assets_def = defs.get_assets_def(key)
    manager_key = assets_def.io_manager_key_for(key)
    resource_defs = default_io_manager(dict(defs.resources))
    with initialize_resources(
        resource_defs, required_keys={manager_key}, instance=instance
    ) as res:
        upstream = OutputContext(
            name=assets_def.output_names_by_key[key],
            asset_key=key,
            definition_metadata=assets_def.spec_for(key).metadata,
            partition_key=partition_key,
            resources=res,
            instance=instance,
        )
        context = InputContext(
            name=key.to_python_identifier(),
            asset_key=key,
            upstream_output=upstream,
            partition_key=partition_key,
            resources=res,
            instance=instance,
        )
        with user_code_boundary(f"loading asset {key.to_user_string()!r}"):
            return res[manager_key].load_input(context)
