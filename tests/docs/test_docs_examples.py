"""The user documentation is correct: its examples run, its links resolve, its API page is complete.

Conventions for the markdown files (the directive is an HTML comment on the line just before a
fenced block, so it does not show when the markdown is rendered):

- Every ```` ```python ```` block of a file in ``RUNNABLE`` is executed, in document order, in one
  namespace per file, in a temporary working directory with ``HEADWATER_HOME`` pointing at a
  temporary instance. ``<!-- skip -->`` before a block leaves it out (for fragments that need
  something the reader has and the test has not, such as a PostgreSQL server).
- ``<!-- file: some/path.py -->`` before a block also writes the block to that path (relative to
  the working directory); a second block with the same path is appended. Python files written
  this way are executed too, so a project built up across a tutorial is checked step by step.
- ``<!-- run -->`` before a ```` ```bash ```` block runs each of its ``headwater ...`` lines with
  ``python -m headwater`` in the same directory and instance; each must exit 0. The word
  ``RUN_ID`` in such a line is replaced by the id of the newest run.
- After a file's blocks ran, every function of its namespace whose name starts with ``test_``
  and that takes no argument is called (this checks the examples in docs/testing.md).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import headwater

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
RUNNABLE = [
    "README.md",
    "docs/tutorial.md",
    "docs/testing.md",
    "docs/concepts.md",
    "docs/api.md",
    "docs/io-managers.md",
    "docs/instance-and-storage.md",
    "docs/porting-from-dagster.md",
    "docs/project-layout.md",
    "docs/partitions.md",
    "docs/backfills.md",
    "docs/asset-checks.md",
    "docs/ops-and-jobs.md",
    "docs/retries-and-reexecution.md",
    "docs/types.md",
    "docs/versions-and-staleness.md",
    "docs/schedules-and-sensors.md",
    "docs/concurrency-pools.md",
    "docs/running-in-background.md",
    "docs/dbt.md",
    "docs/executors.md",
    "docs/automation.md",
    "docs/freshness.md",
]
LINKED = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in DOCS.glob("*.md"))]

_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w+-]*)[ \t]*$")
_DIRECTIVE = re.compile(r"^\s*<!--\s*(?P<name>skip|run|file)\s*(?::\s*(?P<arg>\S+))?\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a markdown file."""

    doc: str
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    directive: str | None
    argument: str | None


def fenced_blocks(doc: str) -> list[Block]:
    """The fenced blocks of ``doc`` (a path relative to the repository), in order."""
    lines = (ROOT / doc).read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        indent, start = match["indent"], i
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
            i += 1
        directive = _directive_before(lines, start)
        blocks.append(
            Block(
                doc=doc,
                line=start + 1,
                lang=match["lang"],
                code="\n".join(body) + "\n",
                directive=directive[0] if directive else None,
                argument=directive[1] if directive else None,
            )
        )
        i += 1
    return blocks


def _directive_before(lines: list[str], index: int) -> tuple[str, str | None] | None:
    j = index - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    match = _DIRECTIVE.match(lines[j]) if j >= 0 else None
    return (match["name"], match["arg"]) if match else None


# -- 1. the API reference names every public name ---------------------------------------------
def _api_names() -> tuple[set[str], set[str]]:
    """(names in a heading, names in a code span) of docs/api.md."""
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    headings = {
        word
        for line in text.splitlines()
        if line.startswith("#")
        for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", line)
    }
    spans = set()
    for span in re.findall(r"`([^`\n]+)`", text):
        name = re.split(r"[(\[\s]", span.strip().removeprefix("hw."), maxsplit=1)[0]
        spans.add(name)
    return headings, spans


def test_api_reference_mentions_every_public_name() -> None:
    headings, spans = _api_names()
    missing = [n for n in headwater.__all__ if n not in headings and n not in spans]
    assert not missing, f"docs/api.md does not document: {missing}"


def test_api_reference_headings_name_only_public_names() -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    documented = re.findall(r"^#{3,4} `(?:hw\.)?([A-Za-z_][A-Za-z0-9_]*)`", text, re.M)
    stale = sorted(set(documented) - set(headwater.__all__))
    assert documented, "docs/api.md has no `### `name`` headings"
    assert not stale, f"docs/api.md documents names that headwater does not export: {stale}"


