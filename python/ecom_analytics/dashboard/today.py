"""The Today page: the last 24 hours hour by hour against the same hours a day and a week
earlier, and the latest orders; redrawn every ECOM_DASHBOARD_REFRESH_SECONDS (app.py).

Orders come from the curated orders (which update on every insert) or from the analytics
layer's order sales (refreshed every `analytics_refresh_minutes`), whichever is fresh within a
minute: the analytics layer when its newest order is at most a minute older than the curated
layer's, else the curated one. Today's net sales are order sales (line items less discounts)
by order time; returns land on the Sales page. Klaviyo figures come from the curated events
(Klaviyo's own attribution for revenue); sessions from GA4's BigQuery export
(`analytics_ga4.ga4_sessions`) only when that model exists and holds sessions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ecom_analytics.dashboard.charts import Figure, chart, compared, streamlit, table
from ecom_analytics.dashboard.data import PageData, Query
from ecom_analytics.dashboard.queries import SHOP_CURRENCIES

FRESH_SECONDS = 60
# Eight days of hours: the last 24 hours and the same hours a day and a week earlier.
_SINCE = "toStartOfHour(now()) - interval 191 hour"
_CURATED_ORDERS = f"""
    orders as (
        select
            source_relation,
            order_id,
            argMax(order_name, (updated_at, _loaded_at)) as order_name,
            argMax(coalesce(processed_at, created_at, updated_at), (updated_at, _loaded_at))
                as ordered_at,
            argMax(
                coalesce(total_line_items_price, 0) - coalesce(total_discounts, 0),
                (updated_at, _loaded_at)
            ) as net_sales,
            argMax(currency, (updated_at, _loaded_at)) as currency,
            argMax(is_test, (updated_at, _loaded_at)) as is_test_order
        from data_shopify.orders
        where {{shopify}} and coalesce(processed_at, created_at, updated_at) >= {_SINCE}
        group by source_relation, order_id
        having not is_test_order
    )
"""
_ANALYTICS_ORDERS = f"""
    orders as (
        select
            source_relation,
            order_id,
            order_name,
            ordered_at,
            gross_after_discounts as net_sales,
            currency
        from analytics_shopify.int_shopify__order_sales
        where {{shopify}} and ordered_at >= {_SINCE}
    )
"""


def _order_queries(layer: str, orders: str, models: tuple[str, ...]) -> tuple[Query, ...]:
    return (
        Query(
            f"{layer}_hourly",
            models,
            f"""
            with {orders}
            select toStartOfHour(ordered_at) as hour, currency, count() as orders,
                sum(net_sales) as net_sales
            from orders
            group by hour, currency
            order by hour, currency
            """,
        ),
        Query(
            f"{layer}_latest",
            models,
            f"""
            with {orders}
            select order_name, ordered_at, net_sales, currency, source_relation as shop
            from orders
            order by ordered_at desc, order_id desc
            limit 10
            """,
        ),
    )


TODAY = (
    *_order_queries("curated", _CURATED_ORDERS, ("data_shopify.orders",)),
    *_order_queries(
        "analytics", _ANALYTICS_ORDERS, ("analytics_shopify.int_shopify__order_sales",)
    ),
    Query(
        "currencies",
        ("analytics_shopify.int_shopify__order_sales",),
        f"with {SHOP_CURRENCIES} select distinct currency from shop_currencies order by currency",
    ),
    Query(
        "klaviyo_hourly",
        ("data_klaviyo.events_named",),
        f"""
        select
            toStartOfHour(occurred_at) as hour,
            countIf(metric_name in ('Received Email', 'Received SMS')) as sends,
            countIf(metric_name = 'Opened Email') as opens,
            countIf(metric_name in ('Clicked Email', 'Clicked SMS')) as clicks,
            sumIf(
                value,
                metric_name = 'Placed Order'
                and (attributed_message_id is not null or attributed_flow_id is not null)
            ) as attributed_revenue
        from data_klaviyo.events_named
        where {{klaviyo}} and occurred_at >= {_SINCE}
        group by hour
        order by hour
        """,
    ),
    Query(
        "sessions_hourly",
        ("analytics_ga4.ga4_sessions",),
        f"""
        select toStartOfHour(session_start_at) as hour, count() as sessions
        from analytics_ga4.ga4_sessions
        where {{ga4}} and session_start_at >= {_SINCE}
        group by hour
        order by hour
        """,
        optional=True,
    ),
)

KLAVIYO_MEASURES = ["sends", "opens", "clicks", "attributed_revenue"]
WINDOWS = {"current": 0, "previous": 24, "year_earlier": 168}  # hours back; see LABELS
LABELS = {"current": "last 24 hours", "previous": "a day earlier", "year_earlier": "a week earlier"}


def fresher_layer(data: PageData) -> str:
    """`analytics` when its newest order is at most a minute behind the curated one's."""
    import pandas as pd

    newest = {}
    for layer in ("curated", "analytics"):
        latest = pd.to_datetime(data.frames[f"{layer}_latest"]["ordered_at"], utc=True).max()
        newest[layer] = None if pd.isna(latest) else latest
    if newest["curated"] is None:
        return "analytics"
    if newest["analytics"] is None:
        return "curated"
    behind = (newest["curated"] - newest["analytics"]).total_seconds()
    return "analytics" if behind <= FRESH_SECONDS else "curated"


