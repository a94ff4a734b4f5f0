"""The in-process executor: the run's steps one after another, in this process."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.execution.plan.execution_plan import ExecutionPlan
from headwater.execution.run import driver
from headwater.execution.run.logs import StepLogger
from headwater.execution.run.state import RunContext


class InProcessExecutor:
    """Sets up the run's resources once, then runs every step in this process, in plan order
    (:func:`~headwater.execution.run.driver.execute_steps`), tearing the resources down after.

    Raises (from :meth:`execute`): what setting up or tearing down a resource raised (the run
    driver records it as the run's failure).
    """

    name = "in_process"

    def execute(
        self,
        plan: ExecutionPlan[Any],
        run_ctx: RunContext,
        *,
        resource_defs: Mapping[str, Any],
        required_keys: set[str],
        resource_config: Mapping[str, Any],
    ) -> None:
        """Run every step of ``plan``, recording each result in ``run_ctx``."""
        from headwater.declarations.resources.definition import initialize_resources

        with initialize_resources(
            resource_defs,
            required_keys=required_keys
            | {k for hook in run_ctx.hooks for k in hook.required_resource_keys},
            run_config_resources=resource_config,
            log=StepLogger(run_ctx.sink, None),  # type: ignore[arg-type]
            instance=run_ctx.instance,
        ) as resources:
            run_ctx.resources = resources
            driver.execute_steps(plan, run_ctx)


IN_PROCESS = InProcessExecutor()
"""The executor of ``materialize``, ``execute_in_process`` and in-process jobs."""
