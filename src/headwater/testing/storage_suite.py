"""The storage conformance suite: behaviour every :class:`~headwater.storage.base.Storage`
backend must show.

Subclass :class:`StorageConformanceSuite` in a test module and provide the ``storage``
fixture; pytest then runs every test of the suite against that backend::

    import pytest
    from headwater.storage.sqlite import SqliteStorage
    from headwater.testing.storage_suite import StorageConformanceSuite

    class TestSqliteStorage(StorageConformanceSuite):
        @pytest.fixture
        def storage(self, tmp_path):
            with SqliteStorage.from_path(tmp_path / "history.db") as storage:
                yield storage

Each test gets a fresh, empty storage.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from headwater.storage.base import Storage
from headwater.testing._asset_check_storage_tests import AssetCheckStorageTests
from headwater.testing._asset_index_tests import AssetIndexTests
from headwater.testing._automation_storage_tests import AutomationStorageTests
from headwater.testing._backfill_storage_tests import BackfillStorageTests
from headwater.testing._concurrency_storage_tests import ConcurrencyStorageTests
from headwater.testing._daemon_storage_tests import DaemonStorageTests
from headwater.testing._dynamic_partitions_tests import DynamicPartitionsStorageTests
from headwater.testing._event_storage_tests import EventLogStorageTests
from headwater.testing._instigator_storage_tests import InstigatorStorageTests
from headwater.testing._run_storage_tests import RunStorageTests
from headwater.testing._run_worker_storage_tests import RunWorkerStorageTests
from headwater.testing._storage_helpers import make_event, make_run, materialization, observation

__all__ = [
    "StorageConformanceSuite",
    "make_event",
    "make_run",
    "materialization",
    "observation",
]


class StorageConformanceSuite(
    RunStorageTests,
    EventLogStorageTests,
    AssetIndexTests,
    DynamicPartitionsStorageTests,
    BackfillStorageTests,
    AssetCheckStorageTests,
    DaemonStorageTests,
    RunWorkerStorageTests,
    ConcurrencyStorageTests,
    InstigatorStorageTests,
    AutomationStorageTests,
):
    """Behaviour tests for a storage backend; override the ``storage`` fixture."""

    @pytest.fixture
    def storage(self) -> Iterator[Storage]:
        """A fresh, empty storage of the backend under test (override in the subclass)."""
        raise NotImplementedError(
            f"{type(self).__name__} must override the `storage` fixture to yield a fresh Storage."
        )
        yield  # pragma: no cover
