"""The storage conformance suite on a real PostgreSQL server (marker ``postgres``).

Uses ``HEADWATER_TEST_POSTGRES_URL`` (default: the local server's Unix socket) to create a
scratch database for the session; skipped when psycopg is missing or no server answers.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from headwater.storage.migrations import HEAD_REVISION, current_revision, ensure_schema
from headwater.storage.sql.storage import SqlStorage
from headwater.testing.storage_suite import StorageConformanceSuite

pytestmark = pytest.mark.postgres
if not os.environ.get("CI"):  # in CI the server must be there: fail loudly instead
    pytest.importorskip("psycopg")

SERVER_URL = os.environ.get(
    "HEADWATER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    server = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    name = f"headwater_test_{uuid.uuid4().hex[:12]}"
    try:
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        server.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server at {SERVER_URL}: {exc.orig}")
    try:
        yield make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="module")
def postgres_storage(database_url: str) -> Iterator[SqlStorage]:
    engine = create_engine(database_url)
    ensure_schema(engine)
    storage = SqlStorage(engine)
    try:
        yield storage
    finally:
        storage.dispose()


class TestPostgresStorage(StorageConformanceSuite):
    @pytest.fixture
    def storage(self, postgres_storage: SqlStorage) -> Iterator[SqlStorage]:
        postgres_storage.wipe()
        yield postgres_storage


def test_schema_is_created_once_and_stamped(postgres_storage: SqlStorage) -> None:
    ensure_schema(postgres_storage.engine)  # second open: nothing to do
    with postgres_storage.engine.connect() as conn:
        assert current_revision(conn) == HEAD_REVISION


def test_migrations_build_the_same_schema_as_the_tables_on_postgres(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from headwater.storage.migrations import upgrade
    from headwater.storage.sql.schema import metadata

    server = create_engine(database_url, isolation_level="AUTOCOMMIT")
    name = f"{make_url(database_url).database}_migrated"
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(make_url(database_url).set(database=name))
    try:
        upgrade(engine)
        with engine.connect() as conn:
            assert current_revision(conn) == HEAD_REVISION
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
        assert differences == []
    finally:
        engine.dispose()
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()
