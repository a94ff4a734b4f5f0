"""Every run records a content-addressed snapshot of its plan, enough to plan it again."""

from __future__ import annotations

import json

from headwater import AssetKey, Definitions, Instance, asset, define_asset_job, materialize
from headwater.execution.plan.run_snapshot import RunPlanSnapshot
from headwater.execution.run.in_process import plan_job_run


@asset
def raw() -> list[int]:
    return [1, 2, 3]


@asset
def total(raw: list[int]) -> int:
    return sum(raw)


def test_identical_runs_share_one_stored_snapshot(instance: Instance) -> None:
    first = materialize([raw, total], instance=instance, tags={"team": "data"})
    second = materialize([raw, total], instance=instance, tags={"team": "data"})
    runs = [instance.get_run_by_id(r.run_id) for r in (first, second)]
    assert runs[0] is not None and runs[1] is not None
    assert runs[0].plan_snapshot_id is not None
    assert runs[0].plan_snapshot_id == runs[1].plan_snapshot_id
    assert runs[0].job_origin is None  # a script's materialize() has no code location
    snapshot = instance.get_run_plan_snapshot(runs[0])
    assert snapshot is not None
    assert snapshot.tags["team"] == "data"
    assert snapshot.snapshot_id == runs[0].plan_snapshot_id


def test_snapshot_plans_the_same_steps_again(instance: Instance) -> None:
    defs = Definitions(assets=[raw, total], jobs=[define_asset_job("both", selection="*")])
    job = defs.get_job_def("both")
    job.execute_in_process(instance=instance)
    result = job.execute_in_process(instance=instance, asset_selection=[AssetKey("total")])
    run = instance.get_run_by_id(result.run_id)
    assert run is not None
    snapshot = instance.get_run_plan_snapshot(run.run_id)
    assert snapshot is not None
    assert snapshot.asset_selection == (AssetKey("total"),)
    again = RunPlanSnapshot.from_dict(json.loads(json.dumps(snapshot.to_dict())))
    replanned = plan_job_run(job, instance=instance, asset_selection=again.selection_argument())
    assert [s.key for s in replanned.plan.steps] == ["total"]
    assert replanned.asset_selection == run.asset_selection
