"""The context of one GraphQL request: the shared state and what the request already read."""

from dataclasses import dataclass, field
from typing import Any

from headwater.orchestration.definitions_snapshot import KeyPath
from headwater.webserver.state import AssetIndex, WebserverState


@dataclass
class Context:
    """What resolvers reach through ``info.context``.

    Attributes:
        state: the webserver's :class:`WebserverState`.
        request: the Starlette request or websocket (``None`` in tests calling the schema).
    """

    state: WebserverState
    request: Any = None
    _index: AssetIndex | None = None
    _records: dict[KeyPath, Any] | None = None
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def instance(self) -> Any:
        """The instance."""
        return self.state.instance

    def index(self) -> AssetIndex:
        """The asset index, read once per request."""
        if self._index is None:
            self._index = self.state.asset_index()
        return self._index

    def asset_record(self, path: KeyPath) -> Any:
        """The asset index record of ``path`` (every record is read in one query, once)."""
        if self._records is None:
            records = self.instance.get_asset_records()
            self._records = {tuple(r.asset_key.path): r for r in records}
        return self._records.get(path)

    def cached(self, key: str, compute: Any) -> Any:
        """``compute()`` once per request under ``key``."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def forget(self) -> None:
        """Drop what the request read (after a mutation changed it)."""
        self._cache.clear()
        self._records = None
