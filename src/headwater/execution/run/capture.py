"""Capturing what a step prints (stdout and stderr) into files under the instance."""

from __future__ import annotations

import contextvars
import io
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TextIO


class _CapturedStream(io.TextIOBase):
    """Writes to a file created on first write, and passes everything on to ``tee``."""

    def __init__(self, directory: Path, name: str, tee: TextIO) -> None:
        self._directory = directory
        self._name = name
        self._tee = tee
        self._file: TextIO | None = None

    @property
    def path(self) -> Path:
        """The capture file (created on the first write)."""
        return self._directory / self._name

    @property
    def used(self) -> bool:
        """Whether anything was written."""
        return self._file is not None

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not text:
            return 0
        if self._file is None:
            path = self.path
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self._file.write(text)
        with suppress(OSError, ValueError):  # the terminal went away: the file still has it
            self._tee.write(text)
        return len(text)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()
        with suppress(OSError, ValueError):
            self._tee.flush()

    def close(self) -> None:
        super().close()  # flushes first
        if self._file is not None:
            self._file.close()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def isatty(self) -> bool:
        return False


class _Dispatcher(io.TextIOBase):
    """Stands in for ``sys.stdout`` / ``sys.stderr`` while steps run: each write goes to the
    capture of the step running in the writing thread (a context variable), or to the original
    stream when none is. Installed once for all concurrent steps, so steps in threads of one
    process never swap globals under each other."""

    def __init__(self, original: TextIO, current: contextvars.ContextVar[_CapturedStream | None]):
        self.original = original
        self._current = current

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        target = self._current.get()
        if target is not None:
            return target.write(text)
        return self.original.write(text)

    def flush(self) -> None:
        target = self._current.get()
        if target is not None:
            target.flush()
        with suppress(OSError, ValueError):
            self.original.flush()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.original, "encoding", "utf-8") or "utf-8"

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.original.fileno()


_stdout: contextvars.ContextVar[_CapturedStream | None] = contextvars.ContextVar(
    "headwater_captured_stdout", default=None
)
_stderr: contextvars.ContextVar[_CapturedStream | None] = contextvars.ContextVar(
    "headwater_captured_stderr", default=None
)
_lock = threading.Lock()
_active = 0  # steps capturing now, in any thread


def _install() -> None:
    global _active
    with _lock:
        _active += 1
        if not isinstance(sys.stdout, _Dispatcher):
            sys.stdout = _Dispatcher(sys.stdout, _stdout)
        if not isinstance(sys.stderr, _Dispatcher):
            sys.stderr = _Dispatcher(sys.stderr, _stderr)


def _uninstall() -> None:
    global _active
    with _lock:
        _active -= 1
        if _active:
            return
        if isinstance(sys.stdout, _Dispatcher):
            sys.stdout = sys.stdout.original
        if isinstance(sys.stderr, _Dispatcher):
            sys.stderr = sys.stderr.original


@contextmanager
def capture_step_output(
    logs_dir: Path | None, run_id: str, step_key: str
) -> Iterator[dict[str, Any]]:
    """Capture what the step running in this thread writes to ``sys.stdout``/``sys.stderr``.

    Yields a dict that, after the block, holds ``stdout_path``/``stderr_path`` (the files
    written, relative paths under ``logs_dir``) for the streams something was written to; it
    is empty when the step printed nothing. Output still reaches the original streams. Safe
    when several steps run in threads of one process: each captures only its own writes.
    """
    captured: dict[str, Any] = {}
    if logs_dir is None:
        yield captured
        return
    _install()
    # Paths are built only if the step prints: most steps print nothing.
    base = _LazyDir(logs_dir, run_id)
    out = _CapturedStream(base, f"{step_key}.out", _original(sys.stdout))  # type: ignore[arg-type]
    err = _CapturedStream(base, f"{step_key}.err", _original(sys.stderr))  # type: ignore[arg-type]
    tokens = _stdout.set(out), _stderr.set(err)
    try:
        yield captured
    finally:
        _stdout.reset(tokens[0])
        _stderr.reset(tokens[1])
        _uninstall()
        for name, stream in (("stdout_path", out), ("stderr_path", err)):
            if stream.used:
                stream.flush()
                captured[name] = stream.path.relative_to(logs_dir).as_posix()
            stream.close()


def _original(stream: Any) -> TextIO:
    return stream.original if isinstance(stream, _Dispatcher) else stream


class _LazyDir:
    """``logs_dir / run_id``, joined only when a file name is added."""

    __slots__ = ("_logs_dir", "_run_id")

    def __init__(self, logs_dir: Path, run_id: str) -> None:
        self._logs_dir = logs_dir
        self._run_id = run_id

    def __truediv__(self, name: str) -> Path:
        return self._logs_dir / self._run_id / name
