"""Print a normalized, deterministic transcript of what a compat program observed.

Every program under ``tests/compat/programs/`` is a plain user program written against Dagster's
public API (``import dagster as dg``). It reports what it sees through this module only, one
``label: value`` line per observation; the same program run on real Dagster (the golden file) and
on headwater (the replay) must print the same lines.

The helper knows nothing about either library. Values are normalized so that a line never
depends on memory addresses, dict or set ordering, or a library's own ``repr``:

- ``None``, ``bool``, ``int``, ``str`` print as their ``repr``; floats are rounded to 6 places.
- ``list`` and ``tuple`` keep their order; ``set``/``frozenset`` and dict keys are sorted.
- an ``Enum`` member prints as ``enum:NAME``.
- anything else prints as ``<object>``: a program must turn library objects into plain values
  (``key.path``, ``spec.group_name``...) before checking them.

Errors are compared by behaviour, not by class name (headwater's classes carry neutral names and
Dagster's names are aliases): :func:`expect_error` prints whether the call raised, the class name
only when it is a Python builtin exception, ``isinstance`` against the named error classes of the
library under test, and whether the message mentions each given key word.

Each case of a program runs under :func:`case`, so a missing name or an unexpected exception
ends that case only (printing one ``CRASH`` line) and the program goes on to the next case.
"""

from __future__ import annotations

import builtins
import enum
import sys
from collections.abc import Callable, Iterable
from typing import Any

_seen_labels: set[str] = set()
_prefix: list[str] = []


def _norm(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, enum.Enum):
        return f"enum:{value.name}"
    if type(value) is int or type(value) is str:
        return repr(value)
    if type(value) is float:
        return repr(round(value, 6))
    if type(value) in (list, tuple):
        inner = ", ".join(_norm(v) for v in value)
        return f"[{inner}]" if type(value) is list else f"({inner}{',' if len(value) == 1 else ''})"
    if type(value) in (set, frozenset):
        return "{" + ", ".join(sorted(_norm(v) for v in value)) + "}"
    if type(value) is dict:
        items = sorted((_norm(k), _norm(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if type(value) is bytes:
        return repr(value)
    return "<object>"


def _emit(label: str, text: str) -> None:
    full = ".".join([*_prefix, label])
    if full in _seen_labels:
        raise ValueError(f"duplicate transcript label {full!r}: labels must be unique")
    _seen_labels.add(full)
    print(f"{full}: {text}", flush=True)


def check(label: str, value: Any) -> Any:
    """Print ``label: normalized value`` and return ``value``."""
    _emit(label, _norm(value))
    return value


def check_sorted(label: str, values: Iterable[Any]) -> list[Any]:
    """Print the normalized values sorted (for collections whose order is not defined)."""
    items = sorted(_norm(v) for v in values)
    _emit(label, "[" + ", ".join(items) + "]")
    return list(values) if not isinstance(values, list) else values


def _library() -> Any:
    return sys.modules.get("dagster")


def _error_class(name: str) -> type[BaseException] | None:
    if hasattr(builtins, name):
        return getattr(builtins, name)  # type: ignore[no-any-return]
    lib = _library()
    try:
        return getattr(lib, name)  # type: ignore[no-any-return]
    except Exception:
        return None


def describe_error(label: str, exc: BaseException, *kinds: str, words: Iterable[str] = ()) -> None:
    """Print what kind of error ``exc`` is: builtin class name, isinstance checks, key words."""
    cls = type(exc)
    _emit(f"{label}.builtin", repr(cls.__name__ if cls.__module__ == "builtins" else None))
    for kind in kinds:
        target = _error_class(kind)
        verdict = "<missing>" if target is None else repr(isinstance(exc, target))
        _emit(f"{label}.isinstance[{kind}]", verdict)
    message = str(exc).lower()
    for word in words:
        _emit(f"{label}.mentions[{word}]", repr(word.lower() in message))


def expect_error(
    label: str, fn: Callable[[], Any], *kinds: str, words: Iterable[str] = ()
) -> BaseException | None:
    """Call ``fn`` expecting an exception; print whether it raised and what kind it was.

    ``kinds`` are error class names looked up on the library under test (``"TypeError"`` and other
    builtins resolve to Python's own); ``words`` are key words the message should mention.
    """
    try:
        fn()
    except Exception as exc:  # the point is to observe any exception
        _emit(f"{label}.raised", "True")
        describe_error(label, exc, *kinds, words=words)
        return exc
    _emit(f"{label}.raised", "False")
    return None


class case:  # lower case: used as a decorator and context manager
    """Run one case of a program; an unexpected exception prints a ``CRASH`` line and moves on.

    As a decorator the function runs at once::

        @case("asset_basics")
        def _():
            check("key", my_asset.key.path)
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, fn: Callable[[], Any]) -> None:
        with self:
            fn()

    def __enter__(self) -> case:
        _prefix.append(self.name)
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        try:
            if exc is not None and isinstance(exc, Exception):
                cls = type(exc)
                shown = cls.__name__ if cls.__module__ == "builtins" else "library error"
                _emit("CRASH", shown)
                print(f"CRASH in {self.name}: {cls.__name__}: {exc}", file=sys.stderr, flush=True)
                return True
            return False
        finally:
            _prefix.pop()
