"""Write the schema's SDL to ``schema.graphql`` (for graphql-codegen in ``ui/``).

python -m headwater.webserver.graphql.export          # write it
python -m headwater.webserver.graphql.export --check  # exit 1 when it is stale
"""

import sys
from pathlib import Path

from headwater.webserver.graphql.schema import build_schema

SCHEMA_FILE = Path(__file__).with_name("schema.graphql")


def schema_sdl() -> str:
    """The SDL of the full (read-write) schema, ending with a newline."""
    return str(build_schema(read_only=False)).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    """Write (or with ``--check``, compare) :data:`SCHEMA_FILE`; the exit status."""
    text = schema_sdl()
    if "--check" in argv:
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if current != text:
            sys.stderr.write(f"{SCHEMA_FILE} is stale: run python -m "
                             "headwater.webserver.graphql.export\n")  # fmt: skip
            return 1
        return 0
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
