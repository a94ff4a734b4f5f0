"""``headwater dev`` hot reload: from saving an edited ``defs.py`` to the API listing the new
asset. Budget: a median <= 2 s.

A real ``headwater dev -f defs.py`` (webserver, daemon and code server; fresh SQLite instance in
a temporary directory) serves the webserver tests' small project. Each of ``EDITS`` edits adds
one asset to ``defs.py``; the time runs from the write to the first answer of
``{ assetKeys { userString } }`` (polled every 20 ms) that lists it: the change noticed by the
file watcher, the code server restarted and loaded, its snapshot fetched and indexed. The
median and the spread are printed.

Run: ``python benchmarks/bench_dev_reload.py [EDITS]`` (default 7).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "webserver"))

from server_helpers import DEFS, Server, free_port

BUDGET_S = 2.0
EDITS = 7


def _keys(server: Server) -> list[str]:
    return [k["userString"] for k in server.data("{ assetKeys { userString } }")["assetKeys"]]


def _reload_seconds(server: Server, defs: Path, i: int) -> float:
    source = DEFS.replace(
        "defs = Definitions(assets=[orders, report, daily]",
        f"@asset\ndef extra_{i}() -> int:\n    return {i}\n\n"
        f"defs = Definitions(assets=[orders, report, daily, extra_{i}]",
    )
    started = time.monotonic()
    defs.write_text(source)
    while f"extra_{i}" not in _keys(server):
        if time.monotonic() - started > 120:
            raise TimeoutError(f"edit {i} was not picked up in 120 s: {server.log.read_text()}")
        time.sleep(0.02)
    return time.monotonic() - started


def main(edits: int = EDITS) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        defs = root / "defs.py"
        defs.write_text(DEFS)
        port = free_port()
        with Server(["dev", "-f", "defs.py", "--port", str(port)], home=root / "home",
                    cwd=root, port=port) as server:  # fmt: skip
            server.wait_ready()
            time.sleep(2.0)  # the daemon and the watcher settled
            times = []
            for i in range(edits):
                times.append(_reload_seconds(server, defs, i))
                time.sleep(1.0)
    median = statistics.median(times)
    verdict = "within" if median <= BUDGET_S else "OVER"
    print(
        f"dev hot reload over {edits} edits: median {median:.2f} s (min {min(times):.2f} s, "
        f"max {max(times):.2f} s), {verdict} the {BUDGET_S:.0f} s budget"
    )
    print("  each: " + ", ".join(f"{t:.2f}" for t in times))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else EDITS)
