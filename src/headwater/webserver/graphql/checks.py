"""Asset checks and their evaluations."""

from typing import Any

import strawberry
from strawberry.types import Info

from headwater.keys import AssetCheckKey
from headwater.keys import AssetKey as _AssetKey
from headwater.metadata import metadata_to_json
from headwater.webserver.graphql.common import AssetKey, MetadataEntry, metadata_entries, page_size


@strawberry.type(description="One evaluation of an asset check.")
class AssetCheckEvaluation:
    _evaluation: strawberry.Private[Any]

    @strawberry.field(description="Whether the check passed.")
    def passed(self) -> bool:
        return bool(self._evaluation.passed)

    @strawberry.field(description="ERROR or WARN: how much a failure matters.")
    def severity(self) -> str:
        return str(getattr(self._evaluation.severity, "value", self._evaluation.severity))

    @strawberry.field(description="The run that evaluated it.")
    def run_id(self) -> str:
        return str(self._evaluation.run_id)

    @strawberry.field(description="When, in seconds since the epoch (UTC).")
    def timestamp(self) -> float:
        return float(self._evaluation.timestamp)

    @strawberry.field(description="Its description, when given.")
    def description(self) -> str | None:
        return self._evaluation.description  # type: ignore[no-any-return]

    @strawberry.field(description="Its metadata.")
    def metadata(self) -> list[MetadataEntry]:
        return metadata_entries(metadata_to_json(self._evaluation.metadata))

    @strawberry.field(description="The storage id of its event.")
    def storage_id(self) -> strawberry.ID | None:
        sid = self._evaluation.storage_id
        return None if sid is None else strawberry.ID(str(sid))


@strawberry.type(description="A check on an asset, as its code location declares it.")
class AssetCheck:
    _location: strawberry.Private[str]
    _check: strawberry.Private[Any]

    @strawberry.field(description="The check's name (unique per asset).")
    def name(self) -> str:
        return str(self._check.name)

    @strawberry.field(description="The checked asset.")
    def asset_key(self) -> AssetKey:
        return AssetKey(path=list(self._check.asset_path))

    @strawberry.field(description="Its description, when given.")
    def description(self) -> str | None:
        return self._check.description  # type: ignore[no-any-return]

    @strawberry.field(description="Whether a failure (ERROR) skips the steps downstream.")
    def blocking(self) -> bool:
        return bool(self._check.blocking)

    @strawberry.field(description="The code location declaring it.")
    def location_name(self) -> str:
        return self._location

    @strawberry.field(
        description="Its latest evaluation, or null when it never ran (every check's is read "
        "in one query per request)."
    )
    def latest_evaluation(self, info: Info) -> AssetCheckEvaluation | None:
        key = self._key()
        record = info.context.cached("latest_checks", lambda: _latest_of_all(info.context)).get(key)
        if record is None:
            return None
        from headwater.declarations.checks.definition import AssetCheckEvaluation as Evaluation

        entry, sid = record.event_log_entry, record.storage_id
        found = Evaluation.from_event(key.asset_key, entry.data, run_id=entry.run_id,
                                      timestamp=entry.timestamp, storage_id=sid)  # fmt: skip
        return AssetCheckEvaluation(_evaluation=found)

    @strawberry.field(description="Its evaluations, newest first.")
    def evaluations(self, info: Info, first: int | None = 25) -> list[AssetCheckEvaluation]:
        instance = info.context.instance
        found = instance.get_asset_check_evaluations(self._key(), limit=page_size(first))
        return [AssetCheckEvaluation(_evaluation=e) for e in found]

    def _key(self) -> AssetCheckKey:
        return AssetCheckKey(_AssetKey(list(self._check.asset_path)), self._check.name)


def _latest_of_all(context: Any) -> dict[AssetCheckKey, Any]:
    checks = context.index().checks.items()
    keys = [AssetCheckKey(_AssetKey(list(p)), c.name) for p, found in checks for _n, c in found]
    storage = context.instance.storage
    return storage.get_latest_asset_check_evaluation_records(keys)  # type: ignore[no-any-return]
