"""What a user declares: assets, checks, ops, jobs, config, resources, partitions, Definitions.

Pure, immutable data with no I/O (the ``definitions`` layer of DESIGN.md). The package is named
``declarations`` so that the public ``headwater.definitions`` stays Dagster's ``@definitions``
decorator.
"""
