"""Real code server processes for tests: a location with a bit of everything, started on a
socket, waited for by polling (generous timeouts: a loaded 2-core machine), always stopped."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from headwater.errors import CodeServerUnavailableError
from headwater.orchestration.code_server_client import CodeServerClient

START_TIMEOUT_SECONDS = 120.0

SHOP = textwrap.dedent(
    '''
    import time
    from headwater import (
        AddDynamicPartitionsRequest, AssetCheckResult, AssetCheckSpec, AssetMaterialization,
        AssetSpec, AutomationCondition, ConfigurableResource, DailyPartitionsDefinition,
        Definitions, DynamicPartitionsDefinition, RunRequest, SensorResult, SkipReason, asset,
        asset_check, build_schedule_from_partitioned_job, define_asset_job, job, op, schedule,
        sensor,
    )

    daily = DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-02-01",
                                      timezone="Europe/Berlin")
    customers = DynamicPartitionsDefinition(name="customers")

    class Warehouse(ConfigurableResource):
        url: str = "duckdb:///shop.db"

    raw_payments = AssetSpec("raw/payments", group_name="raw", description="written by billing")

    @asset(group_name="raw", kinds={"duckdb", "python"}, owners=["team:data"],
           tags={"tier": "gold"}, code_version="2", metadata={"rows": 10},
           partitions_def=daily, description="Orders of one day.",
           check_specs=[AssetCheckSpec("has_rows", asset="orders", blocking=True)])
    def orders(warehouse: Warehouse):
        yield from ()

    @asset(deps=[orders, raw_payments], automation_condition=AutomationCondition.eager())
    def revenue() -> int:
        return 1

    @asset(partitions_def=customers)
    def customer_report() -> int:
        return 1

    @asset_check(asset=revenue, description="revenue is positive")
    def revenue_positive() -> AssetCheckResult:
        return AssetCheckResult(passed=True)

    @op
    def ping() -> None:
        return None

    @job
    def housekeeping():
        ping()

    daily_job = define_asset_job("daily_orders", selection=[orders], partitions_def=daily)
    revenue_job = define_asset_job("revenue_job", selection="revenue", tags={"team": "data"})

    @schedule(cron_schedule="0 3 * * *", job=revenue_job, execution_timezone="Europe/Berlin")
    def nightly(context):
        moment = context.scheduled_execution_time
        if moment.weekday() == 6:
            return SkipReason(f"no revenue run on Sundays ({moment:%Y-%m-%d})")
        return RunRequest(run_key=moment.isoformat(),
                          tags={"day": f"{moment:%Y-%m-%d}", "zone": str(moment.tzinfo)})

    @sensor(job=revenue_job, minimum_interval_seconds=5)
    def inbox(context):
        seen = int(context.cursor or "0")
        if seen >= 2:
            return SkipReason(f"no file after file-{seen}")
        return SensorResult(
            run_requests=[RunRequest(run_key=f"file-{seen}", run_config={"ops": {}})],
            cursor=str(seen + 1),
            dynamic_partitions_requests=[AddDynamicPartitionsRequest("customers", [f"c{seen}"])],
            asset_events=[AssetMaterialization("raw/payments", metadata={"file": seen})],
        )

    @sensor(job=revenue_job)
    def known_customers(context):
        keys = context.instance.get_dynamic_partitions("customers")
        return [RunRequest(run_key=key, partition_key=key) for key in keys] or SkipReason("none")

    @sensor(job=revenue_job)
    def broken(context):
        return {"not": "a run request"} if context.cursor == "junk" else 1 / 0

    @sensor(job=revenue_job)
    def slow(context):
        time.sleep(float(context.cursor or "30"))
        return SkipReason("slept")

    defs = Definitions(
        assets=[orders, revenue, customer_report, raw_payments],
        asset_checks=[revenue_positive],
        jobs=[daily_job, revenue_job, housekeeping],
        schedules=[nightly, build_schedule_from_partitioned_job(daily_job)],
        sensors=[inbox, known_customers, broken, slow],
        resources={"warehouse": Warehouse()},
        metadata={"team": "data"},
    )
    '''
)


def short_socket_dir() -> str:
    """A fresh directory with a short path (Unix socket paths are limited to ~100 bytes)."""
    return tempfile.mkdtemp(prefix="hwt-")


def code_server_command(*location: str, socket_path: str | None = None,
                        extra: Sequence[str] = ()) -> list[str]:  # fmt: skip
    """``python -m headwater code-server start <location> [--socket PATH] <extra>``."""
    socket_args = ["--socket", socket_path] if socket_path else []
    return [sys.executable, "-m", "headwater", "code-server", "start", *location, *socket_args,
            *extra]  # fmt: skip


@contextmanager
def running_code_server(
    *location: str, cwd: Path, env: dict[str, str] | None = None, extra: Sequence[str] = ()
) -> Iterator[tuple[CodeServerClient, subprocess.Popen[bytes], str]]:
    """Start a code server for ``location`` (e.g. ``"-f", "shop.py"``) on a socket, wait until it
    answers, yield ``(client, process, socket_path)``, and stop it (SIGTERM, then SIGKILL)."""
    directory = short_socket_dir()
    socket_path = os.path.join(directory, "s.sock")
    log = open(os.path.join(directory, "server.log"), "wb")  # noqa: SIM115
    process = subprocess.Popen(
        code_server_command(*location, socket_path=socket_path, extra=extra),
        cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    client = CodeServerClient(f"unix:{socket_path}", timeout=60)
    try:
        wait_for_server(client, process, os.path.join(directory, "server.log"))
        yield client, process, socket_path
    finally:
        stop_process(process)
        log.close()
        shutil.rmtree(directory, ignore_errors=True)


def wait_for_server(client: CodeServerClient, process: subprocess.Popen[bytes], log: str) -> None:
    """Poll until the server answers; fail with its output if it exits or never answers."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        if process.poll() is not None:
            raise AssertionError(f"code server exited with {process.returncode}:\n"
                                 + Path(log).read_text(errors="replace"))  # fmt: skip
        try:
            client.health(timeout=5)
            return
        except CodeServerUnavailableError:
            if time.monotonic() > deadline:
                raise AssertionError("code server never answered:\n"
                                     + Path(log).read_text(errors="replace")) from None  # fmt: skip
            time.sleep(0.1)


def stop_process(process: subprocess.Popen[bytes], grace_seconds: float = 30.0) -> None:
    """SIGTERM, then SIGKILL if it is still there after ``grace_seconds``."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def pid_alive(pid: int) -> bool:
    """Whether a process with ``pid`` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_for(predicate: object, timeout: float = 60.0, interval: float = 0.1) -> bool:
    """Poll ``predicate()`` until it is true or ``timeout`` seconds passed; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()  # type: ignore[operator]
        if value or time.monotonic() > deadline:
            return bool(value)
        time.sleep(interval)
