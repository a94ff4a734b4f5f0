"""``@definitions``: a function that builds a code location's ``Definitions`` when called."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING

from headwater.errors import DefinitionError

if TYPE_CHECKING:
    from headwater.declarations.definitions import Definitions

__all__ = ["LazyDefinitions", "definitions"]


class LazyDefinitions:
    """A function decorated with ``@definitions``: calling it builds the ``Definitions``.

    Each call runs the function again (nothing is cached), so a test can build fresh
    definitions as often as it likes. Code-location loading (``-f``/``-m``) and
    ``load_from_defs_folder`` call it once.

    Attributes:
        load_fn: the decorated function (also ``__wrapped__``).
    """

    def __init__(self, load_fn: Callable[[], Definitions]) -> None:
        self.load_fn = load_fn
        functools.update_wrapper(self, load_fn)

    def __call__(self) -> Definitions:
        """Run the decorated function and return its ``Definitions``.

        Raises:
            DefinitionError: the function returned something other than a ``Definitions``.
        """
        from headwater.declarations.definitions import Definitions

        result = self.load_fn()
        if not isinstance(result, Definitions):
            raise DefinitionError(
                f"@definitions function {self.describe()} returned a {type(result).__name__}, "
                "not a Definitions object. Return Definitions(...) (or load_from_defs_folder(...))."
            )
        return result

    def describe(self) -> str:
        """``'name' (file:line)`` of the decorated function, for messages."""
        code = getattr(self.load_fn, "__code__", None)
        where = f" ({code.co_filename}:{code.co_firstlineno})" if code is not None else ""
        return f"{getattr(self.load_fn, '__name__', repr(self.load_fn))!r}{where}"

    def __repr__(self) -> str:
        return f"<@definitions {self.describe()}>"


def definitions(fn: Callable[[], Definitions]) -> LazyDefinitions:
    """Mark a function taking no arguments as the builder of a ``Definitions``.

    The decorated object is callable and returns the ``Definitions`` the function returns. A
    code location (``headwater ... -f file.py`` or ``-m module``) whose module holds one finds
    it as it finds a module-level ``Definitions`` and calls it once; in a ``defs/`` folder
    loaded with :func:`load_from_defs_folder`, each module's ``@definitions`` functions are
    called and their results merged with the rest of the folder (the usual home of a project's
    resources).

    Args:
        fn: a function with no parameters returning a ``Definitions``. Dagster also accepts a
            ``context`` parameter (a ``ComponentLoadContext``); headwater has no component
            load context yet and refuses such functions.

    Returns:
        A :class:`LazyDefinitions`; call it to build the ``Definitions``.

    Raises:
        DefinitionError: ``fn`` is not a function, or it takes parameters.

    Example:
        >>> from headwater import Definitions, asset, definitions
        >>> @asset
        ... def numbers() -> list[int]:
        ...     return [1, 2, 3]
        >>> @definitions
        ... def defs() -> Definitions:
        ...     return Definitions(assets=[numbers])
        >>> defs().get_all_asset_keys()
        [AssetKey(['numbers'])]
    """
    if not callable(fn) or isinstance(fn, type):
        raise DefinitionError(
            f"@definitions decorates a function that returns Definitions; got {fn!r}."
        )
    params = list(inspect.signature(fn).parameters.values())
    if params:
        names = ", ".join(p.name for p in params)
        raise DefinitionError(
            f"@definitions function {getattr(fn, '__name__', fn)!r} takes parameters ({names}); "
            "headwater calls it with none (a ComponentLoadContext is not supported yet). Remove "
            "the parameters."
        )
    return LazyDefinitions(fn)
