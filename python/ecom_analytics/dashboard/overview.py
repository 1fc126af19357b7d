"""The Overview page: how yesterday went, in one screen. The data-health status first (a stale
or late source leads the page), then yesterday's headline figures against the day before and
the same day a year earlier, then the pages to go on to."""

from __future__ import annotations

from ecom_analytics.dashboard.charts import compared, streamlit
from ecom_analytics.dashboard.data import PageData
from ecom_analytics.dashboard.queries import DATA_HEALTH, MARKETING_HEADLINE, SALES_HEADLINE
from ecom_analytics.dashboard.sales import (
    ATTRIBUTED_FIGURES,
    MARKETING_FIGURES,
    SALES_FIGURES,
    compared_per_currency,
    single_currency,
    year_history,
)

OVERVIEW = (SALES_HEADLINE, *MARKETING_HEADLINE, DATA_HEALTH[0])


def by_period(*frames, columns=()):
    """Headline rows of several queries side by side, one row per period (None: no rows), with
    at least `columns` (a query without rows returns no columns either)."""
    import pandas as pd

    indexed = [frame.set_index("period") for frame in frames if "period" in frame.columns]
    if not indexed:
        return None
    rows = pd.concat(indexed, axis=1)
    for column in columns:
        if column not in rows.columns:
            rows[column] = None
    counts = [column for column in rows.columns if not column.endswith("_rate")]
    return rows.fillna(dict.fromkeys(counts, 0)).reset_index()  # no campaign sent: 0, not –


def draw_health_status(data: PageData) -> None:
    st = streamlit()
    freshness = data.frames["freshness"]
    behind = freshness[freshness["status"] != "fresh"]
    if behind.empty:
        st.success(
            f"Data health: all {len(freshness)} raw tables are fresh.",
            icon=":material/check_circle:",
        )
        return
    sources = behind.groupby(["status", "source_name"]).size().reset_index(name="tables")
    listing = "; ".join(
        f"{row.source_name}: {row.tables} table{'s' if row.tables > 1 else ''} {row.status}"
        for row in sources.itertuples()
    )
    worst = "stale" if (behind["status"] == "stale").any() else "late"
    show = st.error if worst == "stale" else st.warning
    show(
        f"**Data health: {worst} data.** {listing}. Figures below may be incomplete; "
        "see Data health.",
        icon=":material/warning:",
    )


def draw_overview(data: PageData, links: dict) -> None:
    """`links`: the pages to go on to, {page object: one line on what it answers}."""
    st = streamlit()
    draw_health_status(data)
    periods = data.filters.periods
    day = f"{periods.start:%A %Y-%m-%d}" if periods else "the data"
    last = data.frames["bounds"]["last_day"].iloc[0]
    if periods and last == last and last.date() < periods.start:
        st.warning(f"The sales data ends on {last.date()}, before yesterday.")
    st.subheader(f"Yesterday, {day}")
    st.caption("Against the day before and the same day a year earlier.")
    compared_per_currency(data, "sales_headline", SALES_FIGURES[:4], "the day before")
    figures = MARKETING_FIGURES + ATTRIBUTED_FIGURES[1:]
    marketing = by_period(
        data.frames["marketing_headline"],
        data.frames["attributed_headline"],
        columns=[figure.column for figure in figures],
    )
    compared(
        figures,
        marketing,
        currency=single_currency(data),
        year_history=year_history(data),
        previous_label="the day before",
    )
    st.subheader("Pages")
    columns = st.columns(3)
    for index, (page, line) in enumerate(links.items()):
        with columns[index % 3]:
            st.page_link(page, label=page.title, icon=page.icon)
            st.caption(line)
