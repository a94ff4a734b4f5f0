"""Run and event log storage: abstract interface, SQL implementation, SQLite/PostgreSQL parts."""
