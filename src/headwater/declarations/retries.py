"""Retry policies, and the exceptions user code raises to fail or retry a step on purpose."""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

from headwater.errors import DefinitionError


class Backoff(StrEnum):
    """How the delay grows between attempts: ``LINEAR`` (delay x attempt) or ``EXPONENTIAL``
    (delay x 2^(attempt - 1))."""

    LINEAR = "LINEAR"
    EXPONENTIAL = "EXPONENTIAL"


class Jitter(StrEnum):
    """Randomness added to the delay: ``FULL`` (uniform between 0 and the delay) or
    ``PLUS_MINUS`` (the delay plus or minus up to the base delay)."""

    FULL = "FULL"
    PLUS_MINUS = "PLUS_MINUS"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry a failing step.

    Args:
        max_retries: how many times to retry after the first failure (>= 0; default 1).
        delay: seconds to wait before a retry (default: no wait).
        backoff: how the delay grows with each attempt (default: constant).
        jitter: randomness added to the delay (default: none).

    Raises:
        DefinitionError: a negative ``max_retries`` or ``delay``, or jitter/backoff without delay.

    Example:
        >>> RetryPolicy(max_retries=3, delay=0.5, backoff=Backoff.EXPONENTIAL).delay_for(3)
        2.0
    """

    max_retries: int = 1
    delay: float | None = None
    backoff: Backoff | None = None
    jitter: Jitter | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise DefinitionError(
                f"RetryPolicy(max_retries={self.max_retries!r}): give a whole number >= 0."
            )
        if self.delay is not None and self.delay < 0:
            raise DefinitionError(f"RetryPolicy(delay={self.delay!r}): give seconds >= 0.")
        if self.delay is None and (self.backoff is not None or self.jitter is not None):
            raise DefinitionError(
                "RetryPolicy: backoff and jitter need a delay; give delay= in seconds."
            )

    def delay_for(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1 for the first retry)."""
        if not self.delay:
            return 0.0
        base = self.delay
        if self.backoff is Backoff.LINEAR:
            base = self.delay * attempt
        elif self.backoff is Backoff.EXPONENTIAL:
            base = self.delay * 2 ** (attempt - 1)
        if self.jitter is Jitter.FULL:
            return (rng or random).uniform(0, base)
        if self.jitter is Jitter.PLUS_MINUS:
            return max(0.0, base + (rng or random).uniform(-self.delay, self.delay))
        return float(base)
