"""The project layout of today's Dagster: ``@definitions`` functions and ``defs/`` folders."""
