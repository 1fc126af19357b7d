"""What a dashboard page reads: one connection per page load, every query of the page, closed.

The embedded engine admits one process per database folder, and an open costs a few tenths of
a second: so a page load opens the target once, runs all of its page's queries, and closes,
and the app caches the result for a few minutes. `dbt build` is locked out only while a page
load runs (well under a second on the sample data), and a page load that finds the folder busy
says so.

Queries read analytics models only, plainly (no FINAL), with the dashboard's filters bound as
parameters: a date range and, per source, which raw databases (shops, Klaviyo accounts, GA4
properties) to include; headline queries also the periods the range is compared with. The
Today page alone also reads curated tables (which update on every insert).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ecom_analytics.dashboard.formats import NO_PERIODS, Periods
from ecom_analytics.target import project_vars, source_names

SOURCES = tuple(source_names())  # the var `sources`; Filters has one field per source
# `sum(orders) as orders, sum(x * orders)`: a column name means the column, as in standard SQL.
SETTINGS = {"prefer_column_name_to_alias": 1}
DEFAULT_DAYS = 30  # the date range a session starts with: the 30 days up to yesterday
# The var `week_start` as toStartOfWeek's mode: every weekly figure starts its weeks on that day.
WEEK_MODES = {"monday": 1, "sunday": 0}


@cache
def week_start() -> str:
    """The var `week_start` (monday, ISO weeks, by default; or sunday)."""
    value = str(project_vars().get("week_start", "monday")).lower()
    if value not in WEEK_MODES:
        raise ValueError(f"var week_start is {value!r}: monday or sunday")
    return value


class NotBuilt(Exception):
    """The target has no analytics layer (or not all the models a page reads)."""

    def __init__(self, where: str, missing: list[str]):
        self.where = where
        self.missing = missing
        super().__init__(f"{where} lacks {', '.join(missing)}")


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters. An empty source tuple means every database of that source."""

    start: date | None = None
    end: date | None = None
    shopify: tuple[str, ...] = ()
    klaviyo: tuple[str, ...] = ()
    ga4: tuple[str, ...] = ()
    ga4_export: tuple[str, ...] = ()
    today: date | None = None  # the reporting time zone's; set, a range reaching it is partial

    @property
    def periods(self) -> Periods | None:
        """The chosen range and what headline figures compare it with (None: no range)."""
        if self.start is None or self.end is None:
            return None
        return Periods.of(self.start, self.end, self.today or date(2149, 6, 6))

    def parameters(self) -> dict[str, Any]:
        periods = self.periods
        return {
            "start": self.start or date(1970, 1, 1),
            "end": self.end or date(2149, 6, 6),
            "today": self.today or date(2149, 6, 6),
            **{source: getattr(self, source) for source in SOURCES},
            **(periods.parameters() if periods else NO_PERIODS),
        }


def default_range(today: date, last: date | None = None) -> tuple[date, date]:
    """The 30 days up to yesterday, or up to the data's last day when it ends earlier."""
    end = today - timedelta(days=1)
    if last is not None and last < end:
        end = last
    return end - timedelta(days=DEFAULT_DAYS - 1), end


def page_filters(
    url_path: str, today: date, chosen: tuple[date, ...] = (), **sources: tuple[str, ...]
) -> Filters:
    """A page's filters: the Overview's are yesterday (how it went); any other page's the
    chosen date range (the default range when none is chosen yet), with the selected sources."""
    if url_path == "overview":
        yesterday = today - timedelta(days=1)
        return Filters(yesterday, yesterday, today=today, **sources)
    start, end = chosen if len(chosen) == 2 else default_range(today)
    return Filters(start, end, today=today, **sources)


FILTERED_SOURCES = tuple(field.name for field in fields(Filters) if field.type == "tuple[str, ...]")


@dataclass(frozen=True)
class Query:
    """One query of a page over the analytics models it names (`database.model`). Its `sql`
    may use the filter conditions `{dates:column}`, `{shopify}`, `{klaviyo}`, `{ga4}` and
    `{ga4_export}`, the comparison periods `{compared:column}` and `{period:column}`, the
    previous range's overlay `{previous:column}` and `{aligned:column}`, and `{week:column}`
    (see below); values are bound by the client, never pasted into the text.
    An `optional` query reads a model that may not exist (its rows are then none, and the page
    goes on)."""

    name: str
    models: tuple[str, ...]
    sql: str
    optional: bool = False

    def render(self, filters: Filters) -> str:
        return self.sql.format_map(
            {
                "dates": _DateRange(),
                "compared": _Compared(),
                "period": _Period(),
                "previous": _Previous(),
                "aligned": _Aligned(),
                "week": _Week(),
            }
            | {
                # a source the var `sources` leaves out filters nothing (its models are empty)
                source: _SourceFilter(source, source in SOURCES and bool(getattr(filters, source)))
                for source in FILTERED_SOURCES
            }
        )


class _DateRange:
    """`{dates:column}`: the column within the selected date range."""

    def __format__(self, column: str) -> str:
        return f"{column} between %(start)s and %(end)s"


