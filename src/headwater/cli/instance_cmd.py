"""``headwater instance``: the instance itself (``info``, ``migrate``, ``vacuum``);
``instance concurrency`` sets pool limits."""

from __future__ import annotations

import json

import click

from headwater.cli.context import current_instance
from headwater.cli.instance_maintenance import info, migrate, vacuum
from headwater.cli.options import make_console


@click.group("instance")
def instance() -> None:
    """Inspect and configure the instance (--home / $HEADWATER_HOME)."""


instance.add_command(info)
instance.add_command(migrate)
instance.add_command(vacuum)


@instance.group("concurrency")
def concurrency() -> None:
    """Limit how many steps of a pool (@asset(pool=...), @op(pool=...)) run at once, across
    every run of the instance."""


@concurrency.command("set")
@click.argument("pool")
@click.argument("limit", type=click.IntRange(min=1))
def set_limit(pool: str, limit: int) -> None:
    """Let at most LIMIT steps of POOL execute at once."""
    current_instance().set_concurrency_limit(pool, limit)
    click.echo(f"Pool {pool!r}: at most {limit} step(s) at once.")


@concurrency.command("delete")
@click.argument("pool")
def delete_limit(pool: str) -> None:
    """Remove the limit of POOL (concurrency.pools.default_limit of headwater.yaml applies)."""
    removed = current_instance().delete_concurrency_limit(pool)
    click.echo(f"Pool {pool!r}: limit removed." if removed else f"Pool {pool!r} had no limit.")


@concurrency.command("get")
@click.argument("pool")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def get_limit(pool: str, as_json: bool) -> None:
    """Show the limit of POOL and the steps holding its slots."""
    inst = current_instance()
    limit = inst.get_concurrency_limit(pool)
    slots = inst.get_concurrency_slots(pool)
    if as_json:
        rows = [{"run_id": r, "step_key": s, "claimed": t} for _, r, s, t in slots]
        click.echo(json.dumps({"pool": pool, "limit": limit, "slots": rows}, indent=2))
        return
    shown = "unlimited" if limit is None else str(limit)
    click.echo(f"Pool {pool!r}: limit {shown}, {len(slots)} slot(s) taken.")
    for _, run_id, step_key, _claimed in slots:
        click.echo(f"  {run_id}  {step_key}")


@concurrency.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def list_limits(as_json: bool) -> None:
    """List every pool with a limit or a taken slot."""
    inst = current_instance()
    limits = inst.get_concurrency_limits()
    taken: dict[str, int] = {}
    for pool, *_ in inst.get_concurrency_slots():
        taken[pool] = taken.get(pool, 0) + 1
    default = inst.config.pool_default_limit
    rows = [
        {"pool": p, "limit": limits.get(p, default), "taken": taken.get(p, 0)}
        for p in sorted({*limits, *taken})
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    console = make_console()
    if not rows:
        console.print("No pool has a limit (set one with `headwater instance concurrency set`).")
    for row in rows:
        limit = "unlimited" if row["limit"] is None else row["limit"]
        console.print(f"{row['pool']}  limit {limit}  taken {row['taken']}", markup=False)
