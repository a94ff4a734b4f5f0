"""The text form of asset selections, parsed with lark (LALR).

This module imports lark, which costs tens of milliseconds, so ``selection.py`` imports it
only inside :meth:`AssetSelection.from_string`, and only for selections that
``selection_fast`` cannot parse alone. The grammar is compiled once per process, on first use,
from lark's cache file in the user's cache directory when there is one (building the LALR
tables takes about 100 ms; loading them about 10 ms).
``docs/selection.md`` describes the language for users; in short::

    expr      := expr "or" expr | expr "and" expr | "not" expr | traversal
    traversal := [N]"+" atom ["+"[N]] | atom ["+"[N]]        (+ alone = no depth limit)
    atom      := "(" expr ")" | roots(expr) | sinks(expr) | attr ":" value ["=" value] | value

Text that contains a comma (outside quotes) is the legacy list form ``*a,b+,++c``.
"""

from __future__ import annotations

import difflib
import os
import re
from functools import cache
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError

from headwater.asset_graph.selection import (
    AndSelection,
    AssetSelection,
    NotSelection,
    OrSelection,
)
from headwater.errors import InvalidSelectionError
from headwater.keys import AssetKey

_NAME_END = r"(?![\w\-.\/@*])"  # a keyword must not run on into a name ("android")
_GRAMMAR = rf"""
?start: or_expr
?or_expr: and_expr (_OR and_expr)*
?and_expr: not_expr (_AND not_expr)*
?not_expr: _NOT not_expr -> not_
         | traversal
?traversal: UP atom DOWN -> up_down
          | UP atom -> up
          | atom DOWN -> down
          | atom
?atom: "(" or_expr ")"
     | VALUE "(" or_expr ")" -> call
     | VALUE ":" value ("=" value)? -> attribute
     | value -> bare
?value: VALUE | STRING

_AND.3: /and{_NAME_END}/i
_OR.3: /or{_NAME_END}/i
_NOT.3: /not{_NAME_END}/i
UP.2: /\d*\+/
DOWN.2: /\+\d*/
VALUE: /[\w\-.\/@*]+/
STRING: /"(?:[^"\\]|\\.)*"/s
%ignore /\s+/
"""

_ATTRIBUTES = ("key", "key_prefix", "group", "tag", "kind", "owner")
_FUNCTIONS = ("roots", "sinks")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_LEGACY_ITEM = re.compile(r"(\*|\+*)([^\s*+]+?)(\*|\+*)")
_TERMINAL_WORDS = {
    "UP": "'+' or 'N+' (upstream)",
    "DOWN": "'+' or '+N' (downstream)",
    "_AND": "'and'",
    "_OR": "'or'",
    "_NOT": "'not'",
    "LPAR": "'('",
    "RPAR": "')'",
    "COLON": "':'",
    "EQUAL": "'='",
    "$END": "the end of the selection",
}
_HINTS = {
    "-": " (to subtract, write 'x and not y')",
    "|": " (write 'or' for a union)",
    "&": " (write 'and' for an intersection)",
    "!": " (write 'not' for a complement)",
}


def parse_selection(text: str, include_sources: bool = False) -> AssetSelection:
    """Parse ``text`` into an :class:`AssetSelection`.

    Args:
        text: the selection in the grammar above, or a legacy comma-separated list.
        include_sources: whether ``*``, ``not`` and attribute filters match external assets.

    Raises:
        InvalidSelectionError: the text is empty or does not parse; the message gives the column
            and what was expected there.

    Example:
        >>> str(parse_selection("2+key:a  OR group:raw"))
        '2+key:a or group:raw'
        >>> str(parse_selection("*a,b+"))
        '+key:a or key:b+1'
    """
    if not text.strip():
        raise InvalidSelectionError(
            "The asset selection is empty: write e.g. 'key:my_asset', 'group:raw' or '*'."
        )
    if "," in _STRING.sub("", text):
        return _parse_legacy(text, include_sources)
    try:
        tree = _parser().parse(text)
        selection: AssetSelection = _ToSelection(text, include_sources).transform(tree)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    except VisitError as exc:
        if isinstance(exc.orig_exc, InvalidSelectionError):
            raise exc.orig_exc from None
        raise
    return selection


