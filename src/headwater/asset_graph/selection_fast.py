"""The trivial selections, parsed without lark: ``*``, a key, ``group:raw``, ``a or b``.

Most selections typed on a command line are one of these. Building the LALR parser costs about
100 ms on a fresh process (and importing lark about 30 ms), several times the rest of a small
run, so :meth:`AssetSelection.from_string` tries :func:`parse_simple` first and hands anything
else (traversals, ``and``/``not``, parentheses, quotes, functions, ``tag:k=v``, any error) to
the grammar in ``selection_grammar``. The two agree on every text this module accepts; a test
compares them.
"""

from __future__ import annotations

import re

from headwater.asset_graph.selection import AssetSelection, OrSelection
from headwater.keys import AssetKey

# The grammar's VALUE terminal, and the attributes that take a plain value.
_VALUE = r"[\w\-.\/@*]+"
_ATOM = re.compile(rf"\s*(?:(key|key_prefix|group|tag|kind|owner)\s*:\s*)?({_VALUE})\s*")
_OR = re.compile(r"\s+or\s+", re.IGNORECASE)
_SIMPLE = re.compile(r"[\s\w\-.\/@*:]+")  # nothing else can occur in a simple selection
_KEYWORDS = frozenset({"and", "or", "not"})


def parse_simple(text: str, include_sources: bool = False) -> AssetSelection | None:
    """The selection ``text`` denotes when it is a union of plain atoms, else ``None``.

    An atom is ``*``, a key or key pattern (``raw/orders``, ``raw/*``) or ``ATTR:VALUE`` for
    the attributes key, key_prefix, group, tag (without ``=value``), kind and owner; atoms are
    joined by ``or``. ``None`` means "ask the grammar", which also reports every error.

    Example:
        >>> str(parse_simple("group:raw or orders"))
        'group:raw or key:orders'
        >>> parse_simple("orders+") is None
        True
    """
    if _SIMPLE.fullmatch(text) is None:
        return None
    parts = _OR.split(text)
    atoms: list[AssetSelection] = []
    for part in parts:
        match = _ATOM.fullmatch(part)
        if match is None:
            return None
        attribute, value = match.groups()
        if value.lower() in _KEYWORDS or not value.strip("/"):
            return None  # the grammar reads a keyword here, or rejects an empty value
        try:
            atoms.append(_atom(attribute or "key", value, include_sources))
        except Exception:  # a malformed key such as "a//b": let the grammar report it
            return None
    return OrSelection.of(*atoms)


def _atom(attribute: str, value: str, sources: bool) -> AssetSelection:
    if attribute == "key":
        if "*" in value:
            return AssetSelection.key_wildcard(value, include_sources=sources)
        return AssetSelection.keys(AssetKey.from_user_string(value))
    if attribute == "key_prefix":
        return AssetSelection.key_prefixes(value, include_sources=sources)
    if attribute == "group":
        return AssetSelection.groups(value, include_sources=sources)
    if attribute == "kind":
        return AssetSelection.kind(value, include_sources=sources)
    if attribute == "owner":
        return AssetSelection.owner(value, include_sources=sources)
    return AssetSelection.tag(value, None, include_sources=sources)
