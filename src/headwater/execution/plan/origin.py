"""Where a run's code comes from: a code location origin and a job within it (pure data).

A run that records its origin can be executed, monitored and re-executed from its id alone, in
another process: the run worker, a multiprocess step worker or a later re-execution loads the
``Definitions`` again from the origin
(``orchestration.code_location.load_definitions_from_origin``). Origins are plain, frozen data
that round-trip through JSON (:meth:`to_dict` / :meth:`from_dict`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from headwater.errors import InvalidInvocationError

__all__ = ["CodeLocationOrigin", "JobOrigin"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeLocationOrigin:
    """How to load a code location again, in any process: exactly one of ``module`` or ``file``.

    Attributes:
        module: a dotted module name, imported with ``working_directory`` on ``sys.path``.
        file: an absolute path to a Python file.
        attribute: the ``Definitions`` attribute, or ``None`` for the single one.
        working_directory: the absolute directory the location is loaded from (the current
            directory of a process that loads it).
        python_executable: the interpreter a process for this location runs (absolute path).
        location_name: the location's name (a module's dotted name, a file's stem by default).

    Raises:
        InvalidInvocationError: neither or both of ``module`` and ``file`` are given.

    Example:
        >>> origin = CodeLocationOrigin(file="/srv/defs.py", working_directory="/srv",
        ...                             python_executable="/usr/bin/python3", location_name="defs")
        >>> CodeLocationOrigin.from_dict(origin.to_dict()) == origin
        True
    """

    module: str | None = None
    file: str | None = None
    attribute: str | None = None
    working_directory: str
    python_executable: str
    location_name: str

    def __post_init__(self) -> None:
        if (self.module is None) == (self.file is None):
            raise InvalidInvocationError(
                "A CodeLocationOrigin names exactly one of module= or file= "
                f"(got module={self.module!r}, file={self.file!r})."
            )

    @property
    def description(self) -> str:
        """``module 'pkg.defs'`` or ``file '/srv/defs.py'``."""
        return f"module '{self.module}'" if self.module else f"file '{self.file}'"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict (``None`` fields included)."""
        return {
            "module": self.module,
            "file": self.file,
            "attribute": self.attribute,
            "working_directory": self.working_directory,
            "python_executable": self.python_executable,
            "location_name": self.location_name,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CodeLocationOrigin:
        """The origin :meth:`to_dict` produced.

        Raises:
            InvalidInvocationError: a required field is missing or not a string.
        """
        fields = {}
        for name in ("working_directory", "python_executable", "location_name"):
            fields[name] = _string(data, name, required=True)
        for name in ("module", "file", "attribute"):
            fields[name] = _string(data, name, required=False)
        return cls(**fields)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True, kw_only=True)
class JobOrigin:
    """A job in a code location: what a run needs to find its job again.

    Attributes:
        location: the code location's origin.
        job_name: the job's name in that location's ``Definitions`` (``__ASSET_JOB`` for a run of
            a selection of assets).

    Example:
        >>> loc = CodeLocationOrigin(module="shop.defs", working_directory="/srv",
        ...                          python_executable="/usr/bin/python3", location_name="shop")
        >>> JobOrigin.from_dict(JobOrigin(location=loc, job_name="daily").to_dict()).job_name
        'daily'
    """

    location: CodeLocationOrigin
    job_name: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict: ``{"location": {...}, "job_name": ...}``."""
        return {"location": self.location.to_dict(), "job_name": self.job_name}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JobOrigin:
        """The origin :meth:`to_dict` produced.

        Raises:
            InvalidInvocationError: a field is missing or of the wrong type.
        """
        location = data.get("location")
        if not isinstance(location, Mapping):
            raise InvalidInvocationError("A JobOrigin needs a 'location' mapping.")
        return cls(
            location=CodeLocationOrigin.from_dict(location),
            job_name=_string(data, "job_name", required=True),  # type: ignore[arg-type]
        )


def _string(data: Mapping[str, Any], name: str, *, required: bool) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InvalidInvocationError(f"Origin field {name!r} must be a string, got {value!r}.")
    return value
