"""A generated dbt project for the dbt benchmarks: layers of one-row views, 1-3 refs each.

``generate(root, layers=20, per_layer=100)`` writes a dbt-duckdb project of
``layers * per_layer`` models: layer 0 selects a constant, every model of a later layer reads
1 to 3 models of the layer before it (chosen with a fixed seed, so every run writes the same
project). Each layer has a ``schema.yml`` with a description and the typed column of each of
its models. The DuckDB database is ``<root>/bench.duckdb``.

Run it to write a project: ``python benchmarks/_dbt_project.py DIR [--layers 20 --per-layer
100]``.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DBT_PROJECT = """\
name: bench
version: "1.0.0"
config-version: 2
profile: bench
models:
  bench:
    +materialized: view
"""

PROFILES = """\
bench:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{database}"
      schema: main
      threads: {threads}
"""


def model_name(layer: int, index: int) -> str:
    """``m_LL_III``: the model's layer and its index in the layer."""
    return f"m_{layer:02d}_{index:03d}"


def generate(root: Path, *, layers: int = 20, per_layer: int = 100, threads: int = 4) -> Path:
    """Write the project under ``root`` (created); return ``root``."""
    rng = random.Random(7)
    root.mkdir(parents=True, exist_ok=True)
    (root / "dbt_project.yml").write_text(DBT_PROJECT)
    database = (root / "bench.duckdb").absolute()
    (root / "profiles.yml").write_text(PROFILES.format(database=database, threads=threads))
    for layer in range(layers):
        folder = root / "models" / f"layer_{layer:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        schema = ["version: 2", "", "models:"]
        for index in range(per_layer):
            name = model_name(layer, index)
            if layer == 0:
                sql = f"select {index} as id\n"
            else:
                parents = sorted(rng.sample(range(per_layer), rng.randint(1, 3)))
                refs = [f"{{{{ ref('{model_name(layer - 1, p)}') }}}}" for p in parents]
                sql = "select max(id) + 1 as id from (\n" + "\n    union all\n".join(
                    f"    select id from {ref}" for ref in refs
                ) + "\n)\n"
            (folder / f"{name}.sql").write_text(sql)
            schema += [
                f"  - name: {name}",
                f"    description: Model {index} of layer {layer}.",
                "    columns:",
                "      - name: id",
                "        data_type: integer",
            ]
        (folder / "schema.yml").write_text("\n".join(schema) + "\n")
    return root


def parse(root: Path) -> Path:
    """``dbt parse`` the project; return its manifest's path."""
    from headwater.integrations.dbt import DbtProject

    project = DbtProject(root)
    project.prepare()
    return project.manifest_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--layers", type=int, default=20)
    parser.add_argument("--per-layer", type=int, default=100)
    parser.add_argument("--parse", action="store_true", help="also run dbt parse")
    args = parser.parse_args()
    root = generate(args.directory, layers=args.layers, per_layer=args.per_layer)
    print(f"wrote {args.layers * args.per_layer} models to {root}")
    if args.parse:
        print(f"manifest: {parse(root)}")


if __name__ == "__main__":
    main()
