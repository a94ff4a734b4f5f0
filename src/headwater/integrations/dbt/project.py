"""``DbtProject``: where a dbt project, its profiles and its manifest are."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from headwater import DefinitionError, HeadwaterError
from headwater.integrations.dbt.process import dbt_environment, resolve_dbt_executable

__all__ = ["DbtProject"]

_DEFAULT_PATHS = {
    "model-paths": ["models"],
    "seed-paths": ["seeds"],
    "snapshot-paths": ["snapshots"],
    "macro-paths": ["macros"],
    "test-paths": ["tests"],
    "analysis-paths": ["analyses"],
}
_PROJECT_FILES = ("dbt_project.yml", "selectors.yml", "packages.yml", "dependencies.yml")


class DbtProject:
    """A dbt project on disk.

    Args:
        project_dir: the directory holding ``dbt_project.yml`` (relative paths are relative to
            the working directory).
        target_path: where dbt writes its artifacts, relative to ``project_dir`` (default
            ``"target"``); the manifest is ``<target_path>/manifest.json``.
        profiles_dir: the directory of ``profiles.yml`` (default: ``$DBT_PROFILES_DIR``, else
            ``project_dir`` when it has a ``profiles.yml``, else ``~/.dbt``).
        profile: the profile to use (default: the one ``dbt_project.yml`` names).
        target: the profile's target (default: the profile's ``target``).
        dbt_executable: the dbt command used by :meth:`prepare` (default ``"dbt"``).
        env: environment variables added to the ``dbt parse`` process's.

    Raises:
        DefinitionError: ``project_dir`` has no ``dbt_project.yml``.

    Example:
        >>> project = DbtProject(project_dir="transform")  # doctest: +SKIP
        >>> project.prepare_if_dev()  # doctest: +SKIP
        >>> project.manifest_path  # doctest: +SKIP
        PosixPath('.../transform/target/manifest.json')
    """

    def __init__(
        self,
        project_dir: str | os.PathLike[str],
        *,
        target_path: str | os.PathLike[str] = "target",
        profiles_dir: str | os.PathLike[str] | None = None,
        profile: str | None = None,
        target: str | None = None,
        dbt_executable: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.project_dir = Path(project_dir).absolute()
        if not (self.project_dir / "dbt_project.yml").is_file():
            raise DefinitionError(
                f"{str(self.project_dir)!r} is not a dbt project: it has no dbt_project.yml. "
                "Give DbtProject(project_dir=...) the directory of dbt_project.yml."
            )
        self.target_path = self.project_dir / target_path
        self.profiles_dir = Path(profiles_dir).absolute() if profiles_dir else None
        self.profile = profile
        self.target = target
        self.dbt_executable = dbt_executable
        self.env = dict(env or {})

    def __repr__(self) -> str:
        return f"DbtProject(project_dir={str(self.project_dir)!r})"

    @property
    def manifest_path(self) -> Path:
        """``<target_path>/manifest.json``."""
        return self.target_path / "manifest.json"

    def config(self) -> dict[str, Any]:
        """``dbt_project.yml`` as a dict (Jinja left unrendered)."""
        import yaml

        with (self.project_dir / "dbt_project.yml").open(encoding="utf-8") as file:
            loaded = yaml.safe_load(file)
        return loaded if isinstance(loaded, dict) else {}

    def resolved_profiles_dir(self) -> Path:
        """Where dbt looks for ``profiles.yml`` for this project (see ``profiles_dir``)."""
        if self.profiles_dir is not None:
            return self.profiles_dir
        if os.environ.get("DBT_PROFILES_DIR"):
            return Path(os.environ["DBT_PROFILES_DIR"]).absolute()
        if (self.project_dir / "profiles.yml").is_file():
            return self.project_dir
        return Path.home() / ".dbt"

    def cli_flags(self) -> list[str]:
        """``--project-dir``, ``--profiles-dir`` and, when set, ``--profile``/``--target``."""
        flags = [
            "--project-dir", str(self.project_dir),
            "--profiles-dir", str(self.resolved_profiles_dir()),
        ]  # fmt: skip
        if self.profile:
            flags += ["--profile", self.profile]
        if self.target:
            flags += ["--target", self.target]
        return flags

    # -- the manifest -------------------------------------------------------------------------
    def manifest_is_stale(self) -> bool:
        """Whether the manifest is missing or older than a file of the project."""
        try:
            written = self.manifest_path.stat().st_mtime_ns
        except FileNotFoundError:
            return True
        return any(mtime > written for mtime in self._source_mtimes())

    def prepare_if_dev(self) -> None:
        """Parse the project (:meth:`prepare`) when the manifest is missing or stale.

        Cheap when it is up to date: one ``stat`` per project file, dbt is not started.
        Set ``HEADWATER_DBT_PARSE=never`` to never parse (e.g. in a deployment that ships a
        manifest built at packaging time).

        Raises:
            HeadwaterError: ``dbt parse`` failed (the message has dbt's error).
        """
        if os.environ.get("HEADWATER_DBT_PARSE") == "never":
            return
        if self.manifest_is_stale():
            self.prepare()

    def prepare(self) -> None:
        """Run ``dbt parse`` to write ``manifest.json`` now.

        Raises:
            HeadwaterError: dbt is not installed, or ``dbt parse`` failed (with dbt's message).
        """
        command = [
            resolve_dbt_executable(self.dbt_executable), "parse", *self.cli_flags(),
            "--target-path", str(self.target_path),
        ]  # fmt: skip
        completed = subprocess.run(
            command,
            cwd=self.project_dir,
            env=dbt_environment(self.env),
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0 or not self.manifest_path.is_file():
            output = (completed.stdout + completed.stderr).strip()
            raise HeadwaterError(
                f"`dbt parse` of the dbt project {str(self.project_dir)!r} failed (exit code "
                f"{completed.returncode}):\n{output[-4000:]}"
            )

    def _source_mtimes(self) -> Iterator[int]:
        config = self.config()
        for name in _PROJECT_FILES:
            path = self.project_dir / name
            if path.is_file():
                yield path.stat().st_mtime_ns
        profiles = self.resolved_profiles_dir() / "profiles.yml"
        if profiles.is_file():
            yield profiles.stat().st_mtime_ns
        for key, default in _DEFAULT_PATHS.items():
            for folder in config.get(key) or default:
                yield from _tree_mtimes(self.project_dir / str(folder))


def _tree_mtimes(root: Path) -> Iterator[int]:
    """Modification times of every file and directory under ``root`` (nothing if absent)."""
    try:
        entries = list(os.scandir(root))
    except (FileNotFoundError, NotADirectoryError):
        return
    yield root.stat().st_mtime_ns  # a removed file changes its directory's time
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _tree_mtimes(Path(entry.path))
        else:
            yield entry.stat().st_mtime_ns
