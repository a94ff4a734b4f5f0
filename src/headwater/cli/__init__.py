"""The ``headwater`` command line (click + rich); the entry point is ``headwater.cli.main:main``."""
