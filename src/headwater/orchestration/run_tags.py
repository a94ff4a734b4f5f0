"""Run tags that steer the daemon (priority, retries, maximum runtime) or that it sets.

Each is read under its ``headwater/`` name first, then under Dagster's ``dagster/`` name, so
runs created by code ported from Dagster (``tags={"dagster/priority": "5"}``) behave the same.

======================================== ===================================================
tag                                      meaning
======================================== ===================================================
``headwater/priority``                   integer; higher runs are dequeued first (default 0)
``headwater/max_retries``                integer; overrides ``run_retries.max_retries``
``headwater/retry_on_asset_or_op_failure`` ``true``/``false``; overrides the setting
``headwater/max_runtime``                seconds; a run STARTED longer is terminated
``headwater/retry_number``               set on retries: 1 for the first retry of a run
``headwater/schedule_name``              set on runs a schedule launched
``headwater/sensor_name``                set on runs a sensor launched
``headwater/run_key``                    the run key a schedule's or sensor's run was
                                         launched for (at most one run per key)
``headwater/scheduled_execution_time``   a schedule's run: the tick it was launched for
======================================== ===================================================
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

logger = logging.getLogger("headwater.daemon")

PRIORITY_TAG = "headwater/priority"
MAX_RETRIES_TAG = "headwater/max_retries"
RETRY_ON_ASSET_OR_OP_FAILURE_TAG = "headwater/retry_on_asset_or_op_failure"
MAX_RUNTIME_TAG = "headwater/max_runtime"
RETRY_NUMBER_TAG = "headwater/retry_number"
# the tags declarations.automation.ticks puts on run requests (not imported: it is heavier)
SCHEDULE_NAME_TAG = "headwater/schedule_name"
SENSOR_NAME_TAG = "headwater/sensor_name"
RUN_KEY_TAG = "headwater/run_key"
SCHEDULED_EXECUTION_TIME_TAG = "headwater/scheduled_execution_time"

_DAGSTER_PREFIX = "dagster/"


def tag_value(tags: Mapping[str, str], name: str) -> str | None:
    """The value of ``headwater/NAME`` in ``tags``, else of ``dagster/NAME``, else ``None``.

    Example:
        >>> tag_value({"dagster/priority": "3"}, PRIORITY_TAG)
        '3'
    """
    value = tags.get(name)
    if value is None:
        value = tags.get(_DAGSTER_PREFIX + name.partition("/")[2])
    return value


def int_tag(tags: Mapping[str, str], name: str, default: int | None) -> int | None:
    """An integer tag; a value that is not an integer is ignored (logged) for ``default``."""
    value = tag_value(tags, name)
    if value is None:
        return default
    try:
        return int(str(value).strip())
    except ValueError:
        logger.warning("Ignoring run tag %s=%r: expected an integer.", name, value)
        return default


def float_tag(tags: Mapping[str, str], name: str) -> float | None:
    """A positive number tag (seconds), or ``None`` when absent or not a positive number."""
    value = tag_value(tags, name)
    if value is None:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        number = -1.0
    if number <= 0:
        logger.warning("Ignoring run tag %s=%r: expected a number of seconds > 0.", name, value)
        return None
    return number


def bool_tag(tags: Mapping[str, str], name: str, default: bool) -> bool:
    """A ``true``/``false`` tag (case-insensitive); anything else gives ``default``."""
    value = tag_value(tags, name)
    if value is None:
        return default
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    logger.warning("Ignoring run tag %s=%r: expected true or false.", name, value)
    return default


def run_priority(tags: Mapping[str, str]) -> int:
    """The run's ``headwater/priority`` (``dagster/priority``), 0 by default.

    Example:
        >>> run_priority({"headwater/priority": "-2"}), run_priority({})
        (-2, 0)
    """
    return int_tag(tags, PRIORITY_TAG, 0) or 0
