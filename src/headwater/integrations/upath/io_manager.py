"""``UPathIOManager``: values stored as objects under any fsspec URL (universal_pathlib).

An asset with key ``["sales", "orders"]`` is stored at ``<base_path>/sales/orders<extension>``;
a partitioned asset stores one object per partition, ``<base_path>/sales/orders/<partition
key><extension>``. ``base_path`` is a local directory or any fsspec URL (``memory://``,
``s3://bucket/prefix``, ``gs://...``, ``az://...``), with the filesystem's options in
``storage_options``. universal_pathlib and fsspec are imported when a value is stored or
loaded, not when this module is imported; ``s3://`` also needs s3fs.
"""

from __future__ import annotations

import os
import pickle
import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field

from headwater.declarations.io_managers.base import InputContext, OutputContext
from headwater.declarations.io_managers.builtin import ConfigurableIOManager
from headwater.errors import ExecutionError, HeadwaterError
from headwater.metadata import MetadataValue

if TYPE_CHECKING:
    from upath import UPath

__all__ = ["UPathIOManager"]

_LOCAL = ("", "file", "local")


class UPathIOManager(ConfigurableIOManager):
    """Stores each output as one object under ``base_path`` (pickled, unless a subclass says
    otherwise); a partitioned output as one object per partition.

    Args:
        base_path: a local directory or an fsspec URL (``"memory://values"``,
            ``"s3://bucket/headwater"``); default ``<HEADWATER_HOME>/storage`` of the run's
            instance.
        storage_options: options of the filesystem (``{"endpoint_url": ..., "key": ...,
            "secret": ...}`` for s3fs); give secrets with ``EnvVar`` in run config or read
            them from the environment, never in code.

    Subclasses change the format by setting ``extension`` (``".json"``) and overriding
    :meth:`dump_to_path` and :meth:`load_from_path`, as with Dagster's ``UPathIOManager``.
    Several partitions stored at once (a single-run range) must be a dict of partition key ->
    value; several partitions loaded at once come as such a dict.

    Raises:
        ExecutionError: (when storing) a multi-partition value that is not such a dict, or
            (when loading) an object that was never stored, naming its path.
        HeadwaterError: universal_pathlib is not installed (``pip install
            'headwater[upath]'``), or the URL's filesystem needs a package that is not.

    Example:
        >>> from headwater import DailyPartitionsDefinition, asset, materialize
        >>> from headwater.integrations.upath import UPathIOManager
        >>> days = DailyPartitionsDefinition(start_date="2024-01-01")
        >>> @asset(partitions_def=days)
        ... def visits(context) -> int:
        ...     return int(context.partition_key[-2:])
        >>> io_manager = UPathIOManager(base_path="memory://doctest")
        >>> materialize([visits], partition_key="2024-01-05",
        ...             resources={"io_manager": io_manager}).success
        True
        >>> io_manager.path_for(["visits", "2024-01-05"]).read_bytes()[:1] == b"\\x80"
        True
    """

    base_path: str | None = None
    storage_options: dict[str, Any] = Field(default_factory=dict)

    #: the suffix of every stored object (``".pkl"``, ``".json"``, ...); none by default
    extension: ClassVar[str] = ""

    # -- the format (override in a subclass) ----------------------------------------------------
    def dump_to_path(self, context: OutputContext, obj: Any, path: UPath) -> None:
        """Write ``obj`` to ``path`` (default: pickled)."""
        with path.open("wb") as out:
            pickle.dump(obj, out, protocol=pickle.HIGHEST_PROTOCOL)

    def load_from_path(self, context: InputContext, path: UPath) -> Any:
        """Read the value stored at ``path`` (default: unpickled)."""
        with path.open("rb") as data:
            return pickle.load(data)

    # -- where values live ----------------------------------------------------------------------
    def path_for(self, identifier: list[str], partition_key: str | None = None,
                 context: OutputContext | InputContext | None = None) -> UPath:  # fmt: skip
        """The path of the value of ``identifier`` (``context.get_asset_identifier()``: an
        asset key's path, with the partition key when one partition is stored; step and output
        for an op output), or of its partition ``partition_key``."""
        path = self._base(context)
        for part in identifier:
            path = path / part
        if partition_key is not None:
            path = path / partition_key
        return path.with_name(path.name + self.extension) if self.extension else path

    def _base(self, context: OutputContext | InputContext | None) -> UPath:
        upath = _upath_class()
        if self.base_path:
            try:
                base: UPath = upath(self.base_path, **self.storage_options)
                return base
            except (ImportError, ValueError) as exc:
                raise HeadwaterError(
                    f"UPathIOManager cannot open {self.base_path!r}: {exc}. Install the "
                    "filesystem's package (s3fs for s3://, gcsfs for gs://, adlfs for az://)."
                ) from exc
        instance = getattr(context, "instance", None)
        if instance is None:
            import tempfile

            return upath(os.path.join(tempfile.gettempdir(), "headwater-storage"))
        return upath(str(instance.storage_directory))

    # -- IOManager ------------------------------------------------------------------------------
    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Store ``obj`` (one object per partition when several are stored at once)."""
        ident = context.get_asset_identifier()
        keys = list(context.asset_partition_keys)
        if len(keys) > 1:
            values = _by_partition(context, obj, keys)
            paths = [self._write(context, self.path_for(ident, k, context), values[k])
                     for k in keys]  # fmt: skip
            context.add_output_metadata({"path": MetadataValue.path(str(paths[0].parent)),
                                         "partitions": len(paths)})  # fmt: skip
            return
        # one partition: the identifier ends with its key already
        path = self._write(context, self.path_for(ident, context=context), obj)
        context.add_output_metadata({"path": MetadataValue.path(str(path))})

    def load_input(self, context: InputContext) -> Any:
        """Load the upstream value (a dict of partition key -> value for several partitions)."""
        ident = context.get_asset_identifier()
        keys = list(context.asset_partition_keys)
        if len(keys) > 1:
            return {k: self._read(context, self.path_for(ident, k, context)) for k in keys}
        return self._read(context, self.path_for(ident, context=context))

    def _write(self, context: OutputContext, path: UPath, obj: Any) -> UPath:
        if path.protocol not in _LOCAL:  # an object store writes an object whole or not at all
            self.dump_to_path(context, obj, path)
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            self.dump_to_path(context, obj, temporary)
            os.replace(temporary.path, path.path)  # readers see the old value or the new one
        finally:
            if temporary.exists():
                temporary.unlink()
        return path

    def _read(self, context: InputContext, path: UPath) -> Any:
        try:
            return self.load_from_path(context, path)
        except FileNotFoundError:
            raise ExecutionError(
                f"No stored value for {'/'.join(context.get_asset_identifier())!r} at {path}. "
                "Materialize the upstream asset (or partition) first."
            ) from None


def _by_partition(context: OutputContext, obj: Any, keys: list[str]) -> dict[str, Any]:
    if not isinstance(obj, dict) or set(obj) != set(keys):
        got = sorted(obj)[:5] if isinstance(obj, dict) else type(obj).__name__
        raise ExecutionError(
            f"Asset {context.get_asset_identifier()} stores {len(keys)} partitions in one run "
            f"({keys[0]} ... {keys[-1]}): return a dict with one value per partition key; got "
            f"{got}."
        )
    return obj


def _upath_class() -> type[UPath]:
    try:
        import upath
    except ImportError as exc:
        raise HeadwaterError(
            "UPathIOManager needs universal_pathlib: pip install 'headwater[upath]'."
        ) from exc
    return upath.UPath
