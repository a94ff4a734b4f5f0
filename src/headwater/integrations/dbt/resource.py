"""``DbtCliResource``: runs dbt commands for dbt assets."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, model_validator

from headwater import AssetCheckKey, AssetKey, ConfigurableResource, HeadwaterError
from headwater.integrations.dbt.asset_decorator import dbt_assets_info
from headwater.integrations.dbt.asset_specs import DbtAssetsInfo, build_dbt_specs
from headwater.integrations.dbt.invocation import DbtCliInvocation
from headwater.integrations.dbt.manifest import load_manifest
from headwater.integrations.dbt.process import dbt_environment, resolve_dbt_executable
from headwater.integrations.dbt.project import DbtProject
from headwater.integrations.dbt.translator import DbtTranslator

__all__ = ["DbtCliResource"]

_SELECTING_COMMANDS = frozenset(
    {"build", "run", "test", "seed", "snapshot", "compile", "list", "ls", "show", "clone"}
)
_SELECTION_FLAGS = frozenset(
    {"--select", "-s", "--models", "-m", "--model", "--exclude", "--selector"}
)
_KEEP_INVOCATIONS = 20
_KEEP_SECONDS = 3600.0


class DbtCliResource(ConfigurableResource):
    """Runs dbt commands (``dbt build``, ``dbt run``, ...) of one dbt project.

    Args:
        project_dir: the directory of ``dbt_project.yml``, or a :class:`DbtProject` (whose
            profiles_dir, profile and target are then the defaults).
        profiles_dir: the directory of ``profiles.yml`` (default: ``$DBT_PROFILES_DIR``, else
            the project directory when it has one, else ``~/.dbt``).
        profile: the profile (default: the one ``dbt_project.yml`` names).
        target: the profile's target (default: the profile's ``target``).
        dbt_executable: the dbt command or path (default ``"dbt"``: ``$HEADWATER_DBT_EXECUTABLE``,
            then the ``dbt`` of this Python's environment, then ``PATH``).
        global_config_flags: flags put before the command, e.g. ``["--no-partial-parse"]``.
        env: environment variables added to the dbt process's (e.g. those ``env_var()`` reads
            in ``profiles.yml``).

    Example:
        >>> from headwater import Definitions
        >>> resources = {"dbt": DbtCliResource(project_dir="transform")}  # doctest: +SKIP
    """

    project_dir: str
    profiles_dir: str | None = None
    profile: str | None = None
    target: str | None = None
    dbt_executable: str = "dbt"
    global_config_flags: list[str] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)

    if TYPE_CHECKING:  # project_dir may be a DbtProject (turned into its path by _from_project)

        def __init__(
            self,
            *,
            project_dir: str | DbtProject,
            profiles_dir: str | None = None,
            profile: str | None = None,
            target: str | None = None,
            dbt_executable: str = "dbt",
            global_config_flags: list[str] = ...,
            env: dict[str, str] = ...,
        ) -> None: ...

    @model_validator(mode="before")
    @classmethod
    def _from_project(cls, values: Any) -> Any:
        if isinstance(values, Mapping) and isinstance(values.get("project_dir"), DbtProject):
            project: DbtProject = values["project_dir"]
            values = dict(values)
            values["project_dir"] = str(project.project_dir)
            if project.profiles_dir is not None:
                values.setdefault("profiles_dir", str(project.profiles_dir))
            for name in ("profile", "target", "env"):
                if getattr(project, name):
                    values.setdefault(name, getattr(project, name))
        return values

    # -- the project --------------------------------------------------------------------------
    def project(self) -> DbtProject:
        """This resource's project as a :class:`DbtProject`."""
        return DbtProject(
            self.project_dir,
            profiles_dir=self.profiles_dir,
            profile=self.profile,
            target=self.target,
            dbt_executable=self.dbt_executable,
            env=self.env,
        )

    # -- running dbt --------------------------------------------------------------------------
    def cli(
        self,
        args: Sequence[str],
        *,
        context: Any = None,
        raise_on_error: bool = True,
        manifest: Any = None,
        dbt_translator: DbtTranslator | None = None,
        dagster_dbt_translator: DbtTranslator | None = None,
    ) -> DbtCliInvocation:
        """Start ``dbt <args>`` and return the running invocation.

        Args:
            args: the dbt command and its arguments, e.g. ``["build"]`` or
                ``["run", "--full-refresh"]``.
            context: the ``AssetExecutionContext`` of a ``@dbt_assets`` function. Then, unless
                ``args`` select nodes themselves, the command selects exactly the assets of the
                run (``--select`` of each selected node when the run materializes a subset, the
                definition's own select/exclude otherwise); and a partitioned run adds
                ``--vars`` with ``partition_start``/``partition_end`` (ISO 8601, the run's time
                window) or ``partition_key``/``partition_keys``.
            raise_on_error: whether :meth:`DbtCliInvocation.stream` / ``wait`` raise when dbt
                fails (default ``True``).
            manifest / dbt_translator: map nodes to keys without a context (default: the
                context's definition).
            dagster_dbt_translator: Dagster's name for ``dbt_translator``.

        Returns:
            A :class:`DbtCliInvocation`; ``yield from invocation.stream()`` in the asset function.

        Raises:
            HeadwaterError: the profile is missing (the message names the profile and where
                headwater looked), or dbt is not installed.
        """
        project = self.project()
        info = dbt_assets_info(getattr(context, "assets_def", None)) if context else None
        if info is None and manifest is not None:
            info = _info_for(manifest, dbt_translator or dagster_dbt_translator, project)
        _check_profile(project)
        args = list(args)
        target_path = _invocation_dir(project, context)
        command = [
            resolve_dbt_executable(self.dbt_executable),
            *self.global_config_flags,
            *args,
            *project.cli_flags(),
            "--log-format", "json", "--log-level", "debug",
            "--target-path", str(target_path), "--log-path", str(target_path),
        ]  # fmt: skip
        keys: dict[str, AssetKey] = {}
        checks: dict[str, AssetCheckKey] = {}
        if info is not None:
            selected, selected_checks = _selected(info, context)
            keys = {uid: key for uid, key in info.keys_by_unique_id().items() if key in selected}
            checks = {
                uid: key
                for uid, key in info.check_keys_by_unique_id().items()
                if key in selected_checks
            }
            if args and args[0] in _SELECTING_COMMANDS and not _SELECTION_FLAGS & set(args):
                command += _selection_args(info, selected)
        command += _partition_vars(context, args)
        env = {**self.env, "PYTHONUNBUFFERED": "1"}
        partial_parse = project.target_path / "partial_parse.msgpack"
        if partial_parse.is_file():
            env["DBT_PARTIAL_PARSE_FILE_PATH"] = str(partial_parse)
        process = subprocess.Popen(
            command,
            cwd=project.project_dir,
            env=dbt_environment(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        return DbtCliInvocation(
            process=process, command=command, target_path=target_path,
            keys_by_unique_id=keys, checks_by_unique_id=checks, raise_on_error=raise_on_error,
        )  # fmt: skip


def _info_for(manifest: Any, translator: DbtTranslator | None, project: DbtProject) -> Any:
    parsed = load_manifest(manifest, project_dir=project.project_dir)
    _, _, info = build_dbt_specs(
        parsed, translator or DbtTranslator(), select="fqn:*", exclude=None, selector=None
    )
    return info


def _selected(info: DbtAssetsInfo, context: Any) -> tuple[frozenset[AssetKey], frozenset[Any]]:
    """The asset keys and check keys the run materializes (every one without a context)."""
    if context is None:
        return frozenset(info.unique_ids), frozenset(info.check_ids)
    keys = frozenset(context.selected_asset_keys)
    assets_def = getattr(context, "assets_def", None)
    specs = getattr(assets_def, "check_specs", None)
    check_keys = frozenset(s.key for s in specs) if specs is not None else frozenset()
    return keys, check_keys


def _selection_args(info: DbtAssetsInfo, selected: frozenset[AssetKey]) -> list[str]:
    """``--select``/``--exclude`` of the definition, or of each selected node of a subset."""
    if selected == frozenset(info.unique_ids):
        if info.selector is not None:
            return ["--selector", info.selector]
        out = ["--select", *_terms(info.select)] if info.select else []
        return out + (["--exclude", *_terms(info.exclude)] if info.exclude else [])
    nodes = info.manifest.nodes
    chosen = sorted(info.unique_ids[key] for key in selected if key in info.unique_ids)
    terms = ["fqn:" + ".".join(nodes[uid]["fqn"]) for uid in chosen]
    return ["--select", *terms] + (["--exclude", *_terms(info.exclude)] if info.exclude else [])


def _terms(selection: str | Sequence[str] | None) -> list[str]:
    from headwater.integrations.dbt.selection import split_selection

    return split_selection(selection)


def _partition_vars(context: Any, args: Sequence[str]) -> list[str]:
    """``--vars`` with the run's partitions, merged into the ones ``args`` give."""
    if context is None or not getattr(context, "has_partition_key_range", False):
        return []
    variables: dict[str, Any] = {}
    try:
        window = context.partition_time_window
    except HeadwaterError:
        window = None
    if window is not None:
        variables["partition_start"] = window.start.isoformat()
        variables["partition_end"] = window.end.isoformat()
    keys = list(context.partition_keys)
    if len(keys) == 1:
        variables["partition_key"] = keys[0]
    variables["partition_keys"] = keys
    if "--vars" in args:
        import yaml

        index = list(args).index("--vars")
        given = yaml.safe_load(args[index + 1]) if index + 1 < len(args) else None
        if isinstance(given, dict):
            variables.update(given)
        # dbt takes the last --vars: ours carries the merge of both.
    return ["--vars", json.dumps(variables)]


def _check_profile(project: DbtProject) -> None:
    """Fail in one line when the profile is missing, naming the profile and the file."""
    name = project.profile or project.config().get("profile")
    directory = project.resolved_profiles_dir()
    path = directory / "profiles.yml"
    if not name:
        return
    profiles: Any = None
    if path.is_file():
        import yaml

        with path.open(encoding="utf-8") as file:
            profiles = yaml.safe_load(file)
    if not isinstance(profiles, Mapping) or name not in profiles:
        looked = f"{path} ({'no such profile' if path.is_file() else 'no such file'})"
        raise HeadwaterError(
            f"dbt profile {name!r} not found: headwater looked in {looked}. Set "
            "DbtCliResource(profiles_dir=...) or $DBT_PROFILES_DIR to the directory of its "
            "profiles.yml."
        )


def _invocation_dir(project: DbtProject, context: Any) -> Path:
    """A fresh ``target/headwater/<id>`` for one invocation (older ones are pruned)."""
    root = project.target_path / "headwater"
    run_id = str(getattr(context, "run_id", "") or "")[:8]
    name = f"{time.strftime('%Y%m%dT%H%M%S')}-{run_id or 'cli'}-{uuid.uuid4().hex[:8]}"
    path = root / name
    path.mkdir(parents=True, exist_ok=True)
    _prune(root)
    return path


def _prune(root: Path) -> None:
    """Remove invocation directories beyond the newest 20 that are older than an hour."""
    try:
        entries = sorted(root.iterdir(), key=lambda p: p.name, reverse=True)
    except OSError:
        return
    cutoff = time.time() - _KEEP_SECONDS
    for entry in entries[_KEEP_INVOCATIONS:]:
        try:
            if entry.is_dir() and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue

