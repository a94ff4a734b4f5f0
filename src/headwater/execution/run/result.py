"""The result of executing a run in process."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.declarations.results import AssetMaterialization
from headwater.errors import InvalidInvocationError
from headwater.events.records import EventLogEntry
from headwater.events.types import EventType
from headwater.keys import AssetKey, CoercibleToAssetKey

if TYPE_CHECKING:
    from headwater.declarations.checks.definition import AssetCheckEvaluation


class ExecuteInProcessResult:
    """What happened in a run executed in this process.

    Attributes:
        run_id: the run's id.
        run: the stored :class:`~headwater.Run` (its final status).
        success: whether every step succeeded.
        all_events: every event of the run, in order.
        job_def: the :class:`~headwater.JobDefinition` that ran (``None`` for observations).
    """

    def __init__(
        self,
        *,
        run: Any,
        success: bool,
        events: Sequence[EventLogEntry],
        outputs: Mapping[tuple[str, str], Any],
        step_keys_by_asset: Mapping[AssetKey, tuple[str, str]],
        job_def: Any = None,
    ) -> None:
        self.run = run
        self.job_def = job_def
        self.run_id: str = run.run_id
        self.success = success
        self.all_events = list(events)
        self._outputs = dict(outputs)
        self._by_asset = dict(step_keys_by_asset)

    @property
    def dagster_run(self) -> Any:
        """Alias of ``run``."""
        return self.run

    @property
    def job_name(self) -> str:
        """The job of the run."""
        return self.run.job_name  # type: ignore[no-any-return]

    def output_for_node(self, node_name: str, output_name: str = "result") -> Any:
        """The value a step produced for ``output_name``.

        Raises:
            HeadwaterError: the step produced no such output in this run.
        """
        try:
            return self._outputs[(node_name, output_name)]
        except KeyError:
            produced = sorted(f"{n}.{o}" for n, o in self._outputs)
            raise InvalidInvocationError(
                f"No output {output_name!r} of node {node_name!r} in run {self.run_id}; outputs "
                f"produced: {produced}."
            ) from None

    def asset_value(self, asset_key: CoercibleToAssetKey) -> Any:
        """The value produced for an asset in this run."""
        key = AssetKey.from_coercible(asset_key)
        if key not in self._by_asset:
            raise InvalidInvocationError(
                f"Asset {key.to_user_string()!r} was not materialized in this run."
            )
        return self.output_for_node(*self._by_asset[key])

    @property
    def all_node_events(self) -> list[EventLogEntry]:
        """Every event emitted by a step (run-level events left out), in order."""
        return [e for e in self.all_events if e.step_key is not None]

    def events_for_node(self, node_name: str) -> list[EventLogEntry]:
        """Events emitted by one step."""
        return [e for e in self.all_events if e.step_key == node_name]

    def filter_events(self, event_type: EventType) -> list[EventLogEntry]:
        """Events of one type."""
        return [e for e in self.all_events if e.event_type is event_type]

    def get_asset_materialization_events(self) -> list[EventLogEntry]:
        """Every ASSET_MATERIALIZATION event."""
        return self.filter_events(EventType.ASSET_MATERIALIZATION)

    def get_asset_observation_events(self) -> list[EventLogEntry]:
        """Every ASSET_OBSERVATION event."""
        return self.filter_events(EventType.ASSET_OBSERVATION)

    def get_step_success_events(self) -> list[EventLogEntry]:
        """Every STEP_SUCCESS event."""
        return self.filter_events(EventType.STEP_SUCCESS)

    def get_step_failure_events(self) -> list[EventLogEntry]:
        """Every STEP_FAILURE event."""
        return self.filter_events(EventType.STEP_FAILURE)

    def get_asset_check_evaluations(self) -> list[AssetCheckEvaluation]:
        """The evaluation of every asset check the run executed, in the order they ran.

        Example:
            >>> import headwater as hw
            >>> @hw.asset
            ... def numbers() -> list[int]:
            ...     return [1, 2]
            >>> @hw.asset_check(asset=numbers)
            ... def not_empty(numbers: list[int]) -> hw.AssetCheckResult:
            ...     return hw.AssetCheckResult(passed=bool(numbers))
            >>> result = hw.materialize([numbers, not_empty])
            >>> [(e.check_name, e.passed) for e in result.get_asset_check_evaluations()]
            [('not_empty', True)]
        """
        found = (e.asset_check_evaluation_data for e in self.all_events)
        return [evaluation for evaluation in found if evaluation is not None]

    def get_job_success_event(self) -> EventLogEntry:
        """The RUN_SUCCESS event.

        Raises:
            HeadwaterError: the run did not succeed.
        """
        return self._run_event(EventType.RUN_SUCCESS)

    def get_job_failure_event(self) -> EventLogEntry:
        """The RUN_FAILURE event.

        Raises:
            HeadwaterError: the run did not fail.
        """
        return self._run_event(EventType.RUN_FAILURE)

    def _run_event(self, kind: EventType) -> EventLogEntry:
        found = self.filter_events(kind)
        if not found:
            raise InvalidInvocationError(f"Run {self.run_id} has no {kind.value} event.")
        return found[0]

    def get_failed_step_keys(self) -> set[str]:
        """Keys of the steps that failed."""
        return {e.step_key for e in self.get_step_failure_events() if e.step_key}

    def get_skipped_step_keys(self) -> set[str]:
        """Keys of the steps that were skipped."""
        return {e.step_key for e in self.filter_events(EventType.STEP_SKIPPED) if e.step_key}

    def asset_materializations_for_node(self, node_name: str) -> list[AssetMaterialization]:
        """The materializations a step recorded."""
        out = []
        for event in self.events_for_node(node_name):
            mat = event.asset_materialization
            if mat is not None:
                out.append(mat)
        return out

    def __repr__(self) -> str:
        return f"<ExecuteInProcessResult run_id={self.run_id} success={self.success}>"
