"""Schema creation and upgrades for SQL storage (Alembic revisions in ``versions/``).

Opening storage calls :func:`ensure_schema`, which is fast on the common paths: it reads the
stored revision with one plain query; a database at the head revision is used as is, and an
empty database gets the current tables from :data:`~headwater.storage.sql.schema.metadata`
and is stamped with the head revision. Alembic (slow to import) is imported only to upgrade a
database written by an older headwater.

Every revision must be valid for SQLite and PostgreSQL. When adding one, append its id to
:data:`~headwater.storage.revisions.REVISIONS` (a test checks the list against Alembic's
history). SQLite storage reads the stored revision on the ``sqlite3`` driver first and calls
:func:`ensure_schema` only when it is not the head.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, Connection, Engine, MetaData, String, Table, inspect, select, text

from headwater.errors import StorageError
from headwater.storage.revisions import HEAD_REVISION as HEAD_REVISION
from headwater.storage.revisions import REVISIONS as REVISIONS
from headwater.storage.revisions import VERSION_TABLE
from headwater.storage.sql.dialect import WRITE_OPTION
from headwater.storage.sql.schema import metadata

if TYPE_CHECKING:
    from alembic.config import Config

_version_table = Table(
    VERSION_TABLE,
    MetaData(),
    Column("version_num", String(32), primary_key=True),
)


def current_revision(conn: Connection) -> str | None:
    """The revision the database is stamped with, or ``None`` for an unstamped database."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(select(_version_table.c.version_num)).scalar()


def ensure_schema(engine: Engine, *, migrate: bool = True, where: str | None = None) -> None:
    """Create the schema in an empty database; upgrade an older one or refuse it.

    Args:
        engine: the storage engine.
        migrate: upgrade a database behind the head revision (SQLite: local, one user);
            ``False`` refuses it instead, naming ``headwater instance migrate`` (PostgreSQL,
            which other processes may be using).
        where: how messages name the database (default: the engine's URL, password masked).

    Raises:
        StorageError: if the database was written by a newer headwater (naming both
            revisions), is behind and ``migrate`` is false, or holds headwater tables without a
            revision stamp.
    """
    where = where or repr(engine.url)
    with engine.connect() as conn:
        revision = current_revision(conn)
        has_tables = revision is None and inspect(conn).has_table("runs")
    if revision == HEAD_REVISION:
        return
    if revision is None:
        if has_tables:
            raise StorageError(
                f"The database {where} has headwater tables but no schema revision; "
                "it was not created by headwater. Point headwater at a new database."
            )
        _create_fresh(engine)
    elif revision in REVISIONS:
        if not migrate:
            raise StorageError(
                f"The database {where} has schema revision {revision!r}, older than "
                f"{HEAD_REVISION!r} which this headwater needs. Stop the processes using it "
                "(daemon, webserver, run workers), then run `headwater instance migrate`."
            )
        upgrade(engine)
    else:
        raise StorageError(
            f"The database {where} has schema revision {revision!r}, unknown to this "
            f"headwater (whose newest is {HEAD_REVISION!r}): it was written by a newer "
            "headwater. Upgrade headwater, or point it at another database."
        )


def _lock_schema(conn: Connection) -> None:
    """On PostgreSQL, let one process at a time create or upgrade the schema."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})


# An arbitrary constant identifying headwater's schema lock among advisory locks.
_SCHEMA_LOCK_KEY = 0x4857_0001


def _create_fresh(engine: Engine) -> None:
    with _writer(engine).begin() as conn:
        _lock_schema(conn)
        if current_revision(conn) == HEAD_REVISION:  # another process was faster
            return
        metadata.create_all(conn)
        _version_table.create(conn)
        conn.execute(_version_table.insert().values(version_num=HEAD_REVISION))


def _writer(engine: Engine) -> Engine:
    return engine.execution_options(**{WRITE_OPTION: True})


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic ``Config`` for these migrations (imports Alembic: slow, use sparingly).

    Args:
        engine: when given, its URL becomes ``sqlalchemy.url``.

    Returns:
        An ``alembic.config.Config`` whose ``script_location`` is this package.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` with Alembic.

    Args:
        engine: the storage engine.
        revision: the target revision (default: the head).
    """
    from alembic import command

    config = alembic_config()
    with _writer(engine).begin() as conn:
        _lock_schema(conn)
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
