"""Dagster's system tags, seen under Dagster's names by code that imports ``dagster``.

headwater names its own system tags ``headwater/...`` (a run's ``headwater/partition``) and
keeps some facts out of tags altogether (an asset's kinds, an event's data version). Dagster
code reads them as tags: ``run.tags["dagster/partition"]``, ``spec.tags["dagster/kind/python"]``,
``materialization.tags["dagster/data_version"]``. :func:`install` makes those reads work
while :data:`headwater.compat.shapes.ACTIVE` (the ``dagster`` import hook is installed):

- ``Run.tags`` also holds ``dagster/NAME`` for each ``headwater/NAME`` tag;
- ``AssetSpec.tags`` also holds ``dagster/kind/KIND: ""`` for each kind;
- the ``AssetMaterialization`` / ``AssetObservation`` of a stored event also hold
  ``dagster/data_version`` when the event recorded one, and both classes get Dagster's
  ``data_version`` property.

The stored values never change: the views are built when the attribute is read. headwater's
own code, which reads only ``headwater/...`` names, sees the same values as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from headwater.compat import shapes

DATA_VERSION_TAG = "dagster/data_version"
_HEADWATER = "headwater/"
_DAGSTER = "dagster/"


class _Tags(dict[str, str]):
    """A plain dict of tags (a distinct type only so a view is never wrapped twice)."""


class _RunTags(_Tags):
    """A run's tags, in which ``dagster/NAME`` also finds ``headwater/NAME``.

    Only lookups see the Dagster names: iterating, copying or serializing gives the stored
    tags, so a run stored again keeps its tags unchanged.
    """

    def __missing__(self, key: str) -> str:
        if key.startswith(_DAGSTER):
            alias = _HEADWATER + key[len(_DAGSTER) :]
            if dict.__contains__(self, alias):
                return dict.__getitem__(self, alias)
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        return isinstance(key, str) and key.startswith(_DAGSTER) and dict.__contains__(
            self, _HEADWATER + key[len(_DAGSTER) :]
        )


def run_tags_view(tags: Mapping[str, str]) -> Mapping[str, str]:
    """``tags``, in which ``dagster/NAME`` also looks up ``headwater/NAME``.

    Example:
        >>> view = run_tags_view({"headwater/partition": "2024-01-01", "team": "a"})
        >>> view.get("dagster/partition"), sorted(view)
        ('2024-01-01', ['headwater/partition', 'team'])
    """
    if isinstance(tags, _Tags) or not any(k.startswith(_HEADWATER) for k in tags):
        return tags
    return _RunTags(tags)


def _wrap_slot(cls: type, name: str, view: Callable[[Any, Any], Any]) -> None:
    """Replace the slot ``name`` of ``cls`` by a property returning ``view(obj, value)`` while
    the Dagster shapes are active, the stored value otherwise."""
    slot = cls.__dict__[name]
    if isinstance(slot, property):
        return  # installed already

    def read(obj: Any) -> Any:
        value = slot.__get__(obj, cls)
        return view(obj, value) if shapes.ACTIVE else value

    setattr(
        cls,
        name,
        property(read, slot.__set__, doc=f"``{name}`` (with Dagster's system tags in compat)."),
    )


def _spec_tags(spec: Any, tags: Mapping[str, str]) -> Mapping[str, str]:
    kinds = spec.kinds
    if not kinds or isinstance(tags, _Tags):
        return tags
    view = _Tags(tags)
    for kind in sorted(kinds):
        view.setdefault(f"dagster/kind/{kind}", "")
    return view


def _data_version(event: Any) -> str | None:
    value: str | None = event.tags.get(DATA_VERSION_TAG)
    return value


# Dagster's system tags that say what a run does; given to ``execute_in_process(tags=...)``
# under Dagster's names, they are passed on under headwater's.
RUN_TAGS_IN = {
    f"dagster/{name}": f"headwater/{name}"
    for name in ("partition", "asset_partition_range_start", "asset_partition_range_end")
}


def headwater_run_tags(tags: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """``tags`` with Dagster's run-shaping system tags renamed to headwater's.

    Example:
        >>> headwater_run_tags({"dagster/partition": "a", "team": "x"})
        {'headwater/partition': 'a', 'team': 'x'}
    """
    if not tags or not any(k in RUN_TAGS_IN for k in tags):
        return tags
    return {RUN_TAGS_IN.get(k, k): v for k, v in tags.items()}


def _install_run_tags_in() -> None:
    from headwater.declarations.jobs.definition import JobDefinition

    original = JobDefinition.execute_in_process
    if getattr(original, "_dagster_tags", False):
        return

    def execute_in_process(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not shapes.ACTIVE:
            return original(self, *args, **kwargs)
        if len(args) >= 9:  # tags given by position (the 9th parameter)
            args = (*args[:8], headwater_run_tags(args[8]), *args[9:])
        elif "tags" in kwargs:
            kwargs["tags"] = headwater_run_tags(kwargs["tags"])
        return original(self, *args, **kwargs)

    execute_in_process.__doc__ = original.__doc__
    execute_in_process._dagster_tags = True  # type: ignore[attr-defined]
    JobDefinition.execute_in_process = execute_in_process  # type: ignore[method-assign]


def install() -> None:
    """Install the views (idempotent)."""
    _install_run_tags_in()
    from headwater.declarations.assets.specs import AssetSpec
    from headwater.declarations.results import AssetMaterialization, AssetObservation
    from headwater.events.records import EventLogEntry
    from headwater.storage.records import Run

    _wrap_slot(Run, "tags", lambda run, tags: run_tags_view(tags))
    _wrap_slot(AssetSpec, "tags", _spec_tags)
    original = EventLogEntry._asset_event
    if getattr(original, "_dagster_tags", False):
        return

    def asset_event(entry: EventLogEntry, kind: Any, cls: Any) -> Any:
        event = original(entry, kind, cls)
        version = entry.data.get("data_version")
        if not shapes.ACTIVE or event is None or version is None or DATA_VERSION_TAG in event.tags:
            return event
        return cls(
            asset_key=event.asset_key,
            description=event.description,
            metadata=event.metadata,
            partition=event.partition,
            tags={**event.tags, DATA_VERSION_TAG: version},
        )

    asset_event._dagster_tags = True  # type: ignore[attr-defined]
    EventLogEntry._asset_event = asset_event  # type: ignore[method-assign,assignment]
    data_version = property(_data_version, doc="The ``dagster/data_version`` tag, or ``None``.")
    for event_cls in (AssetMaterialization, AssetObservation):
        setattr(event_cls, "data_version", data_version)  # noqa: B010 - a new attribute
