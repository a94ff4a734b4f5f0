r"""``headwater compat scan``: which Dagster APIs a project uses that headwater does not provide.

The scan reads every ``.py`` file under a path with :mod:`ast` and never imports it. It counts
as a *use*:

- each module of an import statement: ``import dagster``, ``import dagster._core.errors``,
  ``from dagster_duckdb import ...`` (kind ``module``; ``dagster_*`` packages are kind
  ``package``, and a project's own ``dagster_*`` packages are not counted);
- each name imported from a Dagster module: ``from dagster import asset`` (kind ``name``);
- each attribute of a name bound to a Dagster module: ``dg.asset`` after
  ``import dagster as dg`` (kind ``name``; ``dg.components.load_defs`` counts once, as
  ``dagster.components``).

A use is supported when headwater serves it: the names of ``headwater.compat.dagster.__all__``
(which includes its ``ALIASES``) and the alias modules of :mod:`headwater.compat.modules`.
Files that do not parse are reported and skipped; a file whose text never mentions
``dagster`` is counted but not parsed (it cannot use Dagster).

Example:
    >>> from pathlib import Path
    >>> from headwater.compat.scan import format_report, scan
    >>> Path("my_project").mkdir()
    >>> _ = Path("my_project/defs.py").write_text(
    ...     "import dagster as dg\n"
    ...     "@dg.asset\n"
    ...     "def orders(): ...\n"
    ...     "policy = dg.AutoMaterializePolicy.eager()\n"
    ... )
    >>> print(format_report(scan("my_project")))
    defs.py:4: dagster.AutoMaterializePolicy (name) is not provided by headwater
    <BLANKLINE>
    1 files, 3 Dagster uses, 2 supported by headwater (66.7%), 1 missing
    Missing, by number of uses:
          1  dagster.AutoMaterializePolicy
"""

from __future__ import annotations

import ast
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from headwater.compat.modules import ALIAS_MODULES, DAGSTER, provided_names

__all__ = ["ScanReport", "SyntaxProblem", "Use", "format_report", "scan"]

Kind = Literal["name", "module", "package"]
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Use:
    """One use of a Dagster API in a file.

    Attributes:
        file: the file's path relative to the scanned path (``/``-separated).
        line: the 1-based line of the use.
        kind: ``"name"``, ``"module"`` (a ``dagster`` module) or ``"package"`` (``dagster_*``).
        target: the full name, e.g. ``"dagster.ScheduleDefinition"`` or ``"dagster_dbt"``.
        supported: whether headwater provides it.
    """

    file: str
    line: int
    kind: Kind
    target: str
    supported: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class SyntaxProblem:
    """A file the scan could not parse (it is skipped)."""

    file: str
    line: int
    message: str


@dataclass(kw_only=True)
class ScanReport:
    """The result of :func:`scan`.

    Attributes:
        root: the scanned path.
        files: the number of ``.py`` files read (including those that did not parse).
        uses: every use found, in file and line order.
        syntax_errors: the files that did not parse.
    """

    root: str
    files: int = 0
    uses: list[Use] = field(default_factory=list)
    syntax_errors: list[SyntaxProblem] = field(default_factory=list)

    @property
    def missing(self) -> list[Use]:
        """The uses headwater does not provide."""
        return [use for use in self.uses if not use.supported]

    @property
    def missing_by_target(self) -> list[tuple[str, int]]:
        """``(target, number of uses)`` of every missing target, most used first."""
        counts = Counter(use.target for use in self.missing)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    @property
    def supported_percent(self) -> float:
        """The percentage of uses headwater provides (100.0 when there are none)."""
        if not self.uses:
            return 100.0
        return 100.0 * sum(use.supported for use in self.uses) / len(self.uses)

    def to_json(self) -> str:
        """The report as a JSON document (keys as in :func:`format_report`'s summary)."""
        missing = self.missing
        kinds = {use.target: use.kind for use in missing}
        document = {
            "root": self.root,
            "files": self.files,
            "uses": len(self.uses),
            "supported": len(self.uses) - len(missing),
            "supported_percent": round(self.supported_percent, 1),
            "missing": [asdict(use) for use in missing],
            "missing_by_target": [
                {"target": target, "kind": kinds[target], "uses": count}
                for target, count in self.missing_by_target
            ],
            "syntax_errors": [asdict(problem) for problem in self.syntax_errors],
        }
        return json.dumps(document, indent=2)


def scan(path: str | os.PathLike[str]) -> ScanReport:
    """Scan every ``.py`` file under ``path`` (or the one file ``path``) for Dagster uses.

    Hidden directories, ``__pycache__``, ``node_modules`` and virtual environments (directories
    holding ``pyvenv.cfg``) are skipped.

    Args:
        path: a directory or a ``.py`` file.

    Returns:
        The :class:`ScanReport`.
    """
    root = Path(path)
    files = sorted(_python_files(root))
    base = root if root.is_dir() else root.parent
    relative = [file.relative_to(base).as_posix() for file in files]
    local = _local_packages(root, relative)
    report = ScanReport(root=str(root), files=len(files))
    for file, name in zip(files, relative, strict=True):
        source = file.read_bytes()
        if b"dagster" not in source:
            continue  # no Dagster use possible; not worth parsing
        try:
            tree = ast.parse(source, filename=name)
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None) or 0
            message = getattr(exc, "msg", None) or str(exc)
            report.syntax_errors.append(SyntaxProblem(file=name, line=line, message=message))
            continue
        report.uses.extend(_FileScanner(name, local).scan(tree))
    return report


