"""The report: a markdown file with the headline figures and the analytics tables."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pandas as pd

from flights.markdown import markdown_table
from flights.resources import DUCKDB_POOL
from headwater import (
    AssetExecutionContext,
    AutomationCondition,
    Config,
    FreshnessPolicy,
    MaterializeResult,
    MetadataValue,
    asset,
)

REPORT_FILE = "flights_report.md"
DELAY_THRESHOLD_MINUTES = 15
"""A flight is late when it arrives more than this many minutes late (the usual threshold; the
dbt models' ``share_late`` macro uses the same)."""
MIN_FLIGHTS_PER_CARRIER_MONTH = 100  # smaller samples make noisy "worst month" rankings
WORST_MONTH_COLUMNS = [
    "carrier_name", "month", "flights", "mean_arr_delay", "median_arr_delay", "share_delayed_15",
]  # fmt: skip
ROUTE_COLUMNS = [
    "rank", "origin", "dest", "dest_name", "flights", "mean_arr_delay", "on_time_share",
    "distance",
]  # fmt: skip
PERCENT_COLUMNS = {
    "share_delayed_15": "% arrived > 15 min late",
    "share_dep_delayed_15": "% departed > 15 min late",
    "on_time_share": "% on time",
}
REPORT_FRESHNESS = FreshnessPolicy.time_window(
    fail_window=timedelta(hours=48), warn_window=timedelta(hours=24)
)
"""The report is daily: WARN once it is a day old, FAIL at two days."""


class ReportConfig(Config):
    """Where the report is written.

    Attributes:
        output_dir: directory of ``flights_report.md``; default ``$HEADWATER_HOME/reports``,
            or ``./reports`` when ``HEADWATER_HOME`` is not set.
    """

    output_dir: str | None = None

    def directory(self) -> Path:
        """The directory the report goes to."""
        if self.output_dir:
            return Path(self.output_dir)
        return Path(os.environ.get("HEADWATER_HOME") or Path.cwd()) / "reports"


def delayed(delay: pd.Series) -> pd.Series:
    """1.0 where ``delay`` exceeds the threshold, 0.0 where not, NaN where unknown."""
    return delay.gt(DELAY_THRESHOLD_MINUTES).astype("float64").where(delay.notna())


def headline_figures(
    flights_daily: pd.DataFrame, route_performance: pd.DataFrame
) -> dict[str, str]:
    """The report's headline figures, formatted, by label."""
    by_carrier = (
        flights_daily.groupby(["carrier", "carrier_name"])["arr_delay"].mean().sort_values()
    )
    (worst_code, worst_name), worst_delay = by_carrier.index[-1], by_carrier.iloc[-1]
    busiest = route_performance.sort_values("rank").iloc[0]
    late = delayed(flights_daily["arr_delay"]).mean()
    return {
        "Flights operated (not cancelled)": f"{len(flights_daily):,}",
        "Mean arrival delay": f"{flights_daily['arr_delay'].mean():.1f} min",
        f"Arrived more than {DELAY_THRESHOLD_MINUTES} min late": f"{late:.1%}",
        "Most delayed carrier (mean arrival delay)": f"{worst_name} ({worst_code}), "
        f"{worst_delay:.1f} min",
        "Busiest route": f"{busiest['origin']} -> {busiest['dest']}, "
        f"{busiest['flights']:,} flights",
    }


def render_report(
    headlines: dict[str, str],
    delays_by_carrier_month: pd.DataFrame,
    route_performance: pd.DataFrame,
    aircraft_age_vs_delay: pd.DataFrame,
    weather_impact: pd.DataFrame,
) -> str:
    """The report as markdown."""
    enough = delays_by_carrier_month["flights"] >= MIN_FLIGHTS_PER_CARRIER_MONTH
    worst_months = delays_by_carrier_month.loc[enough].nlargest(10, "mean_arr_delay")
    sections = [
        "# New York City flights, 2013",
        "\n".join(f"- **{label}:** {value}" for label, value in headlines.items()),
        f"## Worst carrier-months by mean arrival delay (minutes; at least "
        f"{MIN_FLIGHTS_PER_CARRIER_MONTH} flights)",
        _table(worst_months[WORST_MONTH_COLUMNS]),
        "## Busiest routes",
        _table(route_performance.sort_values("rank")[ROUTE_COLUMNS].head(10)),
        "## Aircraft age (years) and delay (minutes)",
        _table(aircraft_age_vs_delay),
        "## Weather at the origin and departure delay (minutes)",
        _table(weather_impact),
    ]
    return "\n\n".join(sections) + "\n"


def _table(frame: pd.DataFrame) -> str:
    """A markdown table with shares shown as percentages."""
    shown = frame.copy()
    for column, title in PERCENT_COLUMNS.items():
        if column in shown.columns:
            shown[column] = shown[column] * 100
            shown = shown.rename(columns={column: title})
    return markdown_table(shown, digits=1)


@asset(
    group_name="reporting",
    kinds={"markdown", "pandas"},
    owners=["team:analytics"],
    code_version="1",
    automation_condition=AutomationCondition.eager(),
    freshness_policy=REPORT_FRESHNESS,
    pool=DUCKDB_POOL,
)
def flights_report(
    context: AssetExecutionContext,
    config: ReportConfig,
    flights_daily: pd.DataFrame,
    delays_by_carrier_month: pd.DataFrame,
    route_performance: pd.DataFrame,
    aircraft_age_vs_delay: pd.DataFrame,
    weather_impact: pd.DataFrame,
) -> MaterializeResult:
    """A markdown report of the year's delays, written to ``<output_dir>/flights_report.md``."""
    headlines = headline_figures(flights_daily, route_performance)
    tables = (delays_by_carrier_month, route_performance, aircraft_age_vs_delay, weather_impact)
    text = render_report(headlines, *tables)
    directory = config.directory()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / REPORT_FILE
    partial = path.with_name(f".{REPORT_FILE}.{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)  # readers never see a half-written report
    context.log.info("Wrote the report to %s", path)
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(path),
            "report": MetadataValue.md(text),
            "flights": len(flights_daily),
            "mean_arr_delay": float(flights_daily["arr_delay"].mean()),
        }
    )
