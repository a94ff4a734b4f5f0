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

    @strawberry.field(description="Its latest evaluation, or null when it never ran.")
    def latest_evaluation(self, info: Info) -> AssetCheckEvaluation | None:
        found = info.context.instance.get_latest_asset_check_evaluation(self._key())
        return None if found is None else AssetCheckEvaluation(_evaluation=found)

    @strawberry.field(description="Its evaluations, newest first.")
    def evaluations(self, info: Info, first: int | None = 25) -> list[AssetCheckEvaluation]:
        instance = info.context.instance
        found = instance.get_asset_check_evaluations(self._key(), limit=page_size(first))
        return [AssetCheckEvaluation(_evaluation=e) for e in found]

    def _key(self) -> AssetCheckKey:
        return AssetCheckKey(_AssetKey(list(self._check.asset_path)), self._check.name)
