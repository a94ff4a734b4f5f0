"""dbt's node selection syntax, evaluated on a manifest without importing dbt.

Supports what dbt documents for ``--select`` / ``--exclude`` / ``--selector``:

- a selection is a list of terms (or one string of space-separated terms): their union;
- a term is atoms joined by commas: their intersection;
- an atom is ``[@|N+|+]method:value[+|+N]`` or a bare value. A bare value is a path when it
  contains ``/`` or ends with ``.sql``/``.csv``/``.py``, else an ``fqn`` (a node name, or a
  dotted ``project.folder.name`` prefix); ``*`` wildcards are allowed;
- ``+x`` adds ancestors, ``x+`` descendants (``2+x`` / ``x+1``: up to that depth), ``@x``
  descendants and their ancestors;
- methods: ``fqn``, ``tag``, ``path``, ``file``, ``package``, ``config.<key>``,
  ``resource_type``, ``source``, ``test_type``, ``test_name``, ``group``, ``access``,
  ``version``. Methods that need run state (``state``, ``result``, ``source_status``) or
  semantic nodes (``exposure``, ``metric``, ...) raise an error naming the method;
- YAML selectors (``selectors.yml``, read from the manifest) with ``method``/``value``,
  ``children``/``parents`` (and their depths), ``childrens_parents``, ``union``,
  ``intersection`` and ``exclude``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from typing import Any

from headwater import DefinitionError
from headwater.integrations.dbt.manifest import DbtManifest

__all__ = ["select_unique_ids", "split_selection"]

_ATOM = re.compile(r"^(?P<at>@)?(?:(?P<up>\d*)\+)?(?P<body>.+?)(?:\+(?P<down>\d*))?$")
_PATH_SUFFIXES = (".sql", ".csv", ".py", ".yml", ".yaml", ".md")
_UNSUPPORTED = frozenset(
    {"state", "result", "source_status", "exposure", "metric", "semantic_model", "saved_query",
     "unit_test"}
)  # fmt: skip


def split_selection(selection: str | Sequence[str] | None) -> list[str]:
    """The terms of a selection: ``"a b,c"`` -> ``["a", "b,c"]``."""
    if selection is None:
        return []
    parts = [selection] if isinstance(selection, str) else list(selection)
    return [term for part in parts for term in part.split()]


def select_unique_ids(
    manifest: DbtManifest,
    *,
    select: str | Sequence[str] | None = "fqn:*",
    exclude: str | Sequence[str] | None = None,
    selector: str | None = None,
) -> set[str]:
    """Unique ids of the nodes (tests and sources included) a dbt selection picks.

    Args:
        manifest: the project's manifest.
        select: dbt ``--select`` terms (default: every node).
        exclude: dbt ``--exclude`` terms.
        selector: the name of a YAML selector of the project; replaces ``select``/``exclude``.

    Raises:
        DefinitionError: an unknown selector or method, or a malformed atom.
    """
    nodes = _Nodes(manifest)
    if selector is not None:
        definition = manifest.selectors.get(selector)
        if definition is None:
            known = sorted(manifest.selectors)
            raise DefinitionError(
                f"dbt selector {selector!r} is not defined in the project's selectors.yml "
                f"(selectors: {known or 'none'})."
            )
        return nodes.yaml(definition.get("definition", definition))
    chosen = nodes.terms(split_selection(select)) if select is not None else set(nodes.all)
    return chosen - nodes.terms(split_selection(exclude))


class _Nodes:
    """Selection over one manifest's nodes."""

    def __init__(self, manifest: DbtManifest) -> None:
        self.manifest = manifest
        self.all = manifest.nodes

    # -- terms and atoms ----------------------------------------------------------------------
    def terms(self, terms: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for term in terms:
            atoms = [self.atom(a) for a in term.split(",") if a]
            if atoms:
                out |= set.intersection(*atoms)
        return out

    def atom(self, text: str) -> set[str]:
        match = _ATOM.match(text)
        if match is None:
            raise DefinitionError(f"dbt selection {text!r} is not a valid selector atom.")
        body = match["body"]
        method, _, value = body.partition(":") if ":" in body else ("", "", body)
        if not method:
            method = "path" if "/" in value or value.endswith(_PATH_SUFFIXES) else "fqn"
        matched = self.method(method, value, where=text)
        if match["at"]:
            return self.childrens_parents(matched)
        if match["up"] is not None:
            matched |= _walk(matched, self.manifest.parents, _depth(match["up"]))
        if match["down"] is not None:
            matched |= _walk(matched, self.manifest.children, _depth(match["down"]))
        return matched

    def childrens_parents(self, base: set[str]) -> set[str]:
        """``@x``: x, its descendants and every ancestor of those."""
        below = base | _walk(base, self.manifest.children, None)
        return below | _walk(below, self.manifest.parents, None)

    # -- methods ------------------------------------------------------------------------------
    def method(self, method: str, value: str, *, where: str) -> set[str]:
        name, _, attribute = method.partition(".")
        if name in _UNSUPPORTED:
            raise DefinitionError(
                f"dbt selection {where!r}: the {name!r} method is not supported by headwater's "
                "selection (it needs dbt state or semantic nodes); select by fqn, tag, path, "
                "config, source or resource_type instead."
            )
        finder = getattr(self, f"_by_{name}", None)
        if finder is None or (name == "config") != bool(attribute):
            raise DefinitionError(
                f"dbt selection {where!r}: unknown method {method!r}. Methods: fqn, tag, path, "
                "file, package, config.<key>, resource_type, source, test_type, test_name, "
                "group, access, version."
            )
        if name == "config":
            return self._by_config(attribute, value)
        return finder(value)  # type: ignore[no-any-return]

    def _matching(self, predicate: Any) -> set[str]:
        return {uid for uid, node in self.all.items() if predicate(node)}

    def _by_fqn(self, value: str) -> set[str]:
        if value in {"*", ""}:
            return {uid for uid, n in self.all.items() if n.get("resource_type") != "source"}
        parts = value.split(".")
        return self._matching(
            lambda n: n.get("resource_type") != "source"
            and (_fqn_matches(n.get("fqn", []), parts) or _fqn_matches(n.get("fqn", [])[1:], parts))
        )

    def _by_tag(self, value: str) -> set[str]:
        return self._matching(lambda n: any(fnmatchcase(t, value) for t in _tags(n)))

    def _by_path(self, value: str) -> set[str]:
        wanted = value.rstrip("/")
        return self._matching(lambda n: _path_matches(n.get("original_file_path", ""), wanted))

    def _by_file(self, value: str) -> set[str]:
        def matches(node: Mapping[str, Any]) -> bool:
            name = node.get("original_file_path", "").rsplit("/", 1)[-1]
            return fnmatchcase(name, value) or fnmatchcase(name.rsplit(".", 1)[0], value)

        return self._matching(lambda n: n.get("resource_type") != "source" and matches(n))

    def _by_package(self, value: str) -> set[str]:
        return self._matching(lambda n: fnmatchcase(n.get("package_name", ""), value))

    def _by_config(self, key: str, value: str) -> set[str]:
        def matches(node: Mapping[str, Any]) -> bool:
            found = node.get("config", {}).get(key)
            values = found if isinstance(found, list) else [found]
            return any(fnmatchcase(_config_text(v), value) for v in values if v is not None)

        return self._matching(matches)

    def _by_resource_type(self, value: str) -> set[str]:
        return self._matching(lambda n: n.get("resource_type") == value)

    def _by_source(self, value: str) -> set[str]:
        parts = value.split(".")
        if len(parts) > 3:
            raise DefinitionError(f"dbt selection 'source:{value}' has too many parts.")

        def matches(node: Mapping[str, Any]) -> bool:
            if node.get("resource_type") != "source":
                return False
            names = [node.get("source_name", ""), node.get("name", "")]
            if len(parts) == 3 or (len(parts) == 2 and parts[0] == node.get("package_name")):
                names = [node.get("package_name", ""), *names]
            return all(fnmatchcase(n, p) for n, p in zip(names, parts, strict=False))

        return self._matching(matches)

    def _by_test_type(self, value: str) -> set[str]:
        def matches(node: Mapping[str, Any]) -> bool:
            if node.get("resource_type") != "test":
                return False
            kind = "generic" if node.get("test_metadata") else "singular"
            return value in {kind, "data"} if value != "schema" else kind == "generic"

        return self._matching(matches)

    def _by_test_name(self, value: str) -> set[str]:
        return self._matching(
            lambda n: n.get("resource_type") == "test"
            and fnmatchcase((n.get("test_metadata") or {}).get("name") or n.get("name", ""), value)
        )

    def _by_group(self, value: str) -> set[str]:
        return self._matching(lambda n: fnmatchcase(_config_text(_group(n)), value))

    def _by_access(self, value: str) -> set[str]:
        return self._matching(lambda n: n.get("access") == value)

    def _by_version(self, value: str) -> set[str]:
        def matches(node: Mapping[str, Any]) -> bool:
            version, latest = node.get("version"), node.get("latest_version")
            if version is None:
                return False
            if value == "latest":
                return bool(version == latest)
            if value == "prerelease":
                return latest is not None and float(version) > float(latest)
            if value == "old":
                return latest is not None and float(version) < float(latest)
            return str(version) == value

        return self._matching(matches)

    # -- YAML selectors -------------------------------------------------------------------------
    def yaml(self, definition: Any) -> set[str]:
        if isinstance(definition, str):
            return self.terms(split_selection(definition))
        if not isinstance(definition, Mapping):
            raise DefinitionError(f"dbt selector definition {definition!r} is not understood.")
        if "union" in definition or "intersection" in definition:
            combine = "union" if "union" in definition else "intersection"
            included: list[set[str]] = []
            excluded: set[str] = set()
            for item in definition[combine]:
                if isinstance(item, Mapping) and set(item) == {"exclude"}:
                    excluded |= set().union(*(self.yaml(e) for e in item["exclude"]))
                else:
                    included.append(self.yaml(item))
            if not included:
                return set()
            chosen = set.union(*included) if combine == "union" else set.intersection(*included)
            return chosen - excluded
        method, value = definition.get("method"), definition.get("value")
        if method is None or value is None:
            raise DefinitionError(
                f"dbt selector definition {dict(definition)!r} needs method: and value:."
            )
        base = self.method(str(method), str(value), where=f"{method}:{value}")
        out = self.childrens_parents(base) if definition.get("childrens_parents") else set(base)
        if definition.get("parents"):
            out |= _walk(base, self.manifest.parents, definition.get("parents_depth"))
        if definition.get("children"):
            out |= _walk(base, self.manifest.children, definition.get("children_depth"))
        for item in definition.get("exclude") or ():
            out -= self.yaml(item)
        return out


def _depth(text: str) -> int | None:
    """``""`` (no depth: all the way) or a number of edges."""
    return int(text) if text else None


def _walk(start: set[str], edges: Mapping[str, Sequence[str]], depth: int | None) -> set[str]:
    """Nodes reachable from ``start`` along ``edges`` within ``depth`` steps (``None``: any)."""
    seen: set[str] = set()
    frontier = set(start)
    level = 0
    while frontier and (depth is None or level < depth):
        level += 1
        step = {n for uid in frontier for n in edges.get(uid, ())} - seen - start
        seen |= step
        frontier = step
    return seen


def _fqn_matches(fqn: Sequence[str], parts: Sequence[str]) -> bool:
    """dbt's fqn rule: the node's name, or a dotted prefix of its fqn (``*`` wildcards)."""
    if not fqn:
        return False
    if len(parts) == 1 and fnmatchcase(fqn[-1], parts[0]):
        return True
    flat = [piece for segment in fqn for piece in segment.split(".")]
    if len(parts) > len(flat):
        return False
    for index, part in enumerate(parts):
        if part == "*" and index == len(parts) - 1:
            return True
        if not fnmatchcase(flat[index], part):
            return False
    return True


def _path_matches(path: str, wanted: str) -> bool:
    if not path:
        return False
    if fnmatchcase(path, wanted) or path == wanted:
        return True
    return path.startswith(wanted + "/")


def _tags(node: Mapping[str, Any]) -> list[str]:
    tags = node.get("tags") or node.get("config", {}).get("tags") or []
    return [str(t) for t in tags]


def _group(node: Mapping[str, Any]) -> Any:
    return node.get("group") or node.get("config", {}).get("group")


def _config_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value) if value is not None else ""
