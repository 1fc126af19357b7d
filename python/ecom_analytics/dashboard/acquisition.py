"""The Acquisition page: where traffic comes from and how it converts, by default channel
group, source / medium and device, with Shopify's orders by channel beside it.

GA4 figures come from the BigQuery export (`analytics_ga4`'s session models) when it is loaded
for the selected properties, else from GA4's Data API reports (which hold no purchases and no
per-session source / medium); the page says which. GA4's purchase coverage stands beside the
conversion figures, as on the Funnel page. Without either source, a note says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecom_analytics.dashboard.charts import Figure, chart, compared, streamlit, table
from ecom_analytics.dashboard.data import PageData, Query
from ecom_analytics.dashboard.funnel import (
    COVERAGE_HEADLINE,
    coverage_sentence,
    ga4_year_history,
)
from ecom_analytics.dashboard.queries import CURRENCIES
from ecom_analytics.dashboard.sales import comparison_caption, over_previous, single_currency

DAILY_SESSIONS = "analytics_ga4.ga4_daily_sessions"
SESSIONS = "analytics_ga4.ga4_sessions"
CHANNEL_PERFORMANCE = "analytics_ga4.ga4_channel_performance"
TRAFFIC_OVERVIEW = "analytics_ga4.ga4_traffic_overview"
DEVICE_PERFORMANCE = "analytics_ga4.ga4_device_performance"
CHANNEL_REVENUE = "analytics_cross_source.channel_revenue"


@dataclass(frozen=True)
class Ga4Source:
    """Where the page's GA4 figures come from: the export's models or the Data API's, the day
    column they share and the filter of their properties."""

    prefix: str  # of the query names: export_headline, reports_headline, ...
    overview: str  # the model of the headline figures
    channels: str  # the model by day and default channel group
    devices: str  # the model by device category
    day: str
    properties: str  # the filter of the selected properties (`{ga4_export}`, `{ga4}`)
    commerce: bool  # whether it holds purchases and purchase revenue


EXPORT = Ga4Source(
    "export", DAILY_SESSIONS, DAILY_SESSIONS, DAILY_SESSIONS, "session_date", "{ga4_export}", True
)
REPORTS = Ga4Source(
    "reports",
    TRAFFIC_OVERVIEW,
    CHANNEL_PERFORMANCE,
    DEVICE_PERFORMANCE,
    "activity_date",
    "{ga4}",
    False,
)


def _measures(
    source: Ga4Source, sessions: str = "sum(sessions)", engaged: str = "sum(engaged_sessions)"
) -> str:
    """Sessions and engagement, and, from the export, purchases, revenue, purchases per session."""
    measures = f"""
            {sessions} as sessions,
            {engaged} as engaged_sessions,
            {engaged} / nullIf({sessions}, 0) as engagement_rate"""
    if source.commerce:
        measures += f""",
            sum(purchases) as purchases,
            sum(purchase_revenue) as purchase_revenue,
            sum(purchases) / nullIf({sessions}, 0) as purchases_per_session"""
    return measures


def _queries(source: Ga4Source) -> tuple[Query, ...]:
    day, where = source.day, source.properties
    grouped = (
        ("by_channel", source.channels, "default_channel_group"),
        ("by_device", source.devices, "device_category"),
    )
    return (
        Query(
            source.prefix,
            (source.overview,),
            f"""
            select
                sum(sessions) as sessions,
                if(count() > 0, min({day}), null) as first_day
            from {source.overview}
            where {where}
            """,
        ),
        Query(
            f"{source.prefix}_headline",
            (source.overview,),
            f"""
            select
                {{period:{day}}} as period,{_measures(source)},
                sum(new_users) as new_users
            from {source.overview}
            where {where} and {{compared:{day}}}
            group by period
            """,
        ),
        # The chosen range's days and, drawn under them, the previous range's (as Sales).
        Query(
            f"{source.prefix}_channels_daily",
            (source.channels,),
            f"""
            select
                if({{previous:{day}}}, 'previous', 'current') as period,
                {{aligned:{day}}} as chart_date,
                {day},
                default_channel_group,
                sum(sessions) as sessions,
                sum(engaged_sessions) as engaged_sessions,
                {day} >= %(today)s as is_partial
            from {source.channels}
            where {where} and ({{dates:{day}}} or {{previous:{day}}})
            group by {day}, default_channel_group
            order by period, {day}, default_channel_group
            """,
        ),
        *(
            Query(
                f"{source.prefix}_{name}",
                (model,),
                f"""
                select
                    {group},{_measures(source)}
                from {model}
                where {where} and {{dates:{day}}}
                group by {group}
                order by sum(sessions) desc, {group}
                """,
            )
            for name, model, group in grouped
        ),
    )


_SESSION_MEASURES = _measures(EXPORT, "count()", "countIf(is_engaged)")

ACQUISITION = (
    *_queries(EXPORT),
    *_queries(REPORTS),
    # Per session, so by the session's own source and medium (the export alone holds them).
    Query(
        "export_by_source_medium",
        (SESSIONS,),
        f"""
        select
            concat(
                coalesce(session_source, '(not set)'),
                ' / ',
                coalesce(session_medium, '(not set)')
            ) as source_medium,{_SESSION_MEASURES}
        from {SESSIONS}
        where {{ga4_export}} and {{dates:session_date}}
        group by source_medium
        order by count() desc, source_medium
        """,
    ),
    # Shopify's orders and net sales by the channel GA4's rules give each order (every shop).
    Query(
        "channel_orders",
        (CHANNEL_REVENUE,),
        f"""
        select
            default_channel_group,
            sum(orders) as orders,
            sum(net_revenue) as net_revenue
        from {CHANNEL_REVENUE}
        where {{dates:revenue_date}}
        group by default_channel_group
        having sum(orders) != 0 or sum(net_revenue) != 0
        order by sum(orders) desc, default_channel_group
        """,
    ),
    COVERAGE_HEADLINE,
    CURRENCIES,
)

GA4_FIGURES = [
    Figure("Sessions", "sessions", "count"),
    Figure("Engaged sessions", "engaged_sessions", "count"),
    Figure("Engagement rate", "engagement_rate", "rate"),
    Figure("New users", "new_users", "count"),
]
COMMERCE_FIGURES = [
    Figure("Purchases (GA4)", "purchases", "count"),
    Figure("Purchase revenue (GA4)", "purchase_revenue", "money"),
    Figure("Purchases per session (GA4)", "purchases_per_session", "rate"),
]


def _has_rows(data: PageData, name: str) -> bool:
    frame = data.frames[name]
    return frame is not None and not frame.empty and bool(frame["sessions"].fillna(0).sum())


def draw_acquisition(data: PageData) -> None:
    st = streamlit()
    source = EXPORT if _has_rows(data, "export") else REPORTS
    if not _has_rows(data, source.prefix):
        st.info(
            "**No GA4 data for these properties.** The Acquisition page reads GA4's BigQuery "
            "export (the raw databases of the var `ga4_export_raw_databases`) or, without it, "
            "GA4's Data API reports. Once either is loaded and `dbt build` has run, sessions by "
            "channel, source / medium and device show here.",
            icon=":material/info:",
        )
        return
    if source is EXPORT:
        st.caption(
            "GA4 figures from the BigQuery export (`ga4_daily_sessions`, `ga4_sessions`): "
            "each session by its own source / medium and channel group."
        )
    else:
        st.info(
            "**GA4 figures from the Data API reports** (`ga4_traffic_overview`, "
            "`ga4_channel_performance`, `ga4_device_performance`): no BigQuery export is loaded "
            "for these properties, so purchases, purchase revenue, conversion rates and "
            "source / medium (which need the export's events) are not shown.",
            icon=":material/info:",
        )
    periods = data.filters.periods
    history = ga4_year_history(data, source.prefix)
    currency = single_currency(data)
    comparison_caption(data)
    figures = GA4_FIGURES + (COMMERCE_FIGURES if source.commerce else [])
    compared(
        figures,
        data.frames[f"{source.prefix}_headline"],
        currency=currency,
        year_history=history,
        days=periods.days if periods else None,
    )
    if source.commerce:
        st.caption(
            f":material/visibility: {coverage_sentence(data)}: read GA4's purchases and "
            "conversion rates with that coverage. Purchases per session: GA4 purchases / sessions; "
            "engagement rate: engaged sessions / sessions (GA4's definition)."
        )
    _channels(data, source, currency)


def _channels(data: PageData, source: Ga4Source, currency: str | None) -> None:
    import altair as alt

    st = streamlit()
    chart(
        "Sessions by default channel group by day, against the previous range",
        data,
        f"{source.prefix}_channels_daily",
        lambda c: over_previous(
            c,
            data,
            "sessions",
            "Sessions",
            source.day,
            alt.Color(
                "default_channel_group:N",
                title=None,
                legend=alt.Legend(orient="bottom", columns=4, labelLimit=0),
            ),
        ),
    )
    # full width, so that no column of the tables is clipped
    table("By default channel group", data, f"{source.prefix}_by_channel", currency)
    orders = data.frames["channel_orders"]
    if currency is None and orders is not None:
        # shops in several currencies: the model adds their net sales, so show orders only
        data.frames["channel_orders"] = orders.drop(columns=["net_revenue"])
    table("Shopify orders and net sales by channel", data, "channel_orders", currency)
    st.caption(
        "Each order by GA4's default channel rules applied to its landing-site UTM parameters, "
        "else its referrer, else Direct; net sales less returns on their day; every shop."
    )
    if source.commerce:
        table("By source / medium", data, "export_by_source_medium", currency)
    table("By device", data, f"{source.prefix}_by_device", currency)
