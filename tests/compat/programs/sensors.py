"""Sensors (definition side): @sensor, SkipReason, SensorResult, cursors, build_sensor_context."""

import dagster as dg
from _transcript import case, check


@dg.asset
def watched() -> int:
    return 1


watch_job = dg.define_asset_job("watch_job", selection=[watched])


SENSORS = {}


@case("define")
def _():
    @dg.sensor(job=watch_job, minimum_interval_seconds=60)
    def file_sensor(context: dg.SensorEvaluationContext):
        last = int(context.cursor) if context.cursor else 0
        if last >= 2:
            return dg.SkipReason("nothing new")
        new = [last + 1, last + 2]
        return dg.SensorResult(
            run_requests=[dg.RunRequest(run_key=f"file-{n}") for n in new],
            cursor=str(new[-1]),
        )


    @dg.sensor(job=watch_job)
    def yielding_sensor(context):
        yield dg.RunRequest(run_key="a")
        yield dg.RunRequest(run_key="b")

    SENSORS["file_sensor"] = file_sensor
    SENSORS["yielding_sensor"] = yielding_sensor


@case("definition")
def _():
    file_sensor = SENSORS["file_sensor"]
    check("is_sensor_def", isinstance(file_sensor, dg.SensorDefinition))
    check("name", file_sensor.name)
    check("interval", file_sensor.minimum_interval_seconds)
    check("default_status", file_sensor.default_status)
    check("job_name", file_sensor.job_name)


@case("evaluate_with_cursor")
def _():
    ctx = dg.build_sensor_context()
    result = SENSORS['file_sensor'](ctx)
    check("is_sensor_result", isinstance(result, dg.SensorResult))
    check("run_keys", [r.run_key for r in result.run_requests])
    check("cursor", result.cursor)
    again = SENSORS['file_sensor'](dg.build_sensor_context(cursor="2"))
    check("skip", isinstance(again, dg.SkipReason))
    check("skip_message", again.skip_message)


@case("yielding")
def _():
    result = SENSORS['yielding_sensor'](dg.build_sensor_context())
    check("run_keys", [r.run_key for r in result])


@case("sensor_with_status")
def _():
    @dg.sensor(job_name="watch_job", default_status=dg.DefaultSensorStatus.RUNNING, description="desc")
    def running(context):
        return dg.SkipReason("idle")

    check("default_status", running.default_status)
    check("description", running.description)


@case("sensor_with_resources")
def _():
    class Source(dg.ConfigurableResource):
        items: list[str]

    @dg.sensor(job=watch_job)
    def uses_resource(context, source: Source):
        return [dg.RunRequest(run_key=i) for i in source.items]

    result = uses_resource(dg.build_sensor_context(resources={"source": Source(items=["x", "y"])}))
    check("run_keys", [r.run_key for r in result])


@case("asset_sensor")
def _():
    @dg.asset_sensor(asset_key=dg.AssetKey("watched"), job=watch_job)
    def on_watched(context, asset_event):
        return dg.RunRequest(run_key=str(asset_event.dagster_event.asset_key.to_user_string()))

    check("name", on_watched.name)
    check("is_asset_sensor", isinstance(on_watched, dg.AssetSensorDefinition))


@case("definitions_with_sensor")
def _():
    defs = dg.Definitions(assets=[watched], jobs=[watch_job], sensors=[SENSORS["file_sensor"]])
    check("found", defs.get_sensor_def("file_sensor").name)


@case("dynamic_partitions_request")
def _():
    fruits = dg.DynamicPartitionsDefinition(name="fruits")

    @dg.sensor(job=watch_job)
    def adds(context):
        return dg.SensorResult(dynamic_partitions_requests=[fruits.build_add_request(["apple"])])

    result = adds(dg.build_sensor_context())
    req = result.dynamic_partitions_requests[0]
    check("partition_keys", list(req.partition_keys))
    check("def_name", req.partitions_def_name)
