"""Dynamic partitions: keys added and deleted at run time, kept by the instance."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from headwater.declarations.partitions.base import (
    DynamicPartitionsStore,
    PartitionError,
    PartitionsDefinition,
    check_key_string,
)
from headwater.errors import DefinitionError, UnknownPartitionError

#: Substrings a dynamic partition key may not contain (they break key ranges and logs).
INVALID_KEY_SUBSTRINGS: tuple[str, ...] = ("...", "\a", "\b", "\f", "\n", "\r", "\t", "\v", "\0")


def validate_dynamic_partition_keys(keys: Iterable[str], where: str) -> list[str]:
    """Check user-given dynamic partition keys and return them as a list.

    Args:
        keys: the keys, in the order given.
        where: what is being validated, for the message (e.g. ``"add_dynamic_partitions"``).

    Returns:
        The keys.

    Raises:
        DefinitionError: if ``keys`` is a single string, or a key is empty, not a string, or
            contains one of :data:`INVALID_KEY_SUBSTRINGS`.

    Example:
        >>> validate_dynamic_partition_keys(["a", "b"], "example")
        ['a', 'b']
    """
    if isinstance(keys, str):
        raise DefinitionError(
            f"{where}: partition keys must be a list of strings, got the string {keys!r}; "
            f"write [{keys!r}]."
        )
    checked = [check_key_string(key, where) for key in keys]
    for key in checked:
        bad = [s for s in INVALID_KEY_SUBSTRINGS if s in key]
        if bad:
            raise DefinitionError(
                f"{where}: partition key {key!r} contains {bad[0]!r}; dynamic partition keys "
                "may not contain '...' or control characters."
            )
    return checked


@dataclass(frozen=True, slots=True)
class AddDynamicPartitionsRequest:
    """A request (from a sensor) to add keys to a dynamic partitions definition.

    Attributes:
        partitions_def_name: the :class:`DynamicPartitionsDefinition`'s name.
        partition_keys: the keys to add; keys that already exist are ignored.

    Example:
        >>> AddDynamicPartitionsRequest("customers", ["acme"]).partition_keys
        ('acme',)
    """

    partitions_def_name: str
    partition_keys: Sequence[str]

    def __post_init__(self) -> None:
        keys = validate_dynamic_partition_keys(self.partition_keys, "AddDynamicPartitionsRequest")
        object.__setattr__(self, "partition_keys", tuple(keys))


@dataclass(frozen=True, slots=True)
class DeleteDynamicPartitionsRequest:
    """A request (from a sensor) to delete keys from a dynamic partitions definition.

    Attributes:
        partitions_def_name: the :class:`DynamicPartitionsDefinition`'s name.
        partition_keys: the keys to delete; unknown keys are ignored.

    Example:
        >>> DeleteDynamicPartitionsRequest("customers", ["acme"]).partition_keys
        ('acme',)
    """

    partitions_def_name: str
    partition_keys: Sequence[str]

    def __post_init__(self) -> None:
        keys = validate_dynamic_partition_keys(
            self.partition_keys, "DeleteDynamicPartitionsRequest"
        )
        object.__setattr__(self, "partition_keys", tuple(keys))


@dataclass(frozen=True, slots=True)
class DynamicPartitionsDefinition(PartitionsDefinition):
    """Partitions whose keys are added and deleted while headwater runs (customers, files, ...).

    The keys live in the instance's storage under ``name``: add them with
    ``instance.add_dynamic_partitions(name, keys)`` or from a sensor with
    :meth:`build_add_request`. Every method that lists keys needs that store (the
    :class:`~headwater.Instance`). Two definitions with the same name share their keys.

    Args:
        name: the name the keys are stored under; a non-empty string.

    Raises:
        DefinitionError: if ``name`` is missing or not a non-empty string.

    Example:
        >>> from headwater import Instance
        >>> customers = DynamicPartitionsDefinition(name="customers")
        >>> with Instance.ephemeral() as instance:
        ...     instance.add_dynamic_partitions("customers", ["acme", "globex"])
        ...     list(customers.get_partition_keys(dynamic_partitions_store=instance))
        ['acme', 'globex']
    """

    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            got = "none" if self.name in ("", None) else repr(self.name)
            raise DefinitionError(
                f"DynamicPartitionsDefinition needs name=, a non-empty string (got {got}): the "
                'keys are stored under it, e.g. DynamicPartitionsDefinition(name="customers").'
            )

    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        """The keys added so far, in the order they were added.

        Args:
            current_time: ignored (dynamic keys do not depend on time).
            dynamic_partitions_store: where the keys are kept (the instance); required.

        Returns:
            The keys.

        Raises:
            PartitionError: if no ``dynamic_partitions_store`` is given.
        """
        return self._store(dynamic_partitions_store).get_dynamic_partitions(self.name)

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        """Whether ``partition_key`` was added (and not deleted); one indexed lookup.

        Raises:
            PartitionError: if no ``dynamic_partitions_store`` is given.
        """
        store = self._store(dynamic_partitions_store)
        return store.has_dynamic_partition(self.name, partition_key)

    def validate_partition_key(
        self,
        partition_key: str,
        *,
        asset: str | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> None:
        """Raise :class:`UnknownPartitionError` when ``partition_key`` was never added or was
        deleted.

        Raises:
            UnknownPartitionError: naming the asset, the key and how to add it.
            PartitionError: no ``dynamic_partitions_store`` is given.
        """
        if not self.has_partition_key(partition_key, None, dynamic_partitions_store):
            where = f" of asset {asset!r}" if asset else ""
            raise UnknownPartitionError(
                f"Partition key {partition_key!r}{where} is not one of the {self.describe()}: "
                "it was never added or it was deleted. Add it with "
                f"instance.add_dynamic_partitions({self.name!r}, [{partition_key!r}])."
            )

    def build_add_request(self, partition_keys: Sequence[str]) -> AddDynamicPartitionsRequest:
        """A request to add ``partition_keys``, for a sensor to return.

        Args:
            partition_keys: the keys to add.

        Returns:
            The request.

        Raises:
            DefinitionError: if a key is empty or contains a forbidden substring.

        Example:
            >>> DynamicPartitionsDefinition(name="files").build_add_request(["a.csv"])
            AddDynamicPartitionsRequest(partitions_def_name='files', partition_keys=('a.csv',))
        """
        return AddDynamicPartitionsRequest(self.name, partition_keys)

    def build_delete_request(self, partition_keys: Sequence[str]) -> DeleteDynamicPartitionsRequest:
        """A request to delete ``partition_keys``, for a sensor to return.

        Args:
            partition_keys: the keys to delete.

        Returns:
            The request.

        Example:
            >>> DynamicPartitionsDefinition(name="files").build_delete_request(["a.csv"])
            DeleteDynamicPartitionsRequest(partitions_def_name='files', partition_keys=('a.csv',))
        """
        return DeleteDynamicPartitionsRequest(self.name, partition_keys)

    def describe(self) -> str:
        """A short description for messages: ``dynamic partitions 'name'``."""
        return f"dynamic partitions {self.name!r}"

    def _store(self, store: DynamicPartitionsStore | None) -> DynamicPartitionsStore:
        if store is None:
            raise PartitionError(
                f"The keys of {self.describe()} live in the instance: pass "
                "dynamic_partitions_store=instance (an Instance) to list or check them."
            )
        return store
