"""Opening the storage ``headwater.yaml`` asks for, and upgrading its schema.

SQLite storage creates or upgrades its schema when opened. PostgreSQL storage creates the schema
in an empty database but refuses one behind the head revision until :func:`migrate` (``headwater
instance migrate``) upgrades it, since other processes may be using the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.instance.config import InstanceConfig
    from headwater.storage.base import Storage


def open_storage(config: InstanceConfig, *, check_schema: bool = True) -> Storage:
    """The storage of an instance: PostgreSQL when ``config.postgres`` is set, else SQLite.

    Args:
        config: the instance's configuration.
        check_schema: refuse a PostgreSQL schema that is not at the head revision (``False``:
            open it as it is, for ``instance info`` and ``instance migrate``).

    Raises:
        StorageError: if the database cannot be reached or its schema cannot be used.
    """
    if config.postgres is not None:
        from headwater.storage.postgres import PostgresStorage

        return PostgresStorage.from_url(
            config.postgres.url, pool_size=config.postgres.pool_size, check_schema=check_schema
        )
    from headwater.storage.sqlite import SqliteStorage

    return SqliteStorage.from_path(config.sqlite_path)


@dataclass(frozen=True, slots=True, kw_only=True)
class MigrationResult:
    """What :func:`migrate` did.

    Attributes:
        location: the database (password masked).
        before: its revision before (``None``: it was empty).
        after: its revision now (the head).
    """

    location: str
    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        """Whether the schema was created or upgraded."""
        return self.before != self.after


def migrate(root: Path) -> MigrationResult:
    """Bring the schema of the instance in ``root`` to this headwater's head revision.

    Raises:
        StorageError: if the database cannot be reached, or was written by a newer headwater.
    """
    from headwater.instance.config import load_instance_config
    from headwater.storage.migrations import current_revision, ensure_schema
    from headwater.storage.revisions import HEAD_REVISION

    config = load_instance_config(root)
    if config.postgres is None:
        from headwater.storage.sqlite import read_file_revision

        before = read_file_revision(config.sqlite_path)
        open_storage(config).dispose()  # opening upgrades
        return MigrationResult(location=str(config.sqlite_path), before=before, after=HEAD_REVISION)
    storage = open_storage(config, check_schema=False)
    try:
        engine = storage.engine  # type: ignore[attr-defined]
        with engine.connect() as conn:
            before = current_revision(conn)
        ensure_schema(engine, migrate=True, where=config.postgres.display_url)
        return MigrationResult(
            location=config.postgres.display_url, before=before, after=HEAD_REVISION
        )
    finally:
        storage.dispose()