def test_porting_guide_lists_every_dagster_alias() -> None:
    from headwater.compat.dagster import ALIASES

    text = (DOCS / "porting-from-dagster.md").read_text(encoding="utf-8")
    missing = [name for name in ALIASES if f"`{name}`" not in text]
    assert not missing, f"docs/porting-from-dagster.md does not list: {missing}"


# -- 2. the examples run --------------------------------------------------------------------
@pytest.fixture
def docs_sandbox(
    tmp_path: Path, headwater_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A working directory (with HEADWATER_HOME set) for one markdown file's examples."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    try:
        yield tmp_path
    finally:
        # Modules the examples wrote (e.g. ``myproject``) must not leak into other files.
        for name in set(sys.modules) - before:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file.startswith(str(tmp_path)):
                del sys.modules[name]


@pytest.mark.parametrize("doc", RUNNABLE)
def test_examples_run(doc: str, docs_sandbox: Path) -> None:
    namespace: dict[str, Any] = {"__name__": f"docs_{Path(doc).stem.replace('-', '_')}"}
    ran = 0
    for block in fenced_blocks(doc):
        if block.directive == "skip":
            continue
        if block.directive == "file" and block.argument:
            _write(docs_sandbox / block.argument, block.code)
        if block.lang == "python":
            _exec_python(block, namespace)
            ran += 1
        elif block.directive == "run":
            _run_shell(block, docs_sandbox)
            ran += 1
    assert ran, f"{doc} has no runnable example"
    for name, value in list(namespace.items()):
        if name.startswith("test_") and callable(value) and _takes_no_arguments(value):
            value()


def _write(path: Path, code: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(code)


def _exec_python(block: Block, namespace: dict[str, Any]) -> None:
    code = compile(block.code, f"{block.doc}:{block.line}", "exec")
    try:
        exec(code, namespace)
    except Exception as exc:
        raise AssertionError(
            f"The example at {block.doc}:{block.line} raised {type(exc).__name__}: {exc}"
        ) from exc


def _run_shell(block: Block, cwd: Path) -> None:
    for raw in block.code.splitlines():
        line = raw.strip()
        if not line.startswith("headwater "):
            continue
        if "RUN_ID" in line:
            line = line.replace("RUN_ID", _newest_run_id())
        args = shlex.split(line)[1:]
        done = subprocess.run(
            [sys.executable, "-m", "headwater", *args],
            cwd=cwd,
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, (
            f"`{line}` ({block.doc}:{block.line}) exited {done.returncode}:\n"
            f"{done.stdout}\n{done.stderr}"
        )


def _newest_run_id() -> str:
    with headwater.Instance.get() as instance:
        runs = instance.get_runs(limit=1)
    assert runs, "RUN_ID is used before any run was stored"
    return runs[0].run_id


def _takes_no_arguments(function: Any) -> bool:
    import inspect

    try:
        return not inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


# -- 3. relative links point at existing files (and anchors at existing headings) ------------
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


_FENCED = re.compile(r"^([ \t]*)```.*?^\1```[ \t]*$", re.M | re.S)


def _without_fenced_blocks(doc: Path) -> str:
    return _FENCED.sub("", doc.read_text(encoding="utf-8"))


def _prose(doc: Path) -> str:
    """The markdown of ``doc`` without fenced blocks and inline code."""
    return re.sub(r"`[^`\n]*`", "", _without_fenced_blocks(doc))


def _heading_anchors(doc: Path) -> set[str]:
    """GitHub's anchors for the headings of ``doc`` (inline code keeps its text)."""
    seen: dict[str, int] = {}
    anchors = set()
    for line in _without_fenced_blocks(doc).splitlines():
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        slug = re.sub(r"[^\w\- ]", "", match[1].replace("`", "").lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


@pytest.mark.parametrize("doc", LINKED)
def test_relative_links_resolve(doc: str) -> None:
    source = ROOT / doc
    broken = []
    for target in _LINK.findall(_prose(source)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        path = (source.parent / path_part).resolve() if path_part else source
        if not path.exists():
            broken.append(f"{target} (no file {os.path.relpath(path, ROOT)})")
        elif anchor and path.suffix == ".md" and anchor not in _heading_anchors(path):
            broken.append(f"{target} (no heading #{anchor} in {os.path.relpath(path, ROOT)})")
    assert not broken, f"{doc} has broken links: {broken}"
