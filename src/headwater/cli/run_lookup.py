"""Finding a stored run from the id (or unique id prefix) given on the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.instance.instance import Instance
    from headwater.storage.records import RunRecord


def find_run(instance: Instance, run_id: str) -> RunRecord:
    """The run whose id is ``run_id`` or, failing that, the one run whose id starts with it.

    Raises:
        RunNotFoundError: no run matches, or the prefix matches several runs (the message
            lists up to five of them).
    """
    from headwater.errors import RunNotFoundError
    from headwater.storage.records import RunsFilter

    found = instance.get_run_records(RunsFilter(run_ids=[run_id]), limit=1)
    if found:
        return found[0]
    matches = [rid for rid in instance.get_run_ids() if rid.startswith(run_id)]
    if len(matches) > 1:
        shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
        raise RunNotFoundError(
            f"Run id prefix {run_id!r} is ambiguous: it matches {len(matches)} runs ({shown}). "
            "Give more characters."
        )
    if not matches:
        raise RunNotFoundError(
            f"No run with id {run_id!r} in this instance. List runs with `headwater run list` "
            "(is HEADWATER_HOME the instance you meant?)."
        )
    return instance.get_run_records(RunsFilter(run_ids=matches), limit=1)[0]
