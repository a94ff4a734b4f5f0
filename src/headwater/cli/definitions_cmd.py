"""``headwater definitions``: inspect and validate a code location."""

from __future__ import annotations

import click

from headwater.cli.options import LocationArgs, code_location_options, make_console


@click.group()
def definitions() -> None:
    """Inspect the Definitions of a code location."""


@definitions.command()
@code_location_options
def validate(location: LocationArgs) -> None:
    """Load the code location and validate its Definitions.

    Exits 0 when they are valid, 2 with the error otherwise.
    """
    import time

    started = time.perf_counter()
    defs = location.load()
    elapsed = time.perf_counter() - started
    graph = defs.resolve_asset_graph()
    materializable = len(graph.materializable_keys)
    external = len(graph.all_keys) - materializable
    counts = [
        ("assets", materializable),
        ("external assets", external),
        ("jobs", len(defs.job_names)),
        ("resources", len(defs.resources)),
        ("schedules", len(defs.schedules)),
        ("sensors", len(defs.sensors)),
    ]
    console = make_console()
    console.print(f"[green]✓[/] Definitions are valid (loaded in {elapsed * 1000:.0f}ms).")
    for name, count in counts:
        console.print(f"  {count:>6}  {name}")
