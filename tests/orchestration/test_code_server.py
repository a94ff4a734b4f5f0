"""A real ``headwater code-server start`` process on a Unix socket (and on TCP): its snapshot,
schedule and sensor ticks and partition keys equal what the same code gives in process."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from code_server_helpers import (
    SHOP,
    code_server_command,
    running_code_server,
    short_socket_dir,
    stop_process,
    wait_for,
    wait_for_server,
)

from headwater import build_schedule_context, build_sensor_context
from headwater.cli.main import cli
from headwater.errors import (
    CodeLocationError,
    CodeServerUnavailableError,
    DefinitionError,
    PartitionError,
    RemoteUserCodeError,
)
from headwater.instance.instance import Instance
from headwater.keys import AssetKey
from headwater.orchestration.code_location import load_definitions
from headwater.orchestration.code_server_client import CodeServerClient
from headwater.orchestration.definitions_snapshot import snapshot_definitions

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def shop_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("shop")
    (directory / "shop.py").write_text(SHOP)
    return directory


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hw_home")


@pytest.fixture(scope="module")
def server(shop_dir: Path, home: Path) -> Iterator[CodeServerClient]:
    """One code server for the module's tests (starting one costs a second or more)."""
    env = {**os.environ, "HEADWATER_HOME": str(home)}
    with running_code_server("-f", "shop.py", cwd=shop_dir, env=env) as (client, _process, _s):
        yield client


@pytest.fixture(scope="module")
def defs(shop_dir: Path) -> Any:
    """The same location loaded in this process, to compare with."""
    saved = list(sys.path)
    try:
        return load_definitions(file="shop.py", working_directory=shop_dir)
    finally:
        sys.path[:] = saved


def test_snapshot_from_the_server_equals_the_snapshot_in_process(
    server: CodeServerClient, defs: Any
) -> None:
    remote = server.snapshot()
    assert remote == snapshot_definitions(defs, location_name="shop")
    health = server.health()
    assert health["status"] == "ok" and health["location_name"] == "shop"
    assert health["snapshot_id"] == hashlib.sha256(server.snapshot_json()).hexdigest()
    assert server.snapshot() is remote  # unchanged: 304, nothing decoded again


@pytest.mark.parametrize(
    "moment",
    [datetime(2024, 1, 2, 3, tzinfo=BERLIN), datetime(2024, 1, 7, 3, tzinfo=BERLIN)],
    ids=["weekday", "sunday"],
)
def test_schedule_tick_remote_equals_direct(
    server: CodeServerClient, defs: Any, moment: datetime
) -> None:
    remote = server.evaluate_schedule_tick("nightly", moment)
    with build_schedule_context(scheduled_execution_time=moment, definitions=defs) as context:
        direct = defs.get_schedule_def("nightly").evaluate_tick(context)
    assert remote == direct
    if moment.weekday() == 6:
        assert remote.skip_message == "no revenue run on Sundays (2024-01-07)"
    else:
        (request,) = remote.run_requests
        assert request.tags["zone"] == "Europe/Berlin"  # the zone arrives as a ZoneInfo
        assert request.tags["headwater/schedule_name"] == "nightly"


def test_partitioned_schedule_tick_requests_the_partition(
    server: CodeServerClient, defs: Any
) -> None:
    moment = datetime(2024, 1, 10, tzinfo=BERLIN)
    remote = server.evaluate_schedule_tick("daily_orders_schedule", moment)
    with build_schedule_context(scheduled_execution_time=moment, definitions=defs) as context:
        direct = defs.get_schedule_def("daily_orders_schedule").evaluate_tick(context)
    assert remote == direct
    assert [r.partition_key for r in remote.run_requests] == ["2024-01-09"]


def test_sensor_ticks_remote_equal_direct_as_the_cursor_moves(
    server: CodeServerClient, defs: Any
) -> None:
    cursor = None
    for _ in range(3):
        remote = server.evaluate_sensor_tick("inbox", cursor=cursor, last_run_key="file-x")
        with build_sensor_context(cursor=cursor, definitions=defs, last_run_key="file-x") as ctx:
            direct = defs.get_sensor_def("inbox").evaluate_tick(ctx)
        assert remote == direct
        cursor = remote.cursor
    assert cursor == "2" and remote.skip_message == "no file after file-2"
    first = server.evaluate_sensor_tick("inbox")
    assert first.dynamic_partitions_requests[0].partition_keys == ("c0",)
    assert first.asset_events[0].asset_key == AssetKey(["raw", "payments"])


def test_sensor_reads_the_instance_the_request_names(
    server: CodeServerClient, defs: Any, tmp_path: Path
) -> None:
    with Instance.from_path(tmp_path / "other") as instance:
        instance.add_dynamic_partitions("customers", ["acme", "globex"])
        remote = server.evaluate_sensor_tick("known_customers", instance_home=tmp_path / "other")
        with build_sensor_context(instance=instance, definitions=defs) as context:
            direct = defs.get_sensor_def("known_customers").evaluate_tick(context)
    assert remote == direct
    assert [r.partition_key for r in remote.run_requests] == ["acme", "globex"]
    # without instance_home, the server's own HEADWATER_HOME (empty) is used
    assert server.evaluate_sensor_tick("known_customers").skip_message == "none"


