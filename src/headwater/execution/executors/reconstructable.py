"""Jobs another process can load again: :func:`reconstructable` and :class:`ReconstructableJob`.

A worker process of the multiprocess executor cannot be handed a ``JobDefinition`` (it holds
user functions); it is handed where to find it — a module (or Python file) and an attribute —
and imports it there, once. Loading uses :mod:`importlib` only.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from headwater.errors import InvalidInvocationError


@dataclass(frozen=True, kw_only=True)
class ReconstructableJob:
    """Where a job is defined, so that any process can load it (pure data, picklable).

    Made by :func:`reconstructable`. Calling it (or :meth:`get_definition`) returns the
    ``JobDefinition``: in the process that made it, the object it was made from; elsewhere, the
    module is imported (or the file loaded) and the attribute read — a function is called, a
    ``Definitions`` gives its job ``job_name``.

    Attributes:
        module: the dotted module name (``None`` for a script run as ``__main__``).
        python_file: the module's file, used when the module cannot be imported by name.
        attribute: the module-level name of the job, or of a function returning it.
        job_name: for an attribute holding a ``Definitions``, the job to take from it.
        working_directory: put on ``sys.path`` (if missing) before importing.
    """

    module: str | None = None
    python_file: str | None = None
    attribute: str
    job_name: str | None = None
    working_directory: str = field(default_factory=os.getcwd)
    _job: Any = field(default=None, compare=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_job"] = None  # the object itself stays in this process
        return state

    def __call__(self) -> Any:
        """The ``JobDefinition`` (see :meth:`get_definition`)."""
        return self.get_definition()

    def get_definition(self) -> Any:
        """The ``JobDefinition`` this points to.

        Raises:
            InvalidInvocationError: the module or file cannot be loaded, the attribute is
                missing, or it is (or returns) no job.
        """
        if self._job is not None:
            return self._job
        target = getattr(self._load_module(), self.attribute, None)
        if target is None:
            raise InvalidInvocationError(
                f"Cannot reconstruct the job: {self._where} has no attribute {self.attribute!r}."
            )
        job = _as_job(target, self.job_name, f"{self._where}, attribute {self.attribute!r}")
        object.__setattr__(self, "_job", job)
        return job

    @property
    def _where(self) -> str:
        return f"module {self.module!r}" if self.module else f"file {self.python_file!r}"

    def _load_module(self) -> ModuleType:
        if self.working_directory and self.working_directory not in sys.path:
            sys.path.insert(0, self.working_directory)
        if self.module:
            try:
                return importlib.import_module(self.module)
            except ImportError:
                if not self.python_file:
                    raise
        return _load_file(self.python_file or "")


def reconstructable(target: Any) -> ReconstructableJob:
    """A job that other processes (the multiprocess executor's workers) can load again.

    Args:
        target: a job defined at the top level of a module (``@job``), or a function defined
            at the top level of a module that takes no arguments and returns a job (the way to
            pass a job of assets: ``def make_job(): return defs.get_job_def("nightly")``).

    Returns:
        A :class:`ReconstructableJob`; pass it to :func:`~headwater.execute_job`.

    Raises:
        InvalidInvocationError: ``target`` is a lambda, a nested function, defined in an
            interactive session, or a job that is not a module-level attribute.

    Example:
        >>> from headwater import job, op, reconstructable
        >>> @op
        ... def one() -> int:
        ...     return 1
        >>> @job
        ... def my_job():
        ...     one()
        >>> def make_job():
        ...     return my_job
        >>> reconstructable(make_job).attribute
        'make_job'
    """
    from headwater.declarations.jobs.definition import JobDefinition

    if isinstance(target, JobDefinition):
        module_name, attribute = _find_module_attribute(target)
    elif inspect.isfunction(target):
        if target.__name__ == "<lambda>":
            raise InvalidInvocationError(
                "reconstructable() cannot use a lambda: define a function at the top level of a "
                "module that returns the job."
            )
        if "<locals>" in target.__qualname__ or target.__qualname__ != target.__name__:
            raise InvalidInvocationError(
                f"reconstructable() got {target.__qualname__!r}, which is defined inside another "
                "function or class; worker processes can only import names defined at the top "
                "level of a module. Move it there."
            )
        module_name, attribute = target.__module__, target.__name__
    else:
        raise InvalidInvocationError(
            f"reconstructable() takes a job or a function returning one, got {target!r}."
        )
    module = sys.modules.get(module_name)
    python_file = getattr(module, "__file__", None)
    if module_name == "__main__" and python_file is None:
        raise InvalidInvocationError(
            "reconstructable() cannot reconstruct a job defined in an interactive session: "
            "define it in a file or module."
        )
    job = target if isinstance(target, JobDefinition) else None
    return ReconstructableJob(
        module=None if module_name == "__main__" else module_name,
        python_file=str(Path(python_file).resolve()) if python_file else None,
        attribute=attribute,
        _job=job,
    )


def _find_module_attribute(job: Any) -> tuple[str, str]:
    """The module and module-level name that hold ``job``."""
    candidates: list[str] = []
    graph = job.graph
    compose_fn = getattr(graph, "compose_fn", None)
    if compose_fn is not None:
        candidates.append(compose_fn.__module__)
    frame = inspect.currentframe()
    caller = frame.f_back.f_back if frame is not None and frame.f_back is not None else None
    if caller is not None:
        candidates.append(caller.f_globals.get("__name__", ""))
    for module_name in candidates:
        module = sys.modules.get(module_name)
        for name, value in vars(module or ModuleType("none")).items():
            if value is job:
                return module_name, name
    raise InvalidInvocationError(
        f"reconstructable() got job {job.name!r}, which is not a module-level attribute of "
        f"{' or '.join(repr(c) for c in candidates) or 'any module'}; define the job at the top "
        "level of a module, or pass a top-level function that returns it."
    )


def _as_job(target: Any, job_name: str | None, where: str) -> Any:
    from headwater.declarations.definitions import Definitions
    from headwater.declarations.jobs.definition import JobDefinition

    if isinstance(target, Definitions):
        if job_name is None:
            raise InvalidInvocationError(f"{where} is a Definitions: give job_name=.")
        return target.get_job_def(job_name)
    if not isinstance(target, JobDefinition) and callable(target):
        target = target()
    if not isinstance(target, JobDefinition):
        raise InvalidInvocationError(f"{where} is not a job (and returns none): {target!r}.")
    return target


def _load_file(path: str) -> ModuleType:
    """The module of the Python file ``path`` (the script running as ``__main__`` if it is
    that file, else loaded once under a name of its own)."""
    resolved = str(Path(path).resolve())
    for name in ("__main__", "__mp_main__"):
        module = sys.modules.get(name)
        file = getattr(module, "__file__", None)
        if module is not None and file and str(Path(file).resolve()) == resolved:
            return module
    name = f"__headwater_job_file__{zlib.crc32(resolved.encode()):08x}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, resolved)
    if spec is None or spec.loader is None:
        raise InvalidInvocationError(f"Cannot load the job's file {resolved!r}.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


JobLoader = Callable[[], Any]
"""What a multiprocess worker is given to load its job: any picklable callable returning the
``JobDefinition`` (a :class:`ReconstructableJob`, or :class:`OriginJobLoader`)."""


@dataclass(frozen=True, kw_only=True)
class OriginJobLoader:
    """Loads a job through a code-location loader passed in from a layer above (pure data).

    Attributes:
        load_definitions: a module-level function (pickled by reference), e.g.
            ``headwater.orchestration.code_location.load_definitions_from_origin``.
        origin: its argument (a ``CodeLocationOrigin``).
        job_name: the job to take from the loaded ``Definitions``.
    """

    load_definitions: Callable[[Any], Any]
    origin: Any
    job_name: str

    def __call__(self) -> Any:
        """The job, from freshly loaded definitions."""
        return self.load_definitions(self.origin).get_job_def(self.job_name)
