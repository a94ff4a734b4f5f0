"""The daemon's sections of headwater.yaml: run_queue, run_monitoring, run_retries, daemon."""

from __future__ import annotations

from pathlib import Path

import pytest

from headwater import Instance, InvalidConfigError
from headwater.instance.daemon_settings import TagConcurrencyLimit


def _instance(tmp_path: Path, yaml: str) -> Instance:
    (tmp_path / "headwater.yaml").write_text(yaml, encoding="utf-8")
    return Instance.from_path(tmp_path)


def _errors(tmp_path: Path, yaml: str) -> dict[str, str]:
    with pytest.raises(InvalidConfigError) as caught:
        _instance(tmp_path, yaml)
    return dict(caught.value.errors)


def test_without_a_file_every_section_has_its_defaults(tmp_path: Path) -> None:
    with Instance.from_path(tmp_path) as instance:
        config = instance.config
    assert config.run_queue.max_concurrent_runs == 10
    assert config.run_queue.tag_concurrency_limits == ()
    assert config.run_monitoring.enabled is True
    assert config.run_monitoring.start_timeout_seconds == 180.0
    assert config.run_monitoring.poll_interval == 5.0
    assert config.run_retries.enabled is False
    assert config.daemon.heartbeat_tolerance_seconds == 60.0


def test_every_key_is_read(tmp_path: Path) -> None:
    yaml = """
run_queue:
  max_concurrent_runs: 2
  dequeue_interval_seconds: 1
  tag_concurrency_limits:
    - {key: team, limit: 3}
    - {key: team, value: data, limit: 1}
    - {key: customer, value: {applyLimitPerUniqueValue: true}, limit: 1}
run_monitoring:
  start_timeout_seconds: 5
  heartbeat_interval_seconds: 1
  max_runtime_seconds: 60
run_retries: {enabled: true, max_retries: 2, retry_on_asset_or_op_failure: false}
daemon: {heartbeat_interval_seconds: 1, heartbeat_tolerance_seconds: 3}
"""
    with _instance(tmp_path, yaml) as instance:
        config = instance.config
    assert config.run_queue.max_concurrent_runs == 2
    assert config.run_queue.dequeue_interval_seconds == 1.0
    assert config.run_queue.tag_concurrency_limits == (
        TagConcurrencyLimit(key="team", limit=3),
        TagConcurrencyLimit(key="team", value="data", limit=1),
        TagConcurrencyLimit(key="customer", per_unique_value=True, limit=1),
    )
    assert config.run_monitoring.poll_interval == 0.5  # half the worker heartbeat interval
    assert config.run_monitoring.max_runtime_seconds == 60.0
    assert (config.run_retries.enabled, config.run_retries.max_retries) == (True, 2)
    assert config.run_retries.retry_on_asset_or_op_failure is False
    assert config.daemon.heartbeat_tolerance_seconds == 3.0


def test_bad_keys_and_values_are_named_by_their_path(tmp_path: Path) -> None:
    yaml = """
run_queue:
  max_concurrent_runs: many
  tag_concurrency_limits:
    - {key: team, value: 3, limit: 1}
    - {key: team, limit: -1, colour: red}
  dequeue_every: 2
run_retries: {enabled: yes please}
daemon: {heartbeat_interval_seconds: 5, heartbeat_tolerance_seconds: 2}
"""
    errors = _errors(tmp_path, yaml)
    assert errors == {
        "run_queue.max_concurrent_runs": "expected an integer >= -1, got 'many' (str)",
        "run_queue.dequeue_every": (
            "unknown key; expected one of "
            "['dequeue_interval_seconds', 'max_concurrent_runs', 'tag_concurrency_limits']"
        ),
        "run_queue.tag_concurrency_limits[0].value": (
            "expected a string or {applyLimitPerUniqueValue: true}, got 3 (int)"
        ),
        "run_queue.tag_concurrency_limits[1].colour": (
            "unknown key; expected one of ['key', 'limit', 'value']"
        ),
        "run_queue.tag_concurrency_limits[1].limit": "expected an integer >= 0, got -1 (int)",
        "run_retries.enabled": "expected true or false, got 'yes please' (str)",
        "daemon.heartbeat_tolerance_seconds": (
            "expected more than heartbeat_interval_seconds (5.0), got 2.0"
        ),
    }


def test_a_section_that_is_not_a_mapping_is_an_error(tmp_path: Path) -> None:
    assert _errors(tmp_path, "run_monitoring: 3\n") == {
        "run_monitoring": "expected a mapping, got 3 (int)"
    }
