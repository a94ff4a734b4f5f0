"""The automation part of :class:`~headwater.storage.sql.storage.SqlStorage`: condition
evaluations per asset and tick, and each asset's freshness state (the methods of
:class:`~headwater.storage.base.AutomationStorage`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager

from sqlalchemy import Connection, delete, insert, select, update

from headwater.keys import AssetKey
from headwater.storage.automation_records import (
    ConditionEvaluationRecord,
    FreshnessState,
    FreshnessStateRecord,
)
from headwater.storage.sql.schema import asset_condition_evaluations as _evals
from headwater.storage.sql.schema import freshness_states as _fresh

_E, _F = _evals.c, _fresh.c


class AutomationSqlMethods:
    """Mixed into ``SqlStorage``, which provides ``_read`` and ``_write``."""

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # pragma: no cover (SqlStorage's)

    def _write(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # pragma: no cover (SqlStorage's)

    def add_condition_evaluations(self, records: Sequence[ConditionEvaluationRecord]) -> None:
        """Store evaluations in one transaction."""
        if not records:
            return
        rows = [
            {
                "asset_key": r.asset_key.to_user_string(),
                "sensor_name": r.sensor_name,
                "evaluation_id": r.evaluation_id,
                "timestamp": r.timestamp,
                "num_requested": r.num_requested,
                "body": json.dumps(r.body, separators=(",", ":")),
            }
            for r in records
        ]
        with self._write() as conn:
            conn.execute(insert(_evals), rows)

    def get_condition_evaluations(
        self, asset_key: AssetKey, *, limit: int | None = None
    ) -> list[ConditionEvaluationRecord]:
        """The asset's stored evaluations, newest first (at most ``limit``)."""
        stmt = select(_evals).where(_E.asset_key == asset_key.to_user_string())
        stmt = stmt.order_by(_E.id.desc())
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._read() as conn:
            rows = conn.execute(stmt).all()
        return [
            ConditionEvaluationRecord(
                asset_key=asset_key,
                evaluation_id=row.evaluation_id,
                timestamp=row.timestamp,
                num_requested=row.num_requested,
                sensor_name=row.sensor_name,
                body=json.loads(row.body),
                storage_id=row.id,
            )
            for row in rows
        ]

    def delete_condition_evaluations(self, before_timestamp: float) -> int:
        """Delete evaluations older than ``before_timestamp``; how many were deleted."""
        with self._write() as conn:
            return conn.execute(delete(_evals).where(_E.timestamp < before_timestamp)).rowcount

    def set_freshness_state(self, record: FreshnessStateRecord) -> FreshnessStateRecord | None:
        """Store the asset's freshness state; the state stored before (``None``: none)."""
        key = record.asset_key.to_user_string()
        values = {
            "state": record.state.value,
            "updated_timestamp": record.updated_timestamp,
            "changed_timestamp": record.changed_timestamp,
            "info": json.dumps(dict(record.info), separators=(",", ":"), default=str),
        }
        with self._write() as conn:
            row = conn.execute(select(_fresh).where(_F.asset_key == key)).first()
            if row is None:
                conn.execute(insert(_fresh).values(asset_key=key, **values))
                return None
            conn.execute(update(_fresh).where(_F.asset_key == key).values(**values))
            return _freshness(row)

    def get_freshness_states(
        self, asset_keys: Sequence[AssetKey] | None = None
    ) -> dict[AssetKey, FreshnessStateRecord]:
        """The stored freshness state of each of ``asset_keys`` (of every asset when
        ``None``) that has one."""
        stmt = select(_fresh)
        if asset_keys is not None:
            stmt = stmt.where(_F.asset_key.in_([k.to_user_string() for k in asset_keys]))
        with self._read() as conn:
            rows = conn.execute(stmt).all()
        records = [_freshness(row) for row in rows]
        return {r.asset_key: r for r in records}


def _freshness(row: object) -> FreshnessStateRecord:
    return FreshnessStateRecord(
        asset_key=AssetKey.from_user_string(row.asset_key),  # type: ignore[attr-defined]
        state=FreshnessState(row.state),  # type: ignore[attr-defined]
        updated_timestamp=row.updated_timestamp,  # type: ignore[attr-defined]
        changed_timestamp=row.changed_timestamp,  # type: ignore[attr-defined]
        info=json.loads(row.info),  # type: ignore[attr-defined]
    )


__all__ = ["AutomationSqlMethods"]
