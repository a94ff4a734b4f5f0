"""The headwater exception tree.

Every error headwater raises on purpose derives from :class:`HeadwaterError`:

- :class:`DefinitionError` (raised while building definitions: decorators, ``Definitions``)
  with :class:`DuplicateKeyError`, :class:`CycleError`, :class:`MissingResourceError` and
  :class:`DefsFolderError` (a module of a ``defs/`` folder failed to load);
- :class:`InvalidConfigError` (run config or resource config that does not match its schema);
- :class:`InvalidInvocationError` (a definition called or executed with arguments that do not
  fit it: a direct invocation, assigning to a ``Config`` attribute);
- :class:`InvalidSelectionError` (an asset selection that cannot be parsed or names unknown keys);
- :class:`UnknownResourceError` (user code read a resource key that no resource provides; also
  an ``AttributeError``);
- :class:`UserCodeError` (an exception raised inside user code; keeps the original exception
  as ``__cause__`` and its traceback in ``user_traceback``);
- :class:`ExecutionError` (a run could not be carried out) with :class:`TypeCheckError` and
  :class:`AssetCheckFailedError`;
- :class:`PartitionError` (a reversed range, a malformed key) with
  :class:`UnknownPartitionError` (a key the partitions definition does not have) and
  :class:`PartitionMappingError` (unmappable partitions; also a :class:`DefinitionError`);
- :class:`CodeLocationError` (a code location failed to import or validate);
- :class:`DaemonError` (a daemon cannot run: another daemon holds the instance);
- :class:`CodeServerError` (a code server did not answer, or user code failed inside it) with
  :class:`CodeServerUnavailableError` (not running, died, timed out) and
  :class:`RemoteUserCodeError` (user code raised in the code server process);
- :class:`StorageError` (the event log or run storage is unusable) with
  :class:`RunNotFoundError` and :class:`BackfillNotFoundError`;
- :class:`InvariantViolationError` (a bug in headwater; please report it).

Outside the tree, on purpose:

- :class:`RetryRequested` and :class:`Failure`, which user code raises to retry or fail a step
  (plain ``Exception`` subclasses, as in Dagster: ``except HeadwaterError`` does not catch
  them, and a run with ``raise_on_error=True`` re-raises them as they were raised);
- :class:`ArgumentTypeError`, a :class:`TypeError` raised where a public constructor is given
  an argument of the wrong type (``AssetKey(3)``): a programming error, like Python's own.

Messages say what happened, where, and how to fix it.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class HeadwaterError(Exception):
    """Root of every error headwater raises on purpose."""


class ArgumentTypeError(TypeError):
    """A public constructor or function got an argument of the wrong type.

    A :class:`TypeError` (not a :class:`HeadwaterError`): it is a mistake in the calling code,
    caught where the value enters. The message names the value and the accepted types.

    Example:
        >>> from headwater import AssetKey
        >>> try:
        ...     AssetKey(3)
        ... except TypeError as exc:
        ...     type(exc).__name__
        'ArgumentTypeError'
    """


class DefinitionError(HeadwaterError):
    """A definition (asset, op, job, Definitions) is invalid; raised when it is built."""


class DuplicateKeyError(DefinitionError):
    """Two definitions produce the same asset key or name."""


class CycleError(DefinitionError):
    """The asset graph has a dependency cycle."""


class MissingResourceError(DefinitionError):
    """An asset or IO manager requires a resource key that no resource provides."""


class UnknownResourceError(HeadwaterError, AttributeError):
    """A resource key was read (``context.resources.db``) that no resource provides.

    Also an :class:`AttributeError`, so ``hasattr(context.resources, "db")`` is ``False``.
    Definitions whose assets require a missing resource raise :class:`MissingResourceError`
    (a definition error) when they load instead.
    """


class DefsFolderError(DefinitionError):
    """A ``defs/`` folder could not be loaded (``load_from_defs_folder``, ``load_defs``): one of
    its modules failed to import or holds invalid definitions, or the folder declares something
    headwater does not load yet (a YAML component, ``defs.yaml``).

    Attributes:
        path: the file at fault (a module or a ``defs.yaml``), if known.
        module: the dotted name of that module, if it is one.
        original: the exception raised while importing it (also ``__cause__``), if any.
        full_traceback: the formatted traceback of ``original`` (``""`` without one).
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        module: str | None = None,
        original: BaseException | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.module = module
        self.original = original
        self.full_traceback = (
            "".join(traceback.format_exception(type(original), original, original.__traceback__))
            if original is not None
            else ""
        )


