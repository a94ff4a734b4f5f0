"""Create a PostgreSQL database if it does not exist (``make demo-postgres`` uses it).

    python scripts/ensure_postgres_database.py postgresql://postgres@127.0.0.1:5432/headwater_demo

Connects to the server's ``postgres`` database as the URL's user and runs ``CREATE DATABASE``
when the URL's database is missing. Exits 2 with one line when the server does not answer.
"""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql
from sqlalchemy import make_url


def main(url: str) -> int:
    parsed = make_url(url)
    name = parsed.database
    server = parsed.set(drivername="postgresql", database="postgres")
    try:
        with psycopg.connect(server.render_as_string(hide_password=False), autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if found is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(name))))
                print(f"Created database {name!r} on {parsed.host}:{parsed.port or 5432}.")
            else:
                print(f"Database {name!r} on {parsed.host}:{parsed.port or 5432} exists.")
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "failed"
        print(f"Cannot reach PostgreSQL at {parsed.host}:{parsed.port or 5432}: {first}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
