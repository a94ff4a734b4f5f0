"""The web UI in headless chromium: lineage first paint, catalog first row, tab peak memory.

A real ``headwater webserver`` (real code server, SQLite instance) serves a generated code
location of N assets in 20 groups, each depending on 1-3 earlier assets. Debian's chromium
(``/usr/bin/chromium``, headless, driven by Playwright) opens a fresh browser context per
measurement (nothing cached) and times, from navigation start:

- lineage first paint with groups collapsed (1,000 and 10,000 assets): the page's root says
  ``data-ready="true"`` (the API answered, the worker laid the graph out, React Flow drew it)
  and a node is in the DOM; budgets 1 s / 2 s;
- lineage with every group expanded (``/lineage?expand=all``; 5,000 and 10,000 assets): the
  same, then every asset node is reachable (the laid-out graph holds N asset nodes);
  budgets 2 s / 3 s;
- catalog first row (``/catalog``): the first ``[data-asset-key]`` row; budget 0.5 s;
- tab peak memory on the expanded lineage at 10,000 assets, while zooming out and panning
  across it: the largest resident set (RSS) of chromium's renderer processes, sampled every
  20 ms; budget 300 MiB.

Each figure is the median of 3 (after one warm-up load of the page that fills the server's
per-snapshot caches). ``--sizes 1000,5000`` restricts the sizes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "ui"))

from ui_server import CHROMIUM, STATIC_INDEX, UiServer, launch_chromium

GROUPS = 20
RUNS = 3

MODULE = textwrap.dedent(
    """
    import random
    import headwater as hw

    def _build(n):
        rng = random.Random(13)
        out = []
        for i in range(n):
            deps = sorted({{f"asset_{{rng.randrange(max(0, i - 300), i)}}"
                           for _ in range(rng.randint(1, 3))}}) if i else []
            def fn() -> None:
                return None
            group = f"group_{{i % {groups}}}"
            out.append(hw.asset(name=f"asset_{{i}}", deps=deps, group_name=group,
                                kinds={{"python"}})(fn))
        return out

    defs = hw.Definitions(assets=_build({n}))
    """
)


def renderer_rss_mib() -> float:
    """The largest resident set of chromium's renderer processes, in MiB."""
    largest = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"--type=renderer" not in cmdline:
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    largest = max(largest, int(line.split()[1]))
        except OSError:
            continue
    return largest / 1024


def timed_load(browser: Any, url: str, ready: str) -> tuple[float, Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 850})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(ready, timeout=60_000)
    return time.perf_counter() - started, (context, page)


def median_load(browser: Any, url: str, ready: str, check: Any = None) -> float:
    times = []
    for attempt in range(RUNS + 1):
        elapsed, (context, page) = timed_load(browser, url, ready)
        if check is not None:
            check(page)
        context.close()
        if attempt:  # the first load warms the server's caches
            times.append(elapsed)
    return statistics.median(times)


LINEAGE_READY = '[data-page="lineage"][data-ready="true"] .react-flow__node'
CATALOG_READY = '[data-page="catalog"] .vrow[data-asset-key]'


def expanded_peak_memory(browser: Any, url: str) -> float:
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], renderer_rss_mib())
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        _elapsed, (context, page) = timed_load(browser, f"{url}/lineage?expand=all", LINEAGE_READY)
        box = page.locator(".react-flow__pane").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        for _ in range(6):  # zoom out step by step: more and more nodes come into view
            page.mouse.wheel(0, 300)
            page.wait_for_timeout(250)
        for dx in (-600, 600, 600):  # pan across
            page.mouse.down()
            page.mouse.move(x + dx, y, steps=8)
            page.mouse.up()
            page.wait_for_timeout(200)
        context.close()
    finally:
        stop.set()
        sampler.join()
    return peak[0]


def bench_size(browser: Any, n: int, workdir: Path) -> dict[str, float]:
    defs = workdir / f"assets_{n}.py"
    defs.write_text(MODULE.format(n=n, groups=GROUPS))
    home = workdir / f"home_{n}"
    home.mkdir()
    figures: dict[str, float] = {}
    with UiServer(defs, home=home) as server:

        def all_laid_out(page: Any) -> None:
            # every asset node exists in the laid-out graph (reachable by pan and zoom)
            count = page.evaluate("window.__headwaterLineage?.assetNodes ?? -1")
            assert count == n, f"{count} asset nodes laid out, expected {n}"

        if n in (1_000, 10_000):
            figures["collapsed"] = median_load(browser, f"{server.url}/lineage", LINEAGE_READY)
        if n in (5_000, 10_000):
            figures["expanded"] = median_load(
                browser, f"{server.url}/lineage?expand=all", LINEAGE_READY, all_laid_out
            )
        figures["catalog"] = median_load(browser, f"{server.url}/catalog", CATALOG_READY)
        if n == 10_000:
            figures["memory"] = expanded_peak_memory(browser, server.url)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    args = parser.parse_args()
    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")
    if not STATIC_INDEX.is_file():
        sys.exit("The UI is not built: run `make ui-build`.")
    from playwright.sync_api import sync_playwright

    budgets = {"collapsed": {1_000: 1.0, 10_000: 2.0}, "expanded": {5_000: 2.0, 10_000: 3.0}}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for n in (int(s) for s in args.sizes.split(",")):
                figures = bench_size(browser, n, Path(tmp))
                for what, value in figures.items():
                    if what == "memory":
                        print(
                            f"{n:>6} assets  tab peak memory, lineage expanded: {value:7.0f} MiB"
                            f"  (budget 300 MiB)"
                        )
                        continue
                    budget = budgets.get(what, {}).get(n, 0.5 if what == "catalog" else None)
                    label = {
                        "collapsed": "lineage first paint, groups collapsed",
                        "expanded": "lineage first paint, every group expanded",
                        "catalog": "catalog first row",
                    }[what]
                    shown = f"  (budget {budget} s)" if budget else ""
                    print(f"{n:>6} assets  {label}: {value:6.2f} s{shown}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