@cache
def _parser() -> Lark:
    return Lark(
        _GRAMMAR, parser="lalr", lexer="contextual", propagate_positions=False, cache=_cache_file()
    )


def _cache_file() -> str | bool:
    """Where lark keeps the compiled parser: ``$XDG_CACHE_HOME/headwater`` (default
    ``~/.cache/headwater``), private to the user; ``False`` (no cache) when it cannot be made.

    Lark checks the grammar's hash stored in the file and rebuilds a stale one.
    """
    import lark

    home = os.path.expanduser("~")
    base = os.environ.get("XDG_CACHE_HOME") or (
        None if home == "~" else os.path.join(home, ".cache")
    )
    if base is None:
        return False
    directory = Path(base) / "headwater"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    if not os.access(directory, os.W_OK):
        return False
    return str(directory / f"selection-grammar-lark-{lark.__version__}.cache")


@v_args(inline=True)
class _ToSelection(Transformer[Token, AssetSelection]):
    def __init__(self, text: str, include_sources: bool) -> None:
        super().__init__()
        self._text = text
        self._sources = include_sources

    def or_expr(self, *operands: AssetSelection) -> AssetSelection:
        return OrSelection.of(*operands)

    def and_expr(self, *operands: AssetSelection) -> AssetSelection:
        # "a and not b" is a minus b (as AssetSelection's `a - b` renders): what "not" excludes
        # is taken out of the other operands, which keep any source assets they name.
        kept = [o for o in operands if not isinstance(o, NotSelection)]
        removed = [o.child for o in operands if isinstance(o, NotSelection)]
        if not kept or not removed:
            return AndSelection.of(*operands)
        return AndSelection.of(*kept) - OrSelection.of(*removed)

    def not_(self, operand: AssetSelection) -> AssetSelection:
        return NotSelection(child=operand, include_sources=self._sources)

    def up(self, up: Token, operand: AssetSelection) -> AssetSelection:
        return operand.upstream(_depth(up), include_sources=self._sources)

    def down(self, operand: AssetSelection, down: Token) -> AssetSelection:
        return operand.downstream(_depth(down), include_sources=self._sources)

    def up_down(self, up: Token, operand: AssetSelection, down: Token) -> AssetSelection:
        return self.up(up, operand) | self.down(operand, down)

    def call(self, name: Token, operand: AssetSelection) -> AssetSelection:
        if name == "roots":
            return operand.roots()
        if name == "sinks":
            return operand.sinks()
        raise self._unknown(name, "function", _FUNCTIONS)

    def bare(self, value: Token) -> AssetSelection:
        return self._key(self._value(value))

    def attribute(
        self, name: Token, value: Token, tag_value: Token | None = None
    ) -> AssetSelection:
        if name not in _ATTRIBUTES:
            raise self._unknown(name, "attribute", _ATTRIBUTES)
        if tag_value is not None and name != "tag":
            raise self._error(name, f"'=' is only allowed after tag:, not after {name}:")
        text, sources = self._value(value), self._sources
        if name == "key":
            return self._key(text)
        if name == "key_prefix":
            return AssetSelection.key_prefixes(text, include_sources=sources)
        if name == "group":
            return AssetSelection.groups(text, include_sources=sources)
        if name == "kind":
            return AssetSelection.kind(text, include_sources=sources)
        if name == "owner":
            return AssetSelection.owner(text, include_sources=sources)
        tag = None if tag_value is None else self._value(tag_value, allow_empty=True)
        return AssetSelection.tag(text, tag, include_sources=sources)

    def _key(self, text: str) -> AssetSelection:
        if "*" in text:
            return AssetSelection.key_wildcard(text, include_sources=self._sources)
        return AssetSelection.keys(AssetKey.from_user_string(text))

    def _value(self, token: Token, allow_empty: bool = False) -> str:
        text = str(token)
        if token.type == "STRING":
            text = re.sub(r"\\(.)", r"\1", text[1:-1], flags=re.DOTALL)
        if not allow_empty and not text.strip("/ "):
            raise self._error(token, "an empty value selects nothing; write a name here")
        return text

    def _unknown(self, name: Token, what: str, known: tuple[str, ...]) -> InvalidSelectionError:
        close = difflib.get_close_matches(str(name), known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return self._error(name, f"unknown {what} '{name}'; {hint}known: {', '.join(known)}")

    def _error(self, token: Token, problem: str) -> InvalidSelectionError:
        return InvalidSelectionError(
            f"Invalid asset selection {self._text!r}: {problem} "
            f"(column {token.column}).\n{_pointer(self._text, token.line or 1, token.column or 1)}"
        )


def _depth(token: Token) -> int | None:
    digits = str(token).strip("+")
    return int(digits) if digits else None


def _parse_legacy(text: str, include_sources: bool) -> AssetSelection:
    """The comma-separated form: ``a``, ``+a`` (one hop per +), ``*a`` (all), same after."""
    parts: list[AssetSelection] = []
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        match = _LEGACY_ITEM.fullmatch(item)
        if match is None:
            raise InvalidSelectionError(
                f"Invalid asset selection {text!r}: the item {item!r} of this comma-separated "
                "list is not of the form [*|+...]asset/key[*|+...]. Write boolean selections "
                "with 'or' instead of commas, e.g. 'key:a or group:raw'."
            )
        before, name, after = match.groups()
        selected = AssetSelection.keys(AssetKey.from_user_string(name))
        traversals = []
        if before:
            depth = None if before == "*" else len(before)
            traversals.append(selected.upstream(depth, include_sources=include_sources))
        if after:
            depth = None if after == "*" else len(after)
            traversals.append(selected.downstream(depth, include_sources=include_sources))
        parts.append(OrSelection.of(*traversals) if traversals else selected)
    if not parts:
        raise InvalidSelectionError(f"Invalid asset selection {text!r}: the list names no asset.")
    return OrSelection.of(*parts)


def _syntax_error(text: str, exc: UnexpectedInput) -> InvalidSelectionError:
    line, column = exc.line, exc.column
    if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
        found = "the selection ends too early"
        line, column = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1
        expected = exc.accepts or exc.expected
    elif isinstance(exc, UnexpectedToken):
        found = f"unexpected {str(exc.token)!r}" + _HINTS.get(str(exc.token)[:1], "")
        expected = exc.accepts or exc.expected
    else:  # UnexpectedCharacters: no terminal matches here
        char = text[exc.pos_in_stream] if exc.pos_in_stream is not None else "?"
        found = f"unexpected character {char!r}" + _HINTS.get(char, "")
        expected = getattr(exc, "allowed", None) or set()
    return InvalidSelectionError(
        f"Invalid asset selection {text!r}: {found} at column {column}; "
        f"expected {_describe(expected)}.\n{_pointer(text, line, column)}"
    )


def _describe(terminals: set[str]) -> str:
    words = []
    if "VALUE" in terminals:
        at_start = "LPAR" in terminals or "_NOT" in terminals
        words.append("an asset key or a filter such as group:raw" if at_start else "a value")
    elif "STRING" in terminals:
        words.append("a quoted string")
    words += sorted(_TERMINAL_WORDS[t] for t in terminals if t in _TERMINAL_WORDS)
    if not words:
        return "something else"
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _pointer(text: str, line: int, column: int) -> str:
    shown = text.split("\n")[line - 1] if text else ""
    return f"  {shown}\n  {' ' * (column - 1)}^"
