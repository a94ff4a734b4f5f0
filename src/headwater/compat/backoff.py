"""``backoff``: call a function again, after a growing delay, while it raises given exceptions.

Served as ``dagster._utils.backoff`` by the compat import hook (see
:mod:`headwater.compat.importer`), because Dagster users' tests commonly import it from there.
Written from the documented behaviour: the function is called once, and again after each
exception of a ``retry_on`` type, up to ``max_retries`` more times; the delay before retry
number *n* is the *n*-th value of ``delay_generator``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

__all__ = ["BACKOFF_MAX_RETRIES", "backoff", "backoff_delay_generator"]

T = TypeVar("T")

BACKOFF_MAX_RETRIES = 4


def backoff_delay_generator(
    *, base: float = 0.1, factor: float = 2.0, jitter: float = 0.1
) -> Iterator[float]:
    """Endless delays in seconds: ``base * factor**n`` plus a random jitter in ``[0, jitter)``.

    Args:
        base: the first delay, in seconds.
        factor: each delay is this many times the previous one (before jitter).
        jitter: the upper bound of the random amount added to each delay, in seconds.

    Yields:
        ``0.1 + j0``, ``0.2 + j1``, ``0.4 + j2``, ... with the defaults.

    Example:
        >>> delays = backoff_delay_generator(jitter=0.0)
        >>> [next(delays) for _ in range(3)]
        [0.1, 0.2, 0.4]
    """
    delay = base
    while True:
        yield delay + (random.random() * jitter if jitter else 0.0)
        delay *= factor


def backoff(
    fn: Callable[..., T],
    retry_on: type[BaseException] | Sequence[type[BaseException]],
    args: Sequence[Any] | None = None,
    kwargs: Mapping[str, Any] | None = None,
    max_retries: int = BACKOFF_MAX_RETRIES,
    delay_generator: Iterable[float] | None = None,
) -> T:
    """Call ``fn(*args, **kwargs)``, retrying after a delay while it raises ``retry_on``.

    Args:
        fn: the function to call.
        retry_on: an exception class, or a tuple/list of them; any other exception propagates
            at once.
        args: positional arguments for ``fn`` (default none).
        kwargs: keyword arguments for ``fn`` (default none).
        max_retries: how many times to call ``fn`` again after the first call failed
            (default 4, so at most 5 calls). ``0`` calls it once.
        delay_generator: the seconds to sleep before each retry, in order (default
            :func:`backoff_delay_generator`: 0.1 s doubling, with jitter). A generator that
            runs out ends the retries early.

    Returns:
        What ``fn`` returned on the first call that did not raise.

    Raises:
        ValueError: ``max_retries`` is negative.
        BaseException: the last exception of a ``retry_on`` type, once the retries are used up.

    Example:
        >>> calls = []
        >>> def flaky() -> str:
        ...     calls.append(1)
        ...     if len(calls) < 3:
        ...         raise ConnectionError("not yet")
        ...     return "ok"
        >>> backoff(flaky, retry_on=(ConnectionError,), delay_generator=[0, 0, 0])
        'ok'
        >>> len(calls)
        3
    """
    if max_retries < 0:
        raise ValueError(f"backoff(max_retries={max_retries}): max_retries must be 0 or more")
    retryable = (retry_on,) if isinstance(retry_on, type) else tuple(retry_on)
    delays = iter(backoff_delay_generator() if delay_generator is None else delay_generator)
    call_args = tuple(args or ())
    call_kwargs = dict(kwargs or {})
    retries = 0
    while True:
        try:
            return fn(*call_args, **call_kwargs)
        except retryable:
            delay = next(delays, None) if retries < max_retries else None
            if delay is None:
                raise
            retries += 1
            time.sleep(delay)
