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


def test_dagster_queued_run_coordinator_settings_are_read(tmp_path: Path) -> None:
    yaml = """
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 3
    dequeue_use_threads: true
    tag_concurrency_limits:
      - {key: database, value: redshift, limit: 1}
"""
    with _instance(tmp_path, yaml) as instance:
        queue = instance.config.run_queue
    assert queue.max_concurrent_runs == 3
    assert queue.tag_concurrency_limits == (
        TagConcurrencyLimit(key="database", value="redshift", limit=1),
    )


def test_dagster_concurrency_runs_settings_are_read_beside_pools(tmp_path: Path) -> None:
    yaml = """
concurrency:
  pools: {default_limit: 2}
  runs: {max_concurrent_runs: 5}
"""
    with _instance(tmp_path, yaml) as instance:
        assert instance.config.run_queue.max_concurrent_runs == 5


def test_the_run_queue_is_configured_once(tmp_path: Path) -> None:
    yaml = """
run_queue: {max_concurrent_runs: 2}
concurrency: {runs: {max_concurrent_runs: 5}}
"""
    assert _errors(tmp_path, yaml) == {
        "concurrency.runs": "the run queue is already configured by run_queue; keep one"
    }


def test_another_run_coordinator_is_an_error_naming_it(tmp_path: Path) -> None:
    yaml = """
run_coordinator:
  module: dagster.core.run_coordinator
  class: DefaultRunCoordinator
"""
    [(path, problem)] = _errors(tmp_path, yaml).items()
    assert path == "run_coordinator"
    assert "QueuedRunCoordinator" in problem and "'DefaultRunCoordinator'" in problem
    errors = _errors(
        tmp_path,
        """
run_coordinator:
  class: QueuedRunCoordinator
  config: {max_concurrent_runs: 1, max_user_code_failure_retries: 3}
""",
    )
    assert list(errors) == ["run_coordinator.config.max_user_code_failure_retries"]
