"""``context.log`` and capture of Python ``logging`` inside user code into the event log."""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from headwater.events.types import EventType

_forward = logging.getLogger("headwater.user")
_current: contextvars.ContextVar[StepLogger | None] = contextvars.ContextVar(
    "headwater_step_logger", default=None
)


class StepLogger:
    """The ``context.log`` of a step: messages become LOG_MESSAGE events of the step.

    Has the usual ``debug``/``info``/``warning``/``error``/``exception``/``critical`` methods
    (``%``-style arguments as in :mod:`logging`); messages are also forwarded to the Python
    logger ``headwater.user``.
    """

    __slots__ = ("_sink", "_step_key")

    def __init__(self, sink: Any, step_key: str | None) -> None:
        self._sink = sink
        self._step_key = step_key

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        """Log ``msg % args`` at ``level``."""
        text = str(msg) % args if args else str(msg)
        if kwargs.get("exc_info"):
            import traceback

            text = f"{text}\n{traceback.format_exc()}"
        if self._sink is not None:
            self._sink.emit(EventType.LOG_MESSAGE, text, step_key=self._step_key, level=level)
        if _forward.isEnabledFor(level):
            _forward.log(level, text, extra={"headwater_captured": True})

    def debug(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Log at DEBUG."""
        self.log(logging.DEBUG, msg, *args, **kwargs)

    def info(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Log at INFO."""
        self.log(logging.INFO, msg, *args, **kwargs)

    def warning(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Log at WARNING."""
        self.log(logging.WARNING, msg, *args, **kwargs)

    warn = warning

    def error(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Log at ERROR."""
        self.log(logging.ERROR, msg, *args, **kwargs)

    def exception(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Log at ERROR with the current exception's traceback."""
        self.log(logging.ERROR, msg, *args, exc_info=True, **kwargs)

    def critical(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Log at CRITICAL."""
        self.log(logging.CRITICAL, msg, *args, **kwargs)


class _CaptureHandler(logging.Handler):
    """Sends records logged by user code (any logger) to the active step's event log."""

    def emit(self, record: logging.LogRecord) -> None:
        step_logger = _current.get()
        if step_logger is None or getattr(record, "headwater_captured", False):
            return
        if record.name.startswith(("headwater.", "sqlalchemy", "alembic")):
            return
        try:
            text = record.getMessage()
        except Exception:  # a malformed user log call must not fail the step
            text = str(record.msg)
        if record.exc_info:
            text = f"{text}\n{logging.Formatter().formatException(record.exc_info)}"
        sink = step_logger._sink
        if sink is not None:
            sink.emit(
                EventType.LOG_MESSAGE,
                text,
                step_key=step_logger._step_key,
                level=record.levelno,
                data={"logger": record.name},
            )


_handler_lock = threading.Lock()
_handler_users = 0
_handler = _CaptureHandler(level=logging.INFO)
_previous_root_level = logging.WARNING


@contextmanager
def capture_python_logging() -> Iterator[None]:
    """While active, INFO+ records of any Python logger reach the current step's event log.

    One handler on the root logger serves every run of the process (runs in threads included);
    it routes each record to the step running in the thread that logged it.
    """
    global _handler_users, _previous_root_level
    root = logging.getLogger()
    with _handler_lock:
        if _handler_users == 0:
            _previous_root_level = root.level
            root.addHandler(_handler)
            if root.level > logging.INFO:
                root.setLevel(logging.INFO)
        _handler_users += 1
    try:
        yield
    finally:
        with _handler_lock:
            _handler_users -= 1
            if _handler_users == 0:
                root.removeHandler(_handler)
                root.setLevel(_previous_root_level)


@contextmanager
def active_step_logger(step_logger: StepLogger) -> Iterator[None]:
    """Route captured Python logging to ``step_logger`` while the step runs."""
    token = _current.set(step_logger)
    try:
        yield
    finally:
        _current.reset(token)


def get_logger(name: str = "headwater") -> logging.Logger:
    """A Python logger for user code; inside a step its INFO+ records land in the event log.

    Dagster name: ``get_dagster_logger``.
    """
    return logging.getLogger(name if name != "headwater" else "headwater_user_code")
