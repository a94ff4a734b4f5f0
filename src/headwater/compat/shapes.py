"""The switch for Dagster-shaped records: on while the ``dagster`` import hook is installed.

Code that imports ``dagster`` (under ``headwater compat run``, or after
:func:`headwater.compat.importer.install`) reads some records the way Dagster shapes them:
system tags under Dagster's names (:mod:`headwater.compat.dagster_tags`) and recorded errors
as Dagster reports them (:mod:`headwater.compat.dagster_errors`). headwater's own code never
depends on those shapes, and while the switch is off (the default, and after
:func:`headwater.compat.importer.uninstall`) every record reads exactly as headwater stores
it. The views are installed on first activation and check the switch when read.

Example:
    >>> from headwater.compat import shapes
    >>> shapes.activate()
    >>> shapes.ACTIVE
    True
    >>> shapes.deactivate()
    >>> shapes.ACTIVE
    False
"""

from __future__ import annotations

ACTIVE = False


def activate() -> None:
    """Turn the Dagster-shaped views on (installing them the first time)."""
    global ACTIVE
    from headwater.compat import dagster_errors, dagster_tags

    dagster_tags.install()
    dagster_errors.install()
    ACTIVE = True


def deactivate() -> None:
    """Turn them off: records read as headwater stores them."""
    global ACTIVE
    ACTIVE = False
