"""Makes the ``flights`` package importable in tests run from the repository root."""
