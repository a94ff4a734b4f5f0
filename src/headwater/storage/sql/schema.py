"""The SQL schema of run and event log storage, as SQLAlchemy Core tables.

Every table is valid for SQLite and PostgreSQL. The Alembic revisions in
:mod:`headwater.storage.migrations` together create exactly these tables; a test compares the
two.

Tables:
    runs: one row per run; the run (minus its status) as JSON in ``run_body``.
    run_tags: one row per run tag, for filtering runs by tag.
    event_logs: one row per event; ``id`` is the event's storage id (monotonic, never reused).
    asset_keys: the asset index, one row per known asset with its latest events.
    asset_partitions: the per-partition asset index.
    dynamic_partitions: the keys of each dynamic partitions definition; ``id`` keeps the order
        in which keys were added.
    backfills: one row per backfill; the backfill (minus its status) as JSON in ``body``.
    asset_check_executions: one row per asset check evaluation, pointing at its event; the
        latest evaluation of a check and its history are one indexed query.
    daemon_heartbeats: one row per daemon loop: the daemon running it, its last heartbeat,
        last error and cursor (revision 0006).
    snapshots: content-addressed JSON documents (a run's plan snapshot, ...), stored once
        however many runs refer to them; ``snapshot_id`` is the hash of the canonical JSON.
    run_worker_heartbeats: the latest heartbeat of each run's worker process (pid, host, time)
        (snapshots and run worker heartbeats: revision 0007).
    concurrency_limits / concurrency_slots: concurrency pools (revision 0008).
    instigator_states: one row per schedule or sensor whose status, cursor or last tick was
        written; instigator_ticks: every tick (its status and time as columns, the rest as
        JSON in ``body``); instigator_run_keys: the run keys each launched a run for, one row
        per key (revision 0009).
    asset_condition_evaluations: one row per asset per automation tick whose evaluation
        changed (the condition tree with each node's true partitions, as JSON in ``body``);
        freshness_states: each asset's current freshness state (revision 0010).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# Storage ids are 64-bit on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the rowid.
StorageId = BigInteger().with_variant(Integer(), "sqlite")
# Asset keys ("a/b") sort bytewise on every database (PostgreSQL's default collation may not).
AssetKeyText = Text().with_variant(Text(collation="C"), "postgresql")

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", StorageId, primary_key=True, autoincrement=True),
    Column("run_id", String(255), nullable=False, unique=True),
    Column("job_name", String(255), nullable=False),
    Column("status", String(63), nullable=False),
    Column("run_body", Text, nullable=False),
    Column("create_timestamp", Double, nullable=False),
    Column("update_timestamp", Double, nullable=False),
    Column("start_time", Double, nullable=True),
    Column("end_time", Double, nullable=True),
    Index("idx_runs_status", "status", "id"),
    Index("idx_runs_job_name", "job_name", "id"),
    Index("idx_runs_create_timestamp", "create_timestamp"),
    sqlite_autoincrement=True,
)

run_tags = Table(
    "run_tags",
    metadata,
    Column("id", StorageId, primary_key=True, autoincrement=True),
    Column(
        "run_id",
        String(255),
        ForeignKey("runs.run_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("key", String(255), nullable=False),
    Column("value", Text, nullable=False),
    UniqueConstraint("run_id", "key", name="uq_run_tags_run_id_key"),
    Index("idx_run_tags_key_value", "key", "value"),
)

event_logs = Table(
    "event_logs",
    metadata,
    Column("id", StorageId, primary_key=True, autoincrement=True),
    Column("run_id", String(255), nullable=False),
    Column("event_type", String(63), nullable=False),
    Column("step_key", Text, nullable=True),
    Column("asset_key", Text, nullable=True),
    Column("partition", Text, nullable=True),
    Column("timestamp", Double, nullable=False),
    Column("body", Text, nullable=False),
    Index("idx_event_logs_run_id", "run_id", "id"),
    Index("idx_event_logs_asset_key", "asset_key", "event_type", "id"),
    Index("idx_event_logs_event_type", "event_type", "id"),
    sqlite_autoincrement=True,
)

asset_keys = Table(
    "asset_keys",
    metadata,
    Column("asset_key", AssetKeyText, primary_key=True),
    # Non-null while the asset is known: the newest asset event of any kind (cleared by a wipe).
    Column("last_event_storage_id", BigInteger, nullable=True),
    Column("last_materialization_storage_id", BigInteger, nullable=True),
    Column("last_materialization", Text, nullable=True),
    Column("last_observation_storage_id", BigInteger, nullable=True),
    Column("last_observation", Text, nullable=True),
    Column("last_run_id", String(255), nullable=True),
    Column("last_failed_run_id", String(255), nullable=True),
    Column("wipe_timestamp", Double, nullable=True),
    Column("updated_timestamp", Double, nullable=False),
)

asset_partitions = Table(
    "asset_partitions",
    metadata,
    Column("asset_key", Text, primary_key=True),
    Column("partition", Text, primary_key=True),
    Column("last_materialization_storage_id", BigInteger, nullable=True),
    Column("last_observation_storage_id", BigInteger, nullable=True),
    Column("updated_timestamp", Double, nullable=False),
    # The latest ASSET_MATERIALIZATION_PLANNED of the partition and its run: with the run's
    # status this tells failed and in-progress partitions apart (revision 0004).
    Column("last_planned_storage_id", BigInteger, nullable=True),
    Column("last_planned_run_id", String(255), nullable=True),
    # Covers the partition status read of one asset (no lookups into the table).
    Index(
        "idx_asset_partitions_status",
        "asset_key",
        "partition",
        "last_materialization_storage_id",
        "last_planned_storage_id",
        "last_planned_run_id",
    ),
)

dynamic_partitions = Table(
    "dynamic_partitions",
    metadata,
    Column("id", StorageId, primary_key=True, autoincrement=True),
    Column("partitions_def_name", Text, nullable=False),
    Column("partition", Text, nullable=False),
    Column("create_timestamp", Double, nullable=False),
    UniqueConstraint(
        "partitions_def_name", "partition", name="uq_dynamic_partitions_name_partition"
    ),
    Index("idx_dynamic_partitions_name_id", "partitions_def_name", "id"),
    sqlite_autoincrement=True,
)

backfills = Table(
    "backfills",
    metadata,
    Column("id", StorageId, primary_key=True, autoincrement=True),
    Column("backfill_id", String(255), nullable=False, unique=True),
    Column("status", String(63), nullable=False),
    Column("body", Text, nullable=False),
    Column("create_timestamp", Double, nullable=False),
    Column("update_timestamp", Double, nullable=False),
    Index("idx_backfills_status", "status", "id"),
    Index("idx_backfills_create_timestamp", "create_timestamp"),
    sqlite_autoincrement=True,
)

asset_check_executions = Table(
    "asset_check_executions",
    metadata,
    Column("id", StorageId, primary_key=True, autoincrement=True),
    Column("asset_key", AssetKeyText, nullable=False),
    Column("check_name", Text, nullable=False),
    Column("partition", Text, nullable=True),
    Column("run_id", String(255), nullable=True),
    Column("passed", Boolean, nullable=False),
    Column("evaluation_event_storage_id", BigInteger, nullable=False),
    Column("create_timestamp", Double, nullable=False),
    Index("idx_asset_check_executions_key", "asset_key", "check_name", "id"),
    sqlite_autoincrement=True,
)

daemon_heartbeats = Table(
    "daemon_heartbeats",
    metadata,
    Column("loop_name", String(255), primary_key=True),
    Column("daemon_id", String(255), nullable=False),
    Column("timestamp", Double, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("last_error_timestamp", Double, nullable=True),
    Column("cursor", Text, nullable=True),
    # JSON: what identifies the daemon process (pid, hostname, start time).
    Column("info", Text, nullable=False),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", StorageId, primary_key=True, autoincrement=True),
    Column("snapshot_id", String(255), nullable=False, unique=True),
    Column("kind", String(63), nullable=False),
    Column("body", Text, nullable=False),
    Column("create_timestamp", Double, nullable=False),
    sqlite_autoincrement=True,
)

concurrency_limits = Table(
    "concurrency_limits",
    metadata,
    Column("pool", String(255), primary_key=True),
    Column("slot_limit", Integer, nullable=False),
    Column("update_timestamp", Double, nullable=False),
)

concurrency_slots = Table(
    "concurrency_slots",
    metadata,
    Column("id", StorageId, primary_key=True, autoincrement=True),
    Column("pool", String(255), nullable=False),
    Column("run_id", String(255), nullable=False),
    Column("step_key", Text, nullable=False),
    Column("claim_timestamp", Double, nullable=False),
    Index("idx_concurrency_slots_pool", "pool", "run_id"),
    Index("idx_concurrency_slots_run_id", "run_id"),
    sqlite_autoincrement=True,
)

run_worker_heartbeats = Table(
    "run_worker_heartbeats",
    metadata,
    Column("run_id", String(255), primary_key=True),
    Column("pid", Integer, nullable=False),
    Column("hostname", String(255), nullable=False),
    Column("timestamp", Double, nullable=False),
)

instigator_states = Table(
    "instigator_states",
    metadata,
    Column("instigator_type", String(31), primary_key=True),
    Column("location_name", String(255), primary_key=True),
    Column("name", String(255), primary_key=True),
    Column("status", String(31), nullable=True),
    Column("cursor", Text, nullable=True),
    Column("last_tick_timestamp", Double, nullable=True),
    Column("update_timestamp", Double, nullable=False),
)

instigator_ticks = Table(
    "instigator_ticks",
    metadata,
    Column("id", StorageId, primary_key=True, autoincrement=True),
    Column("instigator_type", String(31), nullable=False),
    Column("location_name", String(255), nullable=False),
    Column("name", String(255), nullable=False),
    Column("timestamp", Double, nullable=False),
    Column("status", String(31), nullable=False),
    Column("end_timestamp", Double, nullable=True),
    Column("body", Text, nullable=False),
    Index("idx_instigator_ticks_instigator", "instigator_type", "location_name", "name", "id"),
    sqlite_autoincrement=True,
)

instigator_run_keys = Table(
    "instigator_run_keys",
    metadata,
    Column("instigator_type", String(31), primary_key=True),
    Column("location_name", String(255), primary_key=True),
    Column("name", String(255), primary_key=True),
    Column("run_key", Text, primary_key=True),
    Column("run_id", String(255), nullable=False),
    Column("create_timestamp", Double, nullable=False),
)

asset_condition_evaluations = Table(
    "asset_condition_evaluations",
    metadata,
    Column("id", StorageId, primary_key=True, autoincrement=True),
    Column("asset_key", AssetKeyText, nullable=False),
    Column("sensor_name", String(511), nullable=False),
    Column("evaluation_id", BigInteger, nullable=False),
    Column("timestamp", Double, nullable=False),
    Column("num_requested", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Index("idx_asset_condition_evaluations_key", "asset_key", "id"),
    sqlite_autoincrement=True,
)

freshness_states = Table(
    "freshness_states",
    metadata,
    Column("asset_key", AssetKeyText, primary_key=True),
    Column("state", String(15), nullable=False),
    Column("updated_timestamp", Double, nullable=False),
    Column("changed_timestamp", Double, nullable=False),
    Column("info", Text, nullable=False),
)