def reporting_timezone() -> str:
    from ecom_analytics.target import project_vars

    return str(project_vars().get("reporting_timezone", "UTC"))


def windows(frame: Any, now: Any, measures: list[str], keys: tuple[str, ...] = ()) -> Any:
    """Hourly rows labelled by window (last 24 hours, a day and a week earlier), each with its
    hour shifted onto the last 24 hours so the three draw on one axis; every hour of each
    window is there (0 when nothing happened), per value of the `keys` columns found."""
    import pandas as pd

    end = now.floor("h")
    if "hour" not in frame.columns:  # no rows at all
        frame = pd.DataFrame(columns=["hour", *keys, *measures])
    hours = pd.to_datetime(frame["hour"], utc=True).dt.tz_localize(None)
    parts = []
    for window, back in WINDOWS.items():
        first = end - timedelta(hours=back + 23)
        part = frame[(hours >= first) & (hours <= first + timedelta(hours=23))]
        shifted = hours[part.index] + timedelta(hours=back)
        parts.append(part.assign(window=LABELS[window], period=window, hour=shifted))
    grid = pd.DataFrame(
        [
            (LABELS[window], window, end - timedelta(hours=hour))
            for window in WINDOWS
            for hour in range(24)
        ],
        columns=["window", "period", "hour"],
    )
    for key in keys:
        grid = grid.merge(pd.DataFrame({key: sorted(set(frame[key]))}), how="cross")
    found = pd.concat(parts, ignore_index=True)[["window", "period", "hour", *keys, *measures]]
    filled = grid.merge(found, how="left", on=["window", "period", "hour", *keys])
    filled[measures] = filled[measures].astype(float).fillna(0)
    local = filled["hour"].dt.tz_localize("UTC").dt.tz_convert(reporting_timezone())
    return filled.assign(hour=local.dt.tz_localize(None))  # wall-clock hours, drawn as such


