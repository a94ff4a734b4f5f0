"""A real S3-compatible server for tests: moto in server mode, a separate process on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: The credentials moto accepts (any): what the tests' clients sign with.
CREDENTIALS = {"key": "testing", "secret": "testing"}


@contextmanager
def moto_server(log: Path) -> Iterator[str]:
    """Start ``python -m moto.server`` on a free port; yield ``http://127.0.0.1:PORT``; stop it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError(f"moto did not start: {log.read_text()}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def new_bucket(endpoint: str) -> Any:
    """A boto3 S3 client of ``endpoint`` with a fresh bucket (its name in ``client.bucket``)."""
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
    client.bucket = f"headwater-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=client.bucket)
    return client


def keys_in(client: Any) -> list[str]:
    """The object keys of ``client.bucket``, sorted."""
    listing = client.list_objects_v2(Bucket=client.bucket).get("Contents", [])
    return sorted(item["Key"] for item in listing)
