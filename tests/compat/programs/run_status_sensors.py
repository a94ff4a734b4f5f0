"""Run status sensors (definition side): run_status_sensor, run_failure_sensor, asset jobs for sensors."""

import dagster as dg
from _transcript import case, check


@dg.asset
def watched2() -> int:
    return 1


job = dg.define_asset_job("job_for_sensor", selection=[watched2])


@case("run_status_sensor")
def _():
    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[job])
    def on_success(context):
        return None

    check("name", on_success.name)
    check("is_sensor", isinstance(on_success, dg.SensorDefinition))
    check("is_run_status_sensor", isinstance(on_success, dg.RunStatusSensorDefinition))


@case("run_failure_sensor")
def _():
    @dg.run_failure_sensor
    def on_failure(context):
        return None

    check("name", on_failure.name)
    check("is_sensor", isinstance(on_failure, dg.SensorDefinition))
    check("default_status", on_failure.default_status)


@case("in_definitions")
def _():
    @dg.run_failure_sensor(name="alerts")
    def alerts(context):
        return None

    defs = dg.Definitions(assets=[watched2], jobs=[job], sensors=[alerts])
    check("found", defs.get_sensor_def("alerts").name)