def draw_today(data: PageData) -> None:
    import altair as alt
    import pandas as pd

    st = streamlit()
    layer = fresher_layer(data)
    now = pd.Timestamp.now(tz="UTC").tz_localize(None)
    hourly = windows(data.frames[f"{layer}_hourly"], now, ["orders", "net_sales"], ("currency",))
    data.frames["hourly"] = hourly
    data.models["hourly"] = data.models[f"{layer}_hourly"]
    klaviyo = windows(data.frames["klaviyo_hourly"], now, KLAVIYO_MEASURES)
    sessions = data.frames["sessions_hourly"]
    source = (
        "the curated orders (updated on every insert)"
        if layer == "curated"
        else ("the analytics layer (fresh within a minute)")
    )
    st.caption(
        f"The last 24 hours (hours in {reporting_timezone()}) against the same hours a day and "
        "a week earlier. "
        f"Orders from {source}."
    )
    currencies = sorted(set(hourly["currency"])) or [None]
    for currency in currencies:
        rows = hourly[hourly["currency"] == currency] if currency else hourly
        totals = rows.groupby("period", as_index=False)[["orders", "net_sales"]].sum()
        compared(
            [Figure("Orders", "orders", "count"), Figure("Net sales", "net_sales", "money")],
            totals,
            currency=currency,
            previous_label="a day earlier",
            year_label="a week earlier",
        )
    figures = [
        Figure("Klaviyo sends", "sends", "count"),
        Figure("Opens", "opens", "count"),
        Figure("Clicks", "clicks", "count"),
        Figure("Attributed revenue", "attributed_revenue", "money"),
    ]
    if sessions is not None and len(sessions):
        ga4 = windows(sessions, now, ["sessions"])
        klaviyo = klaviyo.merge(ga4[["hour", "period", "sessions"]], how="outer")
        figures.insert(0, Figure("Sessions (GA4 export)", "sessions", "count"))
    one_currency = data.frames["currencies"]["currency"].tolist()
    compared(
        figures,
        klaviyo.groupby("period", as_index=False)[[f.column for f in figures]].sum(),
        currency=one_currency[0] if len(one_currency) == 1 else None,
        previous_label="a day earlier",
        year_label="a week earlier",
    )
    lines = alt.Color(
        "window:N",
        title=None,
        sort=list(LABELS.values()),
        legend=alt.Legend(orient="bottom", labelLimit=0),
    )
    left, right = st.columns(2)
    with left:
        chart(
            "Orders by hour",
            data,
            "hourly",
            lambda c: c.mark_line(point=True).encode(
                x=alt.X("utcyearmonthdatehours(hour):T", title=None),
                y=alt.Y("sum(orders):Q", title="Orders"),
                color=lines,
                tooltip=["window", "utcyearmonthdatehours(hour):T", "sum(orders):Q"],
            ),
        )
    with right:
        chart(
            "Net sales by hour",
            data,
            "hourly",
            lambda c: c.mark_line(point=True).encode(
                x=alt.X("utcyearmonthdatehours(hour):T", title=None),
                y=alt.Y("net_sales:Q", title="Net sales"),
                color=lines,
                strokeDash=alt.StrokeDash("currency:N", title="Currency"),
                tooltip=["window", "currency", "utcyearmonthdatehours(hour):T", "net_sales:Q"],
            ),
        )
    _engagement_by_hour(data, klaviyo, figures, lines)
    latest = data.frames[f"{layer}_latest"]
    if "ordered_at" in latest.columns:
        ordered_at = pd.to_datetime(latest["ordered_at"], utc=True).dt.floor("s")
        latest["ordered_at"] = ordered_at.dt.tz_convert(reporting_timezone()).dt.tz_localize(None)
    table("Latest orders", data, f"{layer}_latest")
    st.caption(f"Latest orders from `{data.models[f'{layer}_latest']}`.")


def _engagement_by_hour(data: PageData, rows: Any, figures: list[Figure], lines: Any) -> None:
    """The headline's Klaviyo (and GA4 session) figures hour by hour, one at a time: the one
    picked, over the same hours a day and a week earlier."""
    import altair as alt

    st = streamlit()
    labels = {figure.column: figure.label for figure in figures}
    picked = st.radio(
        "By hour",
        list(labels),
        format_func=labels.__getitem__,
        horizontal=True,
        key="today_by_hour",
    )
    data.frames["engagement_hourly"] = rows
    data.models["engagement_hourly"] = data.models["klaviyo_hourly"]
    chart(
        f"{labels[picked]} by hour",
        data,
        "engagement_hourly",
        lambda c: c.mark_line(point=True).encode(
            x=alt.X("utcyearmonthdatehours(hour):T", title=None),
            y=alt.Y(f"{picked}:Q", title=labels[picked]),
            color=lines,
            tooltip=["window", "utcyearmonthdatehours(hour):T", f"{picked}:Q"],
        ),
    )
