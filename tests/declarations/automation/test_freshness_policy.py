"""FreshnessPolicy: construction, validation, and where assets carry it."""

from __future__ import annotations

from datetime import timedelta

import pytest

import headwater as hw
from headwater.declarations.automation.freshness_policy import FreshnessPolicy
from headwater.errors import DefinitionError
from headwater.orchestration.definitions_snapshot import snapshot_definitions


def test_time_window_and_cron_policies_round_trip_as_data() -> None:
    window = FreshnessPolicy.time_window(timedelta(hours=2), warn_window=timedelta(hours=1))
    cron = FreshnessPolicy.cron("0 9 * * *", timedelta(hours=3), timezone="Europe/Paris")
    for policy in (window, cron):
        assert FreshnessPolicy.from_dict(policy.to_dict()) == policy
    assert cron.describe() == (
        "materialized within 3:00:00 before each '0 9 * * *' deadline (Europe/Paris)"
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: FreshnessPolicy.time_window(3600), "must be a datetime.timedelta"),
        (lambda: FreshnessPolicy.time_window(timedelta(seconds=10)), "at least one minute"),
        (
            lambda: FreshnessPolicy.time_window(timedelta(hours=1), timedelta(hours=2)),
            "warn_window .* must be shorter than fail_window",
        ),
        (lambda: FreshnessPolicy.cron("every day", timedelta(hours=1)), "cron"),
        (lambda: FreshnessPolicy.cron("0 9 * * *", timedelta(hours=1), "Mars/Base"), "Mars"),
    ],
)
def test_bad_policies_are_definition_errors_saying_what_to_change(build, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DefinitionError, match=message):
        build()


def test_asset_spec_and_multi_asset_specs_carry_the_policy_into_the_snapshot() -> None:
    policy = hw.FreshnessPolicy.time_window(fail_window=timedelta(hours=2))

    @hw.asset(freshness_policy=policy)
    def report() -> int:
        return 1

    @hw.multi_asset(specs=[hw.AssetSpec("a", freshness_policy=policy), hw.AssetSpec("b")])
    def both() -> None:
        return None

    assert report.specs[0].freshness_policy is policy
    assert hw.AssetSpec("x").replace_attributes(freshness_policy=policy).freshness_policy == policy
    snapshot = snapshot_definitions(hw.Definitions(assets=[report, both]), location_name="loc")
    by_key = {a.key.to_user_string(): a.freshness_policy for a in snapshot.assets}
    assert by_key == {"report": policy.to_dict(), "a": policy.to_dict(), "b": None}


def test_a_freshness_policy_of_the_wrong_type_is_refused_naming_the_asset() -> None:
    with pytest.raises(DefinitionError, match="AssetSpec 'x': freshness_policy must be"):
        hw.AssetSpec("x", freshness_policy=timedelta(hours=1))


def test_the_compat_module_exports_it() -> None:
    import headwater.compat.dagster as dg

    assert dg.FreshnessPolicy is FreshnessPolicy