class InvalidConfigError(HeadwaterError):
    """Config does not match its schema.

    Attributes:
        errors: one ``(path, message)`` pair per bad config path, e.g.
            ``("ops.my_asset.config.limit", "expected int, got 'ten' (str)")``.
    """

    def __init__(self, message: str, errors: Sequence[tuple[str, str]] = ()) -> None:
        self.errors = list(errors)
        if self.errors:
            lines = "\n".join(f"  - {path}: {problem}" for path, problem in self.errors)
            message = f"{message}\n{lines}"
        super().__init__(message)


class InvalidSelectionError(HeadwaterError):
    """An asset selection cannot be parsed or refers to assets that do not exist.

    Attributes:
        missing_keys: the unknown asset keys, when that is the problem (else empty).
    """

    missing_keys: list[object]

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.missing_keys = []


class InvalidInvocationError(HeadwaterError):
    """A definition was called or executed with arguments that do not fit it (Dagster:
    ``DagsterInvalidInvocationError``), e.g. ``op_selection=`` on a job of assets, an asset or
    op invoked directly without a value for an input or with one argument too many, or a field
    of a ``Config`` object assigned after it was built."""


class UserCodeError(HeadwaterError):
    """User code raised an exception.

    The original exception is ``__cause__`` (and ``original``); ``user_traceback`` holds its
    formatted traceback so it survives serialization into the event log.
    """

    def __init__(self, message: str, original: BaseException) -> None:
        super().__init__(message)
        self.original = original
        self.user_traceback = "".join(
            traceback.format_exception(type(original), original, original.__traceback__)
        )


class ExecutionError(HeadwaterError):
    """A run or step could not be carried out."""