_PERIODS = ("current", "previous", "year")


class _Compared:
    """`{compared:column}`: the column within the compared range or one it is compared with."""

    def __format__(self, column: str) -> str:
        within = (f"{column} between %({p}_start)s and %({p}_end)s" for p in _PERIODS)
        return "(" + " or ".join(within) + ")"


class _Period:
    """`{period:column}`: which period a day belongs to: current, previous, year_earlier."""

    def __format__(self, column: str) -> str:
        cases = ", ".join(
            f"{column} between %({p}_start)s and %({p}_end)s, '{label}'"
            for p, label in zip(_PERIODS, ("current", "previous", "year_earlier"), strict=True)
        )
        return f"multiIf({cases}, '')"


class _Previous:
    """`{previous:column}`: the column within the previous range of the same length, which
    charts over time draw under the chosen range."""

    def __format__(self, column: str) -> str:
        return f"{column} between %(previous_start)s and %(previous_end)s"


class _Aligned:
    """`{aligned:column}`: the day a chart draws the column's day on: a day of the previous
    range moves onto the day of the chosen range it is compared with (the range's length
    later); any other day stays."""

    def __format__(self, column: str) -> str:
        shift = "dateDiff('day', toDate(%(previous_start)s), toDate(%(current_start)s))"
        return f"if({format(_Previous(), column)}, {column} + {shift}, {column})"


class _Week:
    """`{week:column}`: the first day of the column's week, weeks starting on `week_start`."""

    def __format__(self, column: str) -> str:
        return f"toStartOfWeek({column}, {WEEK_MODES[week_start()]})"


@dataclass(frozen=True)
class _SourceFilter:
    """`{shopify}` (or `{shopify:column}`): source_relation (or the column) among the selected
    databases of that source; true when none is selected."""

    source: str
    selected: bool

    def __format__(self, column: str) -> str:
        if not self.selected:
            return "1"
        return f"{column or 'source_relation'} in %({self.source})s"


@dataclass
class PageData:
    """A page's query results (pandas DataFrames by query name) and what loading them cost."""

    frames: dict[str, Any]
    models: dict[str, str]  # query name -> the analytics model it reads first (for captions)
    open_seconds: float
    query_seconds: float
    close_seconds: float
    loaded_at: float = field(default_factory=time.time)
    filters: Filters = field(default_factory=Filters)

    @property
    def seconds(self) -> float:
        return self.open_seconds + self.query_seconds + self.close_seconds


# One page load at a time per process: the embedded engine is one per process, and a close
# while another session's queries run would cut them off.
_LOCK = threading.Lock()


def describe(target: Any) -> str:
    """Where the dashboard reads from, for people: the folder (from the project folder when it
    lies within, as `.chdb` does) or the host."""
    from ecom_analytics import PROJECT_DIR

    if target.is_embedded:
        folder = Path(target.credentials.path).resolve()
        if folder.is_relative_to(PROJECT_DIR.resolve()):
            folder = folder.relative_to(PROJECT_DIR.resolve())
        return f"the embedded database at {folder}"
    return f"target `{target.name}` ({target.credentials.host})"


def embedded_folder_is_empty(target: Any) -> bool:
    return not (Path(target.credentials.path) / "metadata").is_dir()


def load_page(target: Any, queries: tuple[Query, ...], filters: Filters) -> PageData:
    """Open the target once, run every query of a page, close. Raises NotBuilt when a model
    the page reads does not exist, EmbeddedPathInUse when another process has the folder."""
    from ecom_analytics.target import connect

    models = sorted({model for query in queries for model in query.models})
    if target.is_embedded and embedded_folder_is_empty(target):
        raise NotBuilt(describe(target), models)  # and do not create the folder by opening it
    with _LOCK:
        started = time.perf_counter()
        with connect(target) as client:
            opened = time.perf_counter()
            found = {
                f"{database}.{name}"
                for database, name in client.query(
                    "select database, name from system.tables where database in %(databases)s",
                    parameters={"databases": tuple({m.split(".")[0] for m in models})},
                ).result_rows
            }
            optional = {m for query in queries if query.optional for m in query.models}
            missing = [model for model in models if model not in found | optional]
            if missing:
                raise NotBuilt(describe(target), missing)
            frames = {
                query.name: _plain_types(
                    client.query_df(
                        query.render(filters), parameters=filters.parameters(), settings=SETTINGS
                    )
                )
                if set(query.models) <= found
                else None
                for query in queries
            }
            queried = time.perf_counter()
        closed = time.perf_counter()
    return PageData(
        frames=frames,
        models={query.name: query.models[0] for query in queries},
        open_seconds=opened - started,
        query_seconds=queried - opened,
        close_seconds=closed - queried,
        filters=filters,
    )


def _plain_types(frame: Any) -> Any:
    """Decimals (ClickHouse money) as floats, which charts plot; dates stay dates."""
    for column in frame.columns:
        values = frame[column].dropna()
        if frame[column].dtype == object and len(values) and isinstance(values.iloc[0], Decimal):
            frame[column] = frame[column].astype(float)
    return frame
