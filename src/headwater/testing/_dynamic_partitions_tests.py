"""Conformance tests of dynamic partitions storage (mixed into :class:`StorageConformanceSuite`)."""

from __future__ import annotations

from headwater.storage.base import Storage


class DynamicPartitionsStorageTests:
    """Dynamic partition keys: order, idempotent adds, deletes, isolation between names."""

    def test_keys_are_listed_in_the_order_they_were_added(self, storage: Storage) -> None:
        storage.add_dynamic_partitions("customers", ["globex", "acme"])
        storage.add_dynamic_partitions("customers", ["initech"])
        assert storage.get_dynamic_partitions("customers") == ["globex", "acme", "initech"]
        assert storage.get_dynamic_partitions("unknown") == []

    def test_adding_existing_keys_keeps_their_place(self, storage: Storage) -> None:
        storage.add_dynamic_partitions("c", ["a", "b"])
        storage.add_dynamic_partitions("c", ["c", "b", "a", "d", "c"])
        assert storage.get_dynamic_partitions("c") == ["a", "b", "c", "d"]
        storage.add_dynamic_partitions("c", [])
        assert storage.get_dynamic_partitions("c") == ["a", "b", "c", "d"]

    def test_membership(self, storage: Storage) -> None:
        storage.add_dynamic_partitions("c", ["a"])
        assert storage.has_dynamic_partition("c", "a")
        assert not storage.has_dynamic_partition("c", "b")
        assert not storage.has_dynamic_partition("other", "a")

    def test_deleted_key_is_gone_and_comes_back_last(self, storage: Storage) -> None:
        storage.add_dynamic_partitions("c", ["a", "b", "c"])
        storage.delete_dynamic_partition("c", "a")
        storage.delete_dynamic_partition("c", "never-added")
        assert storage.get_dynamic_partitions("c") == ["b", "c"]
        assert not storage.has_dynamic_partition("c", "a")
        storage.add_dynamic_partitions("c", ["a"])
        assert storage.get_dynamic_partitions("c") == ["b", "c", "a"]

    def test_names_are_independent(self, storage: Storage) -> None:
        storage.add_dynamic_partitions("files", ["x.csv", "y.csv"])
        storage.add_dynamic_partitions("customers", ["x.csv"])
        storage.delete_dynamic_partition("customers", "x.csv")
        assert storage.get_dynamic_partitions("files") == ["x.csv", "y.csv"]
        assert storage.get_dynamic_partitions("customers") == []

    def test_keys_are_stored_verbatim(self, storage: Storage) -> None:
        keys = ["Ünïcode ✓", "with space", "a|b", "'quote\"", "UPPER", "upper", "%_like"]
        storage.add_dynamic_partitions("c", keys)
        assert storage.get_dynamic_partitions("c") == keys
        assert all(storage.has_dynamic_partition("c", k) for k in keys)
        assert not storage.has_dynamic_partition("c", "%")

    def test_tens_of_thousands_of_keys_in_one_call(self, storage: Storage) -> None:
        keys = [f"file-{i:06d}.csv" for i in range(40_000)]
        storage.add_dynamic_partitions("files", keys[:100])
        storage.add_dynamic_partitions("files", list(reversed(keys)))
        stored = storage.get_dynamic_partitions("files")
        assert len(stored) == 40_000
        assert stored[:100] == keys[:100]
        assert stored[100:] == list(reversed(keys[100:]))
        assert storage.has_dynamic_partition("files", keys[-1])

    def test_wipe_deletes_dynamic_partitions(self, storage: Storage) -> None:
        storage.add_dynamic_partitions("c", ["a"])
        storage.wipe()
        assert storage.get_dynamic_partitions("c") == []
