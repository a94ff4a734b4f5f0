"""Object-store IO: ``UPathIOManager`` stores values under any fsspec URL.

Needs the ``upath`` extra (``pip install 'headwater[upath]'``: universal_pathlib, fsspec), and
the filesystem's own package for remote URLs (s3fs for ``s3://``). Importing this package does
not import them; they load when a value is stored or loaded. ``UPathIOManager`` is also
importable from ``headwater`` itself.

Example:
    >>> from headwater import Definitions
    >>> from headwater.integrations.upath import UPathIOManager
    >>> defs = Definitions(resources={"io_manager": UPathIOManager(
    ...     base_path="s3://bucket/headwater", storage_options={"anon": False})})
"""

from __future__ import annotations

from headwater.integrations.upath.io_manager import UPathIOManager as UPathIOManager

__all__ = ["UPathIOManager"]
