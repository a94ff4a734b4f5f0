"""Fixtures: a scratch PostgreSQL database per test (skipped when no server answers)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from headwater.testing.postgres import scratch_database, server_unavailable_reason


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    reason = server_unavailable_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with scratch_database() as url:
        yield url