class AssetCheckFailedError(ExecutionError):
    """A blocking asset check failed with severity ERROR; the step fails and the steps
    downstream of the checked asset are skipped.

    Attributes:
        check_keys: the failed blocking checks (``"asset:check"`` strings).
    """

    def __init__(self, message: str, check_keys: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.check_keys = list(check_keys)


class TypeCheckError(ExecutionError):
    """A value produced or consumed by a step does not have the declared type.

    Attributes:
        metadata: details from the failed ``TypeCheck`` (normalized metadata values).
    """

    metadata: dict[str, object]

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.metadata = {}


class PartitionError(HeadwaterError):
    """A partition key, range or mapping is invalid (unknown key, reversed range, a mapping
    between incompatible partitions definitions, ...); the message names the asset and key."""


class UnknownPartitionError(PartitionError):
    """A partition key that the partitions definition does not have (never added, deleted,
    outside the definition's span, or not yet started), e.g. ``materialize(...,
    partition_key="1999-01-01")`` for daily partitions starting in 2024. The message names the
    key, the asset when known, and what the valid keys look like."""


class StorageError(HeadwaterError):
    """The run or event log storage is unreachable or inconsistent."""


class RunNotFoundError(StorageError):
    """No run with the given id exists in storage."""


class BackfillNotFoundError(StorageError):
    """No backfill with the given id exists in storage."""


class PartitionMappingError(PartitionError, DefinitionError):
    """A partition mapping cannot map between two partitions definitions.

    Both a :class:`PartitionError` and a :class:`~headwater.errors.DefinitionError`: it is
    raised when definitions load (no step runs) and names both partitions definitions.
    """


class CodeLocationError(HeadwaterError):
    """A code location could not be loaded: it failed to import, holds no (or several)
    ``Definitions`` objects, or its ``Definitions`` failed validation.

    Attributes:
        location: what was being loaded, e.g. ``"file 'defs.py'"`` or ``"module 'pkg.defs'"``.
        user_frame: ``"path:line"`` of the last traceback frame inside user code, if any.
        full_traceback: the complete formatted traceback of the original exception (``""``
            when there was none).
        original: the original exception, also kept as ``__cause__``.
    """

    def __init__(
        self,
        message: str,
        *,
        location: str,
        user_frame: str | None = None,
        original: BaseException | None = None,
    ) -> None:
        super().__init__(message)
        self.location = location
        self.user_frame = user_frame
        self.original = original
        self.full_traceback = (
            "".join(traceback.format_exception(type(original), original, original.__traceback__))
            if original is not None
            else ""
        )


class DaemonError(HeadwaterError):
    """A daemon cannot run its loops: another live daemon holds the instance (the message names
    it and says how to stop it or when it may be taken over), or it lost the instance to a
    daemon that took over after its heartbeat expired."""


class CodeServerError(HeadwaterError):
    """A code server (the process serving one code location) did not answer as asked.

    Attributes:
        location_name: the code location the server serves (``None`` when not known).
        address: where the server listens (``unix:/path`` or ``http://host:port``).
        error_type: the class name of the exception raised inside the server, if any.
        user_traceback: the traceback formatted inside the server (``""`` when there is none).
    """

    def __init__(
        self,
        message: str,
        *,
        location_name: str | None = None,
        address: str = "",
        error_type: str | None = None,
        user_traceback: str = "",
    ) -> None:
        super().__init__(message)
        self.location_name = location_name
        self.address = address
        self.error_type = error_type
        self.user_traceback = user_traceback
        self.full_traceback = user_traceback


class CodeServerUnavailableError(CodeServerError):
    """A code server could not be reached, died during a request, did not answer in time, or is
    still evaluating the same schedule or sensor for an earlier request."""


class RemoteUserCodeError(CodeServerError):
    """User code (a schedule, a sensor, a partitions definition) raised inside a code server;
    ``error_type`` names the exception and ``user_traceback`` is its traceback there."""


class RetryRequested(Exception):
    """Raised by user code to retry the step now.

    Args:
        max_retries: how many retries this request allows in all (default 1).
        seconds_to_wait: delay before the retry.

    Example:
        >>> try:
        ...     raise RetryRequested(max_retries=3, seconds_to_wait=0.1)
        ... except RetryRequested as exc:
        ...     exc.max_retries
        3
    """

    def __init__(self, max_retries: int = 1, seconds_to_wait: float | None = None) -> None:
        super().__init__(f"Retry requested (up to {max_retries} retries).")
        self.max_retries = max_retries
        self.seconds_to_wait = seconds_to_wait


class Failure(Exception):
    """Raised by user code to fail the step with a description and metadata.

    Args:
        description: why the step failed (shown in the event log).
        metadata: attached to the STEP_FAILURE event.
        allow_retries: whether the step's retry policy may retry it (default True).

    Example:
        >>> Failure("upstream API returned 503", metadata={"status": 503}).metadata["status"].value
        503
    """

    def __init__(
        self,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        allow_retries: bool = True,
    ) -> None:
        super().__init__(description or "Failure raised by user code.")
        self.description = description
        from headwater.metadata import normalize_metadata  # metadata imports this module

        self.metadata: dict[str, Any] = normalize_metadata(metadata, where="Failure")
        self.allow_retries = allow_retries


class InvariantViolationError(HeadwaterError):
    """An internal invariant failed; this is a bug in headwater, please report it."""


@contextmanager
def user_code_boundary(what: str) -> Iterator[None]:
    """Run user code, turning any exception it raises into a :class:`UserCodeError`.

    Args:
        what: a short description of the user code, used in the message
            (e.g. ``"the body of asset 'orders'"``).

    Raises:
        UserCodeError: wrapping the original exception (kept as ``__cause__``). A
            :class:`HeadwaterError`, :class:`Failure` or :class:`RetryRequested` raised by user
            code passes through.
    """
    try:
        yield
    except (HeadwaterError, Failure, RetryRequested):
        raise
    except Exception as exc:
        raise UserCodeError(f"Error in {what}: {type(exc).__name__}: {exc}", original=exc) from exc
