"""Data versions: a fingerprint of an asset's value, given by user code or derived."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from headwater.errors import DefinitionError


@dataclass(frozen=True, slots=True)
class DataVersion:
    """An opaque string that changes exactly when an asset's data changes.

    Return one from an observation (``ObserveResult(data_version=...)``) or a materialization
    (``Output(..., data_version=...)`` / ``MaterializeResult(data_version=...)``); otherwise
    headwater derives one from the asset's code version and its inputs' data versions.

    Example:
        >>> DataVersion("2024-01-01T00:00").value
        '2024-01-01T00:00'
    """

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not self.value:
            raise DefinitionError(f"DataVersion needs a non-empty string, got {self.value!r}.")

    def __str__(self) -> str:
        return self.value


def data_version_string(value: DataVersion | str | None) -> str | None:
    """The string of a ``DataVersion`` (or string), ``None`` for ``None``."""
    if value is None:
        return None
    return value.value if isinstance(value, DataVersion) else str(value)


def derive_data_version(code_version: str, input_data_versions: Mapping[str, str | None]) -> str:
    """The data version of a materialization computed by ``code_version`` from inputs with these
    data versions: equal inputs and code give an equal version."""
    digest = hashlib.sha256(code_version.encode())
    for key in sorted(input_data_versions):
        digest.update(f"\0{key}={input_data_versions[key] or ''}".encode())
    return digest.hexdigest()[:20]
