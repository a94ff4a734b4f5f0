"""Schedules, sensors and automation conditions: what makes runs happen by themselves.

Only the definitions and their direct evaluation live here (pure, no background process);
the daemon that ticks them belongs to ``headwater.daemon``.
"""