def format_report(report: ScanReport) -> str:
    """The human-readable report: one ``file:line`` line per missing use, then a summary."""
    lines = [
        f"{use.file}:{use.line}: {use.target} ({use.kind}) is not provided by headwater"
        for use in report.missing
    ]
    lines.extend(
        f"{p.file}:{p.line}: syntax error: {p.message} (skipped)" for p in report.syntax_errors
    )
    missing = report.missing
    if lines:
        lines.append("")
    lines.append(
        f"{report.files} files, {len(report.uses)} Dagster uses, "
        f"{len(report.uses) - len(missing)} supported by headwater "
        f"({report.supported_percent:.1f}%), {len(missing)} missing"
        + (
            f", {len(report.syntax_errors)} files with syntax errors"
            if report.syntax_errors
            else ""
        )
    )
    if missing:
        lines.append("Missing, by number of uses:")
        lines.extend(f"  {count:5d}  {target}" for target, count in report.missing_by_target)
    return "\n".join(lines) + "\n"


def _python_files(root: Path) -> Iterator[Path]:
    if root.is_file():
        if root.suffix == ".py":
            yield root
        return
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = [
            d
            for d in subdirs
            if not d.startswith(".")
            and d not in _SKIPPED_DIRS
            and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
        ]
        for name in names:
            if name.endswith(".py"):
                yield Path(directory, name)


def _local_packages(root: Path, relative: list[str]) -> frozenset[str]:
    """``dagster_*`` names that are the project's own packages or modules, not Dagster's."""
    names = {root.resolve().name}
    for name in relative:
        parts = name.split("/")
        names.update(parts[:-1])
        names.add(parts[-1].removesuffix(".py"))
    return frozenset(n for n in names if n.startswith(DAGSTER + "_"))


class _FileScanner:
    """The uses in one parsed file; import bindings are file-wide (no scoping)."""

    def __init__(self, file: str, local: frozenset[str]) -> None:
        self.file = file
        self.local = local
        self.bindings: dict[str, str] = {}  # local name -> Dagster module it is bound to
        self.uses: list[Use] = []

    def scan(self, tree: ast.Module) -> list[Use]:
        attributes: list[ast.Attribute] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                self._import(node)
            elif isinstance(node, ast.ImportFrom):
                self._import_from(node)
            elif isinstance(node, ast.Attribute):
                attributes.append(node)
        if self.bindings:
            for attribute in attributes:
                self._attribute(attribute)
        self.uses.sort(key=lambda use: use.line)
        return self.uses

    def _is_dagster(self, module: str) -> bool:
        top = module.partition(".")[0]
        return top == DAGSTER or (top.startswith(DAGSTER + "_") and top not in self.local)

    def _add(self, line: int, kind: Kind, target: str, supported: bool) -> None:
        self.uses.append(
            Use(file=self.file, line=line, kind=kind, target=target, supported=supported)
        )

    def _module_use(self, line: int, module: str) -> bool:
        """Record the import of ``module``; whether headwater serves it."""
        top = module.partition(".")[0]
        if top == DAGSTER:
            supported = module in ALIAS_MODULES
            self._add(line, "module", module, supported)
        else:
            supported = module in ALIAS_MODULES
            self._add(line, "package", module if supported else top, supported)
        return supported

    def _import(self, node: ast.Import) -> None:
        for alias in node.names:
            if not self._is_dagster(alias.name):
                continue
            supported = self._module_use(node.lineno, alias.name)
            if alias.asname is not None:
                if supported:
                    self.bindings[alias.asname] = alias.name
            else:
                top = alias.name.partition(".")[0]
                if top in ALIAS_MODULES:
                    self.bindings[top] = top

    def _import_from(self, node: ast.ImportFrom) -> None:
        module = node.module
        if node.level or module is None or not self._is_dagster(module):
            return
        if not self._module_use(node.lineno, module):
            return
        names = provided_names(module)
        for alias in node.names:
            if alias.name == "*":
                continue
            submodule = f"{module}.{alias.name}"
            if submodule in ALIAS_MODULES:
                self.bindings[alias.asname or alias.name] = submodule
                supported = True
            else:
                supported = alias.name in names
            self._add(node.lineno, "name", submodule, supported)

    def _resolve(self, expr: ast.expr) -> str | None:
        """The Dagster module ``expr`` denotes (``dg``, ``dg._core.errors``), if any."""
        if isinstance(expr, ast.Name):
            return self.bindings.get(expr.id)
        if isinstance(expr, ast.Attribute):
            parent = self._resolve(expr.value)
            if parent is not None and f"{parent}.{expr.attr}" in ALIAS_MODULES:
                return f"{parent}.{expr.attr}"
        return None

    def _attribute(self, node: ast.Attribute) -> None:
        module = self._resolve(node.value)
        if module is None or f"{module}.{node.attr}" in ALIAS_MODULES:
            return
        supported = node.attr in provided_names(module)
        self._add(node.lineno, "name", f"{module}.{node.attr}", supported)
