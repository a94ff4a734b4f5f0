"""Event log records whose entry is decoded from its stored JSON only when first used.

Bulk reads (the latest materialization of 10,000 assets, a long run log) would otherwise spend
most of their time decoding JSON bodies that the caller never looks at.
"""

from __future__ import annotations

from typing import Any

from headwater.events.records import EventLogEntry, EventLogRecord

# The slots of EventLogRecord; the property below shadows the entry's slot by name.
_ENTRY_SLOT: Any = EventLogRecord.__dict__["event_log_entry"]
_ID_SLOT: Any = EventLogRecord.__dict__["storage_id"]


class StoredEventLogRecord(EventLogRecord):
    """An :class:`EventLogRecord` read from storage, decoding its entry on first access.

    It behaves as an ``EventLogRecord``: equal to one with the same storage id and entry, and
    pickled/copied as a plain ``EventLogRecord``.

    Args:
        storage_id: the event's storage id.
        body: the event's JSON (:meth:`EventLogEntry.to_json`).
        event_log_entry: the decoded entry, when already at hand (then ``body`` is unused).
    """

    __slots__ = ("_body",)
    _body: str

    def __init__(
        self,
        *,
        storage_id: int,
        body: str = "",
        event_log_entry: EventLogEntry | None = None,
    ) -> None:
        _ID_SLOT.__set__(self, storage_id)
        _BODY_SLOT.__set__(self, body)
        if event_log_entry is not None:
            _ENTRY_SLOT.__set__(self, event_log_entry)

    @classmethod
    def from_stored(cls, storage_id: int, body: str) -> StoredEventLogRecord:
        """A record of a stored event: its storage id and JSON body (the fast constructor)."""
        record = _new(cls)
        _ID_SLOT.__set__(record, storage_id)
        _BODY_SLOT.__set__(record, body)
        return record

    @property
    def event_log_entry(self) -> EventLogEntry:
        """The event, decoded on first access."""
        try:
            entry: EventLogEntry = _ENTRY_SLOT.__get__(self, EventLogRecord)
        except AttributeError:
            entry = EventLogEntry.from_json(self._body)
            _ENTRY_SLOT.__set__(self, entry)
        return entry

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EventLogRecord):
            return NotImplemented
        return (self.storage_id, self.event_log_entry) == (other.storage_id, other.event_log_entry)

    __hash__ = EventLogRecord.__hash__

    def __repr__(self) -> str:
        entry = self.event_log_entry
        return f"EventLogRecord(storage_id={self.storage_id!r}, event_log_entry={entry!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_plain_record, (self.storage_id, self.event_log_entry))


_BODY_SLOT: Any = StoredEventLogRecord.__dict__["_body"]
_new = object.__new__


def _plain_record(storage_id: int, entry: EventLogEntry) -> EventLogRecord:
    return EventLogRecord(storage_id=storage_id, event_log_entry=entry)
