"""How a failed tick describes its error: the message and, for user code, its traceback."""

from __future__ import annotations

import traceback

__all__ = ["describe_error"]

#: The longest error text stored in a tick.
MAX_ERROR_CHARS = 20_000


def describe_error(exc: BaseException) -> str:
    """The text of a FAILURE tick: the error's message, then the user's traceback when user
    code raised (in the code server), or the daemon's traceback for an unexpected error.

    Example:
        >>> describe_error(ValueError("boom")).splitlines()[0]
        'ValueError: boom'
    """
    from headwater.errors import HeadwaterError

    user = getattr(exc, "user_traceback", "") or ""
    if user:
        text = f"{exc}\n\n{user.rstrip()}"
    elif isinstance(exc, HeadwaterError):
        text = str(exc)
    else:
        text = "".join(traceback.format_exception_only(exc)).strip()
        text += "\n\n" + "".join(traceback.format_exception(exc)).rstrip()
    return text[-MAX_ERROR_CHARS:]
