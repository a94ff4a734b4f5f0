"""flights: a headwater project on the nycflights13 data set (every flight out of New York City
in 2013), stored in DuckDB.

The assets live in :mod:`flights.assets` (groups ``raw``, ``core``, ``analytics``,
``reporting``); :mod:`flights.definitions` binds them to resources as ``defs``.
"""
