"""The dashboard's building blocks: a chart or a table of one query's rows with its source
below (the model and the row count, which the browser test reads) and a CSV download of those
rows, and headline figures compared with the previous period and the year before."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ecom_analytics.dashboard.data import PageData
from ecom_analytics.dashboard.formats import (
    change,
    count,
    missing,
    money,
    percent,
    signed_percent,
    words,
)

# Column names that hold money (matched as words of the name), and rates.
MONEY_WORDS = {"sales", "revenue", "returns", "value", "clv", "discounts", "price"}
# Shares in 0-1 whose names do not end in `_rate` (click-through, market-basket measures,
# purchases per session).
RATE_NAMES = {"list_ctr", "ctr", "support", "confidence", "purchases_per_session"}


def streamlit():
    import streamlit as st

    return st


def source_caption(model: str, frame: Any) -> None:
    streamlit().caption(f"from `{model}` · {len(frame)} rows")


def download(frame: Any, name: str, key: str) -> None:
    """The rows as a CSV file, as the query returned them."""
    streamlit().download_button(
        "Download CSV",
        frame.to_csv(index=False).encode(),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def chart(title: str, data: PageData, name: str, build: Callable[[Any], Any]) -> None:
    """An Altair chart of the query `name`'s rows built by `build(alt.Chart)`, with its source
    below; a clear note instead when the filters leave no rows."""
    import altair as alt

    frame = _titled_rows(title, data, name)
    if frame is not None:
        streamlit().altair_chart(build(alt.Chart(frame)), width="stretch")
        source_caption(data.models[name], frame)
        download(frame, name, f"{name}-{title}")


def table(title: str, data: PageData, name: str, currency: str | None = None, **options) -> None:
    """The query `name`'s rows as a table (headers in words, money, rates and counts written
    as such; rates without a denominator as n/a), with its source below."""
    frame = _titled_rows(title, data, name)
    if frame is not None:
        streamlit().dataframe(styled(frame, currency), hide_index=True, width="stretch", **options)
        source_caption(data.models[name], frame)
        download(frame, name, f"{name}-{title}")


def styled(frame: Any, currency: str | None = None) -> Any:
    """A pandas Styler writing each column as what it holds; the values stay (sorting works)."""
    formats: dict[str, Callable[[Any], str]] = {}
    shown = frame.rename(columns=words)
    for column in frame.columns:
        kind, header = column_kind(column, frame[column]), words(column)
        if kind == "rate" and frame[column].isna().any():
            # the table draws a missing number as "None": such a rate column becomes text,
            # padded so that it still sorts by the rate (n/a last)
            shown[header] = frame[column].map(lambda value: percent(value).rjust(6))
        elif kind == "rate":
            formats[header] = percent
        elif kind == "money":
            formats[header] = lambda value, c=currency: money(value, c)
        elif kind == "count":
            formats[header] = count
        elif kind == "number":
            formats[header] = lambda value: f"{value:,.2f}"
    return shown.style.format(formats, na_rep="n/a")


def column_kind(name: str, values: Any) -> str:
    import pandas as pd

    if name.endswith("_rate") or name.startswith("share_") or name in RATE_NAMES:
        return "rate"
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return "other"
    if MONEY_WORDS & set(name.split("_")):
        return "money"
    if name.endswith("_id") or name in {"hour", "day_of_week"}:
        return "other"
    return "count" if pd.api.types.is_integer_dtype(values) else "number"


def _titled_rows(title: str, data: PageData, name: str) -> Any:
    """The title, then the query `name`'s rows; None, after a note, when there are none."""
    st = streamlit()
    frame, model = data.frames[name], data.models[name]
    st.markdown(f"**{title}**")
    if frame is None or frame.empty:
        st.info(f"No rows in `{model}` for these filters.")
        return None
    return frame


def metric(column: Any, label: str, value: Any, fmt: str = "{:,.2f}") -> None:
    """A headline figure; a dash when there is none."""
    column.metric(label, "–" if missing(value) else fmt.format(value))


@dataclass(frozen=True)
class Figure:
    """A headline figure: its label, the column of the headline rows holding it, what kind of
    value it is (money, count, rate) and whether a rise is good (returns: it is not)."""

    label: str
    column: str
    kind: str
    rise_is_good: bool = True

    def write(self, value: Any, currency: str | None) -> str:
        if self.kind == "money":
            return money(value, currency)
        return percent(value) if self.kind == "rate" else count(value)


def compared(
    figures: list[Figure],
    rows: Any,
    *,
    currency: str | None = None,
    year_history: bool = True,
    days: int | None = None,
    previous_label: str | None = None,
    year_label: str = "a year earlier",
) -> None:
    """Headline figures, four a row: each the value for the chosen range, its change in % from
    the previous range of the same length (green when good), and below it the previous value
    and the same range a year earlier (when the history holds it).

    `rows` has a `period` column (current, previous, year_earlier) and the figures' columns."""
    st = streamlit()
    by_period = {row["period"]: row for row in rows.to_dict("records")} if rows is not None else {}
    previous_label = previous_label or (f"previous {days} days" if days else "previous period")
    columns = [column for start in range(0, len(figures), 4) for column in st.columns(4)]
    for column, figure in zip(columns, figures, strict=False):
        value = _value(by_period, "current", figure)
        before = _value(by_period, "previous", figure)
        column.metric(
            figure.label,
            figure.write(value, currency),
            delta=signed_percent(change(value, before)),
            delta_color="normal" if figure.rise_is_good else "inverse",
        )
        lines = [f"{previous_label.capitalize()}: {figure.write(before, currency)}"]
        if year_history:
            year = _value(by_period, "year_earlier", figure)
            year_change = signed_percent(change(value, year))
            lines.append(
                f"{year_label.capitalize()}: {figure.write(year, currency)}"
                + (f" ({year_change})" if year_change else "")
            )
        else:
            lines.append(f"{year_label.capitalize()}: no history")
        column.caption(" · ".join(lines))


def _value(by_period: dict, period: str, figure: Figure) -> Any:
    row = by_period.get(period)
    if row is None:
        return None if figure.kind == "rate" else 0
    return row.get(figure.column)
