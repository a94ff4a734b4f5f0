"""``DbtCliInvocation``: one running dbt command, read event by event."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from headwater import AssetCheckKey, AssetKey, Failure, HeadwaterError
from headwater.integrations.dbt.events import DbtCliEventMessage, NodeOutcome

__all__ = ["DbtCliInvocation"]

_STOP_SECONDS = 10.0
_ERROR_EVENTS = frozenset({"MainEncounteredError", "RunResultError", "MainKeyboardInterrupt"})


class DbtCliInvocation:
    """A dbt command started by :meth:`DbtCliResource.cli`.

    Iterate :meth:`stream` in an asset function to report each model and test as dbt finishes
    it; or call :meth:`wait` to let it finish. dbt's log (its text lines, at info level and
    above) is written to this process's stdout, which is the step's captured output in a run.

    Attributes:
        process: the dbt process.
        command: the full command line.
        target_path: the directory of this invocation's artifacts (``run_results.json``,
            ``manifest.json``, ``dbt.log``).
        started_at / finished_at: ``time.monotonic()`` when dbt was started and when it was seen
            to exit (``None`` until then).
    """

    def __init__(
        self,
        *,
        process: subprocess.Popen[str],
        command: Sequence[str],
        target_path: Path,
        keys_by_unique_id: Mapping[str, AssetKey],
        checks_by_unique_id: Mapping[str, AssetCheckKey],
        raise_on_error: bool,
        log: Any = None,
    ) -> None:
        self.process = process
        self.command = list(command)
        self.target_path = target_path
        self._keys = keys_by_unique_id
        self._checks = checks_by_unique_id
        self._raise_on_error = raise_on_error
        self._log = log
        self._outcomes: list[NodeOutcome] = []
        self._errors: list[str] = []
        self._consumed = False
        self.started_at = time.monotonic()
        self.finished_at: float | None = None

    # -- reading ------------------------------------------------------------------------------
    def stream_raw_events(self) -> Iterator[DbtCliEventMessage]:
        """Every JSON event dbt logs, as it logs it (once; the process is then finished).

        Lines that are not JSON (a ``print`` in a macro, a Python traceback) are written to
        stdout as they are. Closing the iterator early stops dbt (SIGTERM, then SIGKILL).
        """
        if self._consumed:
            return
        self._consumed = True
        stdout = self.process.stdout
        try:
            for line in stdout if stdout is not None else ():
                event = _parse(line)
                if event is None:
                    _echo(line.rstrip("\n"))
                    continue
                self._note(event)
                yield event
            self.process.wait()
            self.finished_at = time.monotonic()
        finally:
            self._stop()

    def stream(self) -> Iterator[Any]:
        """Yield a ``MaterializeResult`` per model, seed and snapshot that dbt built, and an
        ``AssetCheckResult`` per test it ran, as dbt reports each one.

        Nodes that are not assets of the definition (or not selected in the run) yield
        nothing. When dbt exits with an error, raises :class:`~headwater.Failure` after the
        last event, with dbt's own error messages (unless ``raise_on_error=False``).

        Raises:
            Failure: dbt failed: the message lists each failed node with dbt's error, or
                dbt's error when the project did not compile.
        """
        for event in self.stream_raw_events():
            outcome = event.outcome()
            if outcome is None:
                continue
            key = self._keys.get(outcome.unique_id)
            if key is not None:
                result = event.materialization(key)
                if result is not None:
                    yield result
                continue
            check = self._checks.get(outcome.unique_id)
            if check is not None:
                check_result = event.check_result(check)
                if check_result is not None:
                    yield check_result
        self._raise_if_failed()

    def wait(self) -> DbtCliInvocation:
        """Let dbt finish (reading and echoing its log).

        Raises:
            Failure: dbt failed (unless ``raise_on_error=False``).
        """
        for _ in self.stream_raw_events():
            pass
        self._raise_if_failed()
        return self

    # -- results ------------------------------------------------------------------------------
    @property
    def return_code(self) -> int | None:
        """dbt's exit code (``None`` while it runs)."""
        return self.process.poll()

    def is_successful(self) -> bool:
        """Whether dbt finished with exit code 0 (waits for it)."""
        self.wait_quietly()
        return self.process.returncode == 0

    def wait_quietly(self) -> None:
        """Let dbt finish without raising."""
        for _ in self.stream_raw_events():
            pass

    @property
    def elapsed_seconds(self) -> float | None:
        """How long the dbt process ran, in seconds (``None`` until it finished)."""
        return None if self.finished_at is None else self.finished_at - self.started_at

    @property
    def node_outcomes(self) -> list[NodeOutcome]:
        """How each node that dbt finished ended, in the order dbt finished them."""
        return list(self._outcomes)

    def get_error(self) -> Failure | None:
        """The error dbt's failure amounts to (``None`` if it succeeded; waits for it)."""
        self.wait_quietly()
        if self.process.returncode == 0:
            return None
        return self._failure()

    def get_artifact(self, name: str) -> dict[str, Any]:
        """An artifact of this invocation, e.g. ``"run_results.json"`` or ``"manifest.json"``
        (waits for dbt to finish).

        Raises:
            HeadwaterError: dbt did not write it.
        """
        self.wait_quietly()
        path = self.target_path / name
        try:
            with path.open("rb") as file:
                loaded: dict[str, Any] = json.load(file)
        except (OSError, ValueError) as exc:
            raise HeadwaterError(
                f"dbt artifact {str(path)!r} cannot be read ({exc}); the command "
                f"{' '.join(self.command[1:3])} may not write it, or it failed before."
            ) from exc
        return loaded

    # -- internals ----------------------------------------------------------------------------
    def _note(self, event: DbtCliEventMessage) -> None:
        outcome = event.outcome()
        if outcome is not None:
            self._outcomes.append(outcome)
        if event.name in _ERROR_EVENTS:
            self._errors.append(event.message.strip())
        if event.level != "debug":
            _echo(event.text_line())

    def _raise_if_failed(self) -> None:
        if self._raise_on_error and self.process.returncode not in (0, None):
            raise self._failure()

    def _failure(self) -> Failure:
        failed = [o for o in self._outcomes if o.failed]
        skipped = [o.name for o in self._outcomes if o.status == "skipped"]
        command = " ".join(self.command[1:2])
        if failed:
            lines = [f"- {o.name} ({o.status}): {o.message.strip()}" for o in failed]
            description = (
                f"dbt {command} failed: {len(failed)} node(s) failed"
                + (f", {len(skipped)} skipped downstream" if skipped else "")
                + ":\n"
                + "\n".join(lines)
            )
        else:
            errors = [e for e in self._errors if e] or ["(no error message; see the log above)"]
            description = f"dbt {command} failed (exit code {self.process.returncode}):\n" + (
                "\n".join(errors)
            )
        return Failure(
            description=description,
            metadata={
                "dbt_command": " ".join(self.command),
                "return_code": self.process.returncode,
                "failed_nodes": [o.unique_id for o in failed],
                "skipped_nodes": skipped,
            },
            allow_retries=not failed,
        )

    def _stop(self) -> None:
        process = self.process
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _parse(line: str) -> DbtCliEventMessage | None:
    if not line.startswith("{"):
        return None
    try:
        raw = json.loads(line)
    except ValueError:
        return None
    return DbtCliEventMessage(raw) if isinstance(raw, dict) and "info" in raw else None


def _echo(text: str) -> None:
    """Write a line of dbt's log to stdout (the step's captured output in a run)."""
    sys.stdout.write(text + "\n")