def test_partition_keys_remote_equal_direct(server: CodeServerClient, defs: Any) -> None:
    keys = server.partition_keys("orders")
    assert keys == list(defs.get_assets_def("orders").partitions_def.get_partition_keys())
    assert keys[0] == "2024-01-01" and len(keys) == 31
    with pytest.raises(PartitionError, match="'revenue' is not partitioned"):
        server.partition_keys("revenue")
    with pytest.raises(DefinitionError, match="No asset 'nowhere'"):
        server.partition_keys("nowhere")


def test_user_code_errors_come_back_with_the_user_traceback(server: CodeServerClient) -> None:
    with pytest.raises(RemoteUserCodeError) as raised:
        server.evaluate_sensor_tick("broken")
    assert raised.value.error_type == "ZeroDivisionError"
    assert "Error in sensor 'broken': ZeroDivisionError" in str(raised.value)
    assert "shop.py" in raised.value.user_traceback and "1 / 0" in raised.value.user_traceback
    with pytest.raises(DefinitionError, match="must return or yield RunRequest"):
        server.evaluate_sensor_tick("broken", cursor="junk")
    with pytest.raises(DefinitionError, match="No schedule named 'weekly'"):
        server.evaluate_schedule_tick("weekly", datetime(2024, 1, 1, tzinfo=BERLIN))


def test_a_hanging_sensor_does_not_block_other_requests(server: CodeServerClient) -> None:
    hung: list[BaseException] = []

    def call_slow() -> None:
        try:
            server.evaluate_sensor_tick("slow", cursor="60", timeout=3)
        except CodeServerUnavailableError as exc:
            hung.append(exc)

    thread = threading.Thread(target=call_slow)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    assert server.evaluate_sensor_tick("inbox").cursor == "1"  # answered while "slow" sleeps
    assert time.monotonic() - started < 15
    thread.join(timeout=60)
    assert hung and "no answer within 3 s" in str(hung[0])

    # the sensor still sleeps in the server: another tick of it is refused at once instead of
    # taking another thread
    def refused() -> bool:
        try:
            server.evaluate_sensor_tick("slow", cursor="60", timeout=5)
        except CodeServerUnavailableError as exc:
            return "'slow' is still being evaluated" in str(exc)
        return False

    assert wait_for(refused, timeout=60)
    started = time.monotonic()
    assert refused() and time.monotonic() - started < 5


def test_a_location_that_fails_to_import_is_served_with_its_error(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("from headwater import Definitions\nrate = 1 / 0\n")
    with running_code_server("-f", "bad.py", cwd=tmp_path) as (client, process, _socket):
        health = client.health()
        assert health["status"] == "error"
        message = health["error"]["message"]
        assert "ZeroDivisionError: division by zero (raised at bad.py:2)" in message
        with pytest.raises(CodeLocationError, match="ZeroDivisionError") as raised:
            client.snapshot()
        assert "rate = 1 / 0" in raised.value.full_traceback
        with pytest.raises(CodeLocationError):
            client.evaluate_sensor_tick("anything")
        assert process.poll() is None  # still serving


def test_sigterm_stops_the_server_and_removes_its_socket(shop_dir: Path) -> None:
    with running_code_server("-f", "shop.py", cwd=shop_dir) as (client, process, socket_path):
        assert os.path.exists(socket_path)
        with pytest.raises(CodeServerUnavailableError):  # a sensor that sleeps for 10 minutes
            client.evaluate_sensor_tick("slow", cursor="600", timeout=3)
        started = time.monotonic()
        process.terminate()
        assert process.wait(timeout=60) == 0  # not waiting for the sleeping sensor
        assert time.monotonic() - started < 40
        assert not os.path.exists(socket_path)
        assert not client.is_reachable(timeout=1)


def test_a_second_server_refuses_a_socket_in_use(shop_dir: Path) -> None:
    with running_code_server("-f", "shop.py", cwd=shop_dir) as (client, _process, socket_path):
        command = code_server_command("-f", "shop.py", socket_path=socket_path)
        second = subprocess.run(command, cwd=shop_dir, capture_output=True, text=True,
                                timeout=120)  # fmt: skip
        assert second.returncode == 2
        assert f"Another process already listens on {socket_path}" in second.stderr
        assert client.is_reachable()


def test_serves_on_tcp_with_host_and_port(shop_dir: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    directory = short_socket_dir()
    log = Path(directory) / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            code_server_command("-f", "shop.py",
                                extra=["--host", "127.0.0.1", "--port", f"{port}"]),
            cwd=shop_dir, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        client = CodeServerClient(f"http://127.0.0.1:{port}", timeout=60)
        wait_for_server(client, process, str(log))
        assert client.snapshot().location_name == "shop"
        assert wait_for(lambda: "listening on http://127.0.0.1:" in log.read_text(), timeout=30)
    finally:
        stop_process(process)
        shutil.rmtree(directory, ignore_errors=True)


def test_start_refuses_contradictory_options(
    shop_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(shop_dir)
    runner = CliRunner()
    both = runner.invoke(cli, ["code-server", "start", "-f", "shop.py", "--socket", "/tmp/x.sock",
                               "--port", "4000"])  # fmt: skip
    assert both.exit_code == 2 and "--socket or --host/--port, not both" in both.output
    host_only = runner.invoke(cli, ["code-server", "start", "-f", "shop.py", "--host", "h"])
    assert host_only.exit_code == 2 and "--host needs --port" in host_only.output
    nothing = runner.invoke(cli, ["code-server", "start"])
    assert nothing.exit_code == 2 and "No code location given" in nothing.output
