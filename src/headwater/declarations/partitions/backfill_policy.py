"""BackfillPolicy: how many partitions of an asset one run of a backfill may materialize."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from headwater.errors import DefinitionError


class BackfillPolicyType(StrEnum):
    """The kinds of :class:`BackfillPolicy`."""

    SINGLE_RUN = "SINGLE_RUN"
    MULTI_RUN = "MULTI_RUN"


def _check_max(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DefinitionError(
            f"BackfillPolicy.multi_run: max_partitions_per_run must be a positive integer, got "
            f"{value!r}."
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class BackfillPolicy:
    """How a backfill splits the partitions of an asset into runs.

    Build one with :meth:`single_run` (every partition of the backfill in one run, which the
    asset receives as a partition key range) or :meth:`multi_run` (runs of at most
    ``max_partitions_per_run`` consecutive partitions). An asset without a policy is
    backfilled as ``BackfillPolicy.multi_run(1)``: one run per partition.

    Attributes:
        policy_type: :attr:`BackfillPolicyType.SINGLE_RUN` or :attr:`BackfillPolicyType.MULTI_RUN`.
        max_partitions_per_run: the most partitions one run covers (``None`` for single-run).

    Example:
        >>> from headwater import BackfillPolicy, DailyPartitionsDefinition, asset
        >>> @asset(
        ...     partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"),
        ...     backfill_policy=BackfillPolicy.multi_run(max_partitions_per_run=7),
        ... )
        ... def events() -> None: ...
        >>> events.backfill_policy.max_partitions_per_run
        7
    """

    policy_type: BackfillPolicyType
    max_partitions_per_run: int | None = None

    def __post_init__(self) -> None:
        if self.policy_type is BackfillPolicyType.SINGLE_RUN:
            if self.max_partitions_per_run is not None:
                raise DefinitionError(
                    "A single-run BackfillPolicy has no max_partitions_per_run; use "
                    "BackfillPolicy.multi_run(max_partitions_per_run=...) to limit runs."
                )
            return
        _check_max(self.max_partitions_per_run)

    @staticmethod
    def single_run() -> BackfillPolicy:
        """Backfill every requested partition of the asset in one run.

        Returns:
            The policy; the run targets a partition key range (the asset function sees
            ``context.partition_key_range`` and ``context.partition_keys``).

        Example:
            >>> BackfillPolicy.single_run().max_partitions_per_run is None
            True
        """
        return BackfillPolicy(policy_type=BackfillPolicyType.SINGLE_RUN)

    @staticmethod
    def multi_run(max_partitions_per_run: int = 1) -> BackfillPolicy:
        """Backfill in runs of at most ``max_partitions_per_run`` consecutive partitions.

        Args:
            max_partitions_per_run: a positive number of partitions per run (default 1).

        Returns:
            The policy.

        Raises:
            DefinitionError: if ``max_partitions_per_run`` is not a positive integer.

        Example:
            >>> BackfillPolicy.multi_run(10).max_partitions_per_run
            10
        """
        return BackfillPolicy(
            policy_type=BackfillPolicyType.MULTI_RUN, max_partitions_per_run=max_partitions_per_run
        )

    def __str__(self) -> str:
        if self.policy_type is BackfillPolicyType.SINGLE_RUN:
            return "BackfillPolicy.single_run()"
        return f"BackfillPolicy.multi_run(max_partitions_per_run={self.max_partitions_per_run})"


#: The policy of assets that set none: one run per partition.
DEFAULT_BACKFILL_POLICY = BackfillPolicy.multi_run(1)


def effective_backfill_policy(policies: list[BackfillPolicy | None]) -> BackfillPolicy:
    """The policy of a run covering assets with the given policies (``None``: the default).

    Single-run only when every asset is single-run; otherwise multi-run with the smallest
    ``max_partitions_per_run`` of the multi-run assets, so that no asset gets more partitions
    per run than it allows.

    Raises:
        DefinitionError: if a policy is not a :class:`BackfillPolicy`.
    """
    chosen = [DEFAULT_BACKFILL_POLICY if p is None else p for p in policies]
    for policy in chosen:
        if not isinstance(policy, BackfillPolicy):
            raise DefinitionError(
                f"backfill_policy must be a BackfillPolicy (BackfillPolicy.single_run() or "
                f"BackfillPolicy.multi_run(n)), got {policy!r}."
            )
    limits = [p.max_partitions_per_run for p in chosen if p.max_partitions_per_run is not None]
    if not limits:
        return BackfillPolicy.single_run()
    return BackfillPolicy.multi_run(min(limits))
