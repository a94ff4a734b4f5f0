"""The SQLite schema as DDL text: a new database is created on the ``sqlite3`` driver.

Creating the tables through SQLAlchemy (``metadata.create_all``) costs its import and about
25 ms per database, paid by every ephemeral instance (``materialize`` without an instance,
tests) and by the first command in a new ``HEADWATER_HOME``. These statements are what
``create_all`` emits for :data:`~headwater.storage.sql.schema.metadata` on SQLite;
:mod:`~headwater.storage.sql.schema` stays the source of truth and a test compares the two
databases' schemas, so a change there must be mirrored here (the test prints the new DDL).
"""

from __future__ import annotations

import sqlite3

from headwater.storage.revisions import HEAD_REVISION, VERSION_TABLE

#: CREATE TABLE / CREATE INDEX statements, in dependency order.
DDL: tuple[str, ...] = (
    """CREATE TABLE asset_check_executions (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        asset_key TEXT NOT NULL,
        check_name TEXT NOT NULL,
        partition TEXT,
        run_id VARCHAR(255),
        passed BOOLEAN NOT NULL,
        evaluation_event_storage_id BIGINT NOT NULL,
        create_timestamp DOUBLE NOT NULL
        )""",
    "CREATE INDEX idx_asset_check_executions_key"
    " ON asset_check_executions (asset_key, check_name, id)",
    """CREATE TABLE asset_condition_evaluations (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        asset_key TEXT NOT NULL,
        sensor_name VARCHAR(511) NOT NULL,
        evaluation_id BIGINT NOT NULL,
        timestamp DOUBLE NOT NULL,
        num_requested INTEGER NOT NULL,
        body TEXT NOT NULL
        )""",
    "CREATE INDEX idx_asset_condition_evaluations_key"
    " ON asset_condition_evaluations (asset_key, id)",
    """CREATE TABLE freshness_states (
        asset_key TEXT NOT NULL,
        state VARCHAR(15) NOT NULL,
        updated_timestamp DOUBLE NOT NULL,
        changed_timestamp DOUBLE NOT NULL,
        info TEXT NOT NULL,
        PRIMARY KEY (asset_key)
        )""",
    """CREATE TABLE asset_keys (
        asset_key TEXT NOT NULL,
        last_event_storage_id BIGINT,
        last_materialization_storage_id BIGINT,
        last_materialization TEXT,
        last_observation_storage_id BIGINT,
        last_observation TEXT,
        last_run_id VARCHAR(255),
        last_failed_run_id VARCHAR(255),
        wipe_timestamp DOUBLE,
        updated_timestamp DOUBLE NOT NULL,
        PRIMARY KEY (asset_key)
        )""",
    """CREATE TABLE asset_partitions (
        asset_key TEXT NOT NULL,
        partition TEXT NOT NULL,
        last_materialization_storage_id BIGINT,
        last_observation_storage_id BIGINT,
        updated_timestamp DOUBLE NOT NULL,
        last_planned_storage_id BIGINT,
        last_planned_run_id VARCHAR(255),
        PRIMARY KEY (asset_key, partition)
        )""",
    "CREATE INDEX idx_asset_partitions_status ON asset_partitions (asset_key, partition,"
    " last_materialization_storage_id, last_planned_storage_id, last_planned_run_id)",
    """CREATE TABLE backfills (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        backfill_id VARCHAR(255) NOT NULL,
        status VARCHAR(63) NOT NULL,
        body TEXT NOT NULL,
        create_timestamp DOUBLE NOT NULL,
        update_timestamp DOUBLE NOT NULL,
        UNIQUE (backfill_id)
        )""",
    "CREATE INDEX idx_backfills_create_timestamp ON backfills (create_timestamp)",
    "CREATE INDEX idx_backfills_status ON backfills (status, id)",
    """CREATE TABLE concurrency_limits (
        pool VARCHAR(255) NOT NULL,
        slot_limit INTEGER NOT NULL,
        update_timestamp DOUBLE NOT NULL,
        PRIMARY KEY (pool)
        )""",
    """CREATE TABLE concurrency_slots (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        pool VARCHAR(255) NOT NULL,
        run_id VARCHAR(255) NOT NULL,
        step_key TEXT NOT NULL,
        claim_timestamp DOUBLE NOT NULL
        )""",
    "CREATE INDEX idx_concurrency_slots_pool ON concurrency_slots (pool, run_id)",
    "CREATE INDEX idx_concurrency_slots_run_id ON concurrency_slots (run_id)",
    """CREATE TABLE daemon_heartbeats (
        loop_name VARCHAR(255) NOT NULL,
        daemon_id VARCHAR(255) NOT NULL,
        timestamp DOUBLE NOT NULL,
        last_error TEXT,
        last_error_timestamp DOUBLE,
        cursor TEXT,
        info TEXT NOT NULL,
        PRIMARY KEY (loop_name)
        )""",
    """CREATE TABLE instigator_run_keys (
        instigator_type VARCHAR(31) NOT NULL,
        location_name VARCHAR(255) NOT NULL,
        name VARCHAR(255) NOT NULL,
        run_key TEXT NOT NULL,
        run_id VARCHAR(255) NOT NULL,
        create_timestamp DOUBLE NOT NULL,
        PRIMARY KEY (instigator_type, location_name, name, run_key)
        )""",
    """CREATE TABLE instigator_states (
        instigator_type VARCHAR(31) NOT NULL,
        location_name VARCHAR(255) NOT NULL,
        name VARCHAR(255) NOT NULL,
        status VARCHAR(31),
        cursor TEXT,
        last_tick_timestamp DOUBLE,
        update_timestamp DOUBLE NOT NULL,
        PRIMARY KEY (instigator_type, location_name, name)
        )""",
    """CREATE TABLE instigator_ticks (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        instigator_type VARCHAR(31) NOT NULL,
        location_name VARCHAR(255) NOT NULL,
        name VARCHAR(255) NOT NULL,
        timestamp DOUBLE NOT NULL,
        status VARCHAR(31) NOT NULL,
        end_timestamp DOUBLE,
        body TEXT NOT NULL
        )""",
    "CREATE INDEX idx_instigator_ticks_instigator"
    " ON instigator_ticks (instigator_type, location_name, name, id)",
    """CREATE TABLE dynamic_partitions (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        partitions_def_name TEXT NOT NULL,
        partition TEXT NOT NULL,
        create_timestamp DOUBLE NOT NULL,
        CONSTRAINT uq_dynamic_partitions_name_partition UNIQUE (partitions_def_name, partition)
        )""",
    "CREATE INDEX idx_dynamic_partitions_name_id ON dynamic_partitions (partitions_def_name, id)",
    """CREATE TABLE event_logs (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        run_id VARCHAR(255) NOT NULL,
        event_type VARCHAR(63) NOT NULL,
        step_key TEXT,
        asset_key TEXT,
        partition TEXT,
        timestamp DOUBLE NOT NULL,
        body TEXT NOT NULL
        )""",
    "CREATE INDEX idx_event_logs_asset_key ON event_logs (asset_key, event_type, id)",
    "CREATE INDEX idx_event_logs_event_type ON event_logs (event_type, id)",
    "CREATE INDEX idx_event_logs_run_id ON event_logs (run_id, id)",
    """CREATE TABLE run_worker_heartbeats (
        run_id VARCHAR(255) NOT NULL,
        pid INTEGER NOT NULL,
        hostname VARCHAR(255) NOT NULL,
        timestamp DOUBLE NOT NULL,
        PRIMARY KEY (run_id)
        )""",
    """CREATE TABLE runs (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        run_id VARCHAR(255) NOT NULL,
        job_name VARCHAR(255) NOT NULL,
        status VARCHAR(63) NOT NULL,
        run_body TEXT NOT NULL,
        create_timestamp DOUBLE NOT NULL,
        update_timestamp DOUBLE NOT NULL,
        start_time DOUBLE,
        end_time DOUBLE,
        UNIQUE (run_id)
        )""",
    "CREATE INDEX idx_runs_create_timestamp ON runs (create_timestamp)",
    "CREATE INDEX idx_runs_job_name ON runs (job_name, id)",
    "CREATE INDEX idx_runs_status ON runs (status, id)",
    """CREATE TABLE snapshots (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        snapshot_id VARCHAR(255) NOT NULL,
        kind VARCHAR(63) NOT NULL,
        body TEXT NOT NULL,
        create_timestamp DOUBLE NOT NULL,
        UNIQUE (snapshot_id)
        )""",
    """CREATE TABLE run_tags (
        id INTEGER NOT NULL,
        run_id VARCHAR(255) NOT NULL,
        "key" VARCHAR(255) NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (id),
        CONSTRAINT uq_run_tags_run_id_key UNIQUE (run_id, "key"),
        FOREIGN KEY(run_id) REFERENCES runs (run_id) ON DELETE CASCADE
        )""",
    'CREATE INDEX idx_run_tags_key_value ON run_tags ("key", value)',
    """CREATE TABLE alembic_version (
        version_num VARCHAR(32) NOT NULL,
        PRIMARY KEY (version_num)
        )""",
)


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the tables in an empty database and stamp it with the head revision.

    Takes the write lock first; if another process created the schema meanwhile, does nothing.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (VERSION_TABLE,)
        ).fetchone()
        if exists is None:
            for statement in DDL:
                conn.execute(statement)
            conn.execute(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES (?)", (HEAD_REVISION,))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
