"""Console markup (rich's ``[bold]...[/]`` tags) without importing rich: escaping and stripping.

A tag is ``[`` followed by a letter, ``#``, ``/`` or ``@``, up to the next ``]``; a backslash
in front of it makes it literal text, and a pair of backslashes stands for one backslash.
Text that is not a tag (``[1/3]``, ``[2024-01-01]``) needs no escaping; ``\\[`` outside a tag
shows as ``[``. These are the rules of rich's markup, so that :func:`strip` shows what rich
shows (a test compares them).
"""

from __future__ import annotations

import re

_TAG = re.compile(r"(\\*)(\[[a-z#/@][^\[]*?\])")


def escape(text: str) -> str:
    """``text`` with every bracket that would start a tag escaped, so it prints as written.

    Example:
        >>> escape("[red] alert")
        '\\\\[red] alert'
        >>> escape("[1/3] done")
        '[1/3] done'
    """

    def literal(match: re.Match[str]) -> str:
        backslashes, tag = match.groups()
        return f"{backslashes}{backslashes}\\{tag}"

    escaped = _TAG.sub(literal, text)
    if escaped.endswith("\\") and not escaped.endswith("\\\\"):
        escaped += "\\"  # a lone trailing backslash would escape the markup that follows
    return escaped


def strip(markup: str) -> str:
    """The text ``markup`` shows: tags removed, escaped tags and backslashes restored.

    Example:
        >>> strip("[bold green]Run 1 succeeded[/] in 5ms")
        'Run 1 succeeded in 5ms'
        >>> strip(escape("[red] alert"))
        '[red] alert'
    """

    parts: list[str] = []
    position = 0
    for match in _TAG.finditer(markup):
        # Between tags, "\[" is an escaped bracket that starts no tag: a plain bracket.
        parts.append(markup[position : match.start()].replace("\\[", "["))
        backslashes, tag = match.groups()
        pairs, escaped = divmod(len(backslashes), 2)
        parts.append("\\" * pairs + (tag if escaped else ""))
        position = match.end()
    parts.append(markup[position:].replace("\\[", "["))
    return "".join(parts)
