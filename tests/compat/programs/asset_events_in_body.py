"""Events logged from an asset body: log_event with AssetObservation, AssetMaterialization for another key."""

import dagster as dg
from _transcript import case, check


@case("log_observation")
def _():
    @dg.asset
    def observer(context: dg.AssetExecutionContext) -> int:
        context.log_event(dg.AssetObservation(asset_key="observer", metadata={"seen": 1}))
        return 1

    result = dg.materialize([observer])
    obs = [e for e in result.all_events if e.event_type_value == "ASSET_OBSERVATION"]
    check("observations", len(obs))
    check("observation_key", obs[0].asset_key.to_user_string() if obs else None)


@case("yield_observation_from_op")
def _():
    @dg.op
    def looks():
        yield dg.AssetObservation(asset_key=["ext", "table"], metadata={"rows": 5})
        yield dg.Output(1)

    @dg.job
    def j():
        looks()

    result = j.execute_in_process()
    obs = [e for e in result.all_events if e.event_type_value == "ASSET_OBSERVATION"]
    check("count", len(obs))
    check("key", obs[0].asset_key.to_user_string())


@case("instance_sees_observation")
def _():
    @dg.op
    def looks2():
        yield dg.AssetObservation(asset_key="seen_table")
        yield dg.Output(1)

    @dg.job
    def j():
        looks2()

    with dg.instance_for_test() as inst:
        j.execute_in_process(instance=inst)
        recs = inst.fetch_observations(dg.AssetKey("seen_table"), limit=3).records
        check("records", len(recs))


@case("log_messages")
def _():
    @dg.asset
    def chatty(context) -> int:
        context.log.debug("d")
        context.log.info("i")
        context.log.warning("w")
        context.log.error("e")
        return 1

    with dg.instance_for_test() as inst:
        result = dg.materialize([chatty], instance=inst)
        msgs = [e.user_message for e in inst.all_logs(result.run_id) if e.user_message in ("d", "i", "w", "e")]
        check("messages", msgs)
        levels = [e.level for e in inst.all_logs(result.run_id) if e.user_message in ("d", "i", "w", "e")]
        check("levels", levels)
