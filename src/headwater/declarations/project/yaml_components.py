"""YAML components: a ``defs.yaml`` in a defs folder that names a class building definitions.

A component file looks like Dagster's::

    type: headwater.integrations.dbt.DbtProjectComponent
    attributes:
      project: '{{ context.project_root }}/dbt_project'

``type`` is the dotted path of a class; headwater imports it and calls its
``build_defs_from_yaml(attributes, context=...)`` class method, which returns a
``Definitions`` (the folder's contribution). A type without that method, or one that cannot
be imported, raises a :class:`DefsFolderError` saying headwater does not load it. String
attributes may use the template ``{{ context.project_root }}`` (the project's root
directory); any other ``{{ ... }}`` template is an error naming it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from headwater.declarations.definitions import Definitions
from headwater.errors import DefsFolderError

__all__ = ["YamlComponentContext", "load_yaml_component"]

_TEMPLATE = re.compile(r"\{\{\s*(.*?)\s*\}\}")
BUILD_METHOD = "build_defs_from_yaml"


@dataclass(frozen=True, kw_only=True)
class YamlComponentContext:
    """What a YAML component is loaded with.

    Attributes:
        path: the component's ``defs.yaml``.
        project_root: the project's root directory (``None`` when it is not known).
    """

    path: Path
    project_root: Path | None

    @property
    def folder(self) -> Path:
        """The component's folder (relative paths of its attributes are relative to it)."""
        return self.path.parent

    def resolve_path(self, value: str) -> Path:
        """``value`` as a path: absolute, or relative to the component's folder."""
        path = Path(value)
        return path if path.is_absolute() else (self.folder / path).resolve()


def load_yaml_component(path: Path, *, project_root: Path | None) -> Definitions:
    """The definitions of the component ``path`` declares.

    Raises:
        DefsFolderError: the file is not a mapping with a ``type``, the type cannot be imported
            or is not a headwater YAML component, a template is not supported, or the component
            refused its attributes (the message names the file).
    """
    import yaml

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefsFolderError(f"{path}: cannot read the component: {exc}", path=path) from exc
    type_name = document.get("type") if isinstance(document, Mapping) else None
    if not isinstance(type_name, str):
        raise DefsFolderError(f"{path}: a component file needs a 'type:' entry.", path=path)
    component = _component_class(path, type_name)
    context = YamlComponentContext(path=path, project_root=project_root)
    attributes = _render(document.get("attributes") or {}, context, path)
    try:
        defs = getattr(component, BUILD_METHOD)(attributes, context=context)
    except DefsFolderError:
        raise
    except Exception as exc:
        raise DefsFolderError(
            f"{path}: the component {type_name!r} could not be loaded: {exc}",
            path=path,
            original=exc,
        ) from exc
    if not isinstance(defs, Definitions):
        raise DefsFolderError(
            f"{path}: {type_name}.{BUILD_METHOD} returned {defs!r}, not a Definitions.", path=path
        )
    return defs


def _component_class(path: Path, type_name: str) -> Any:
    module_name, _, attribute = type_name.rpartition(".")
    found: Any = None
    if module_name:
        try:
            found = getattr(importlib.import_module(module_name), attribute, None)
        except ImportError:
            found = None
    if found is None or not callable(getattr(found, BUILD_METHOD, None)):
        raise DefsFolderError(
            f"{path}: YAML components are not supported yet (it declares a component of type "
            f"{type_name!r}). headwater loads the Python modules of a defs folder and the "
            "components headwater.integrations.dbt.DbtProjectComponent (dagster_dbt's under "
            "the compat hook); define these assets in Python, or move the folder out of defs/ "
            "to load the rest.",
            path=path,
        )
    return found


def _render(value: Any, context: YamlComponentContext, path: Path) -> Any:
    """``value`` with ``{{ context.project_root }}`` filled in, in every string."""
    if isinstance(value, str):
        return _TEMPLATE.sub(lambda match: _fill(match.group(1), context, path), value)
    if isinstance(value, Mapping):
        return {key: _render(item, context, path) for key, item in value.items()}
    if isinstance(value, list):
        return [_render(item, context, path) for item in value]
    return value


def _fill(expression: str, context: YamlComponentContext, path: Path) -> str:
    if expression == "context.project_root" and context.project_root is not None:
        return str(context.project_root)
    raise DefsFolderError(
        f"{path}: the template {{{{ {expression} }}}} is not supported; headwater fills in "
        "{{ context.project_root }} (when the project's root is known) only.",
        path=path,
    )
