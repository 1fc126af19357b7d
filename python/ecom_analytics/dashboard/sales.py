"""The Sales and Marketing pages: headline figures compared with the previous range and the
year before, then the charts and tables behind them.

Money is shown per currency (shops in different currencies are never added together); weeks
start on the var `week_start`; periods not yet over (today, this week, this month) are drawn
paler and left out of the comparisons.
"""

from __future__ import annotations

from typing import Any

from ecom_analytics.dashboard.charts import Figure, chart, compared, streamlit, table
from ecom_analytics.dashboard.data import PageData, week_start

DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
PARTIAL_NOTE = "Paler: a period not over yet (today, this week, this month)."

SALES_FIGURES = [
    Figure("Net sales", "net_sales", "money"),
    Figure("Orders", "orders", "count"),
    Figure("Average order value", "average_order_value", "money"),
    Figure("Returns", "returns", "money", rise_is_good=False),
    Figure("New customer net sales", "new_customer_net_sales", "money"),
    Figure("Returning customer net sales", "returning_customer_net_sales", "money"),
]
MARKETING_FIGURES = [
    Figure("Campaign recipients", "recipients", "count"),
    Figure("Email open rate", "open_rate", "rate"),
    Figure("Click rate", "click_rate", "rate"),
]
ATTRIBUTED_FIGURES = [
    Figure("Attributed orders (Klaviyo)", "attributed_orders", "count"),
    Figure("Attributed revenue (Klaviyo)", "attributed_revenue", "money"),
]


def year_history(data: PageData) -> bool:
    """Whether the data reaches back to the same range a year earlier."""
    periods, first = data.filters.periods, data.frames["bounds"]["first_day"].iloc[0]
    return bool(periods and first == first and first.date() <= periods.year_earlier[0])


def comparison_caption(data: PageData) -> None:
    periods = data.filters.periods
    if periods:
        streamlit().caption(f"Compared: {periods.describe()}.")


def compared_per_currency(
    data: PageData,
    name: str,
    figures: list[Figure],
    previous_label: str | None = None,
    history: bool | None = None,
) -> None:
    """Headline figures of the query `name`, one row per currency of its rows; `history`:
    whether the data reaches a year back (by default, whether the sales ledger does)."""
    rows, periods = data.frames[name], data.filters.periods
    currencies = sorted(set(rows["currency"])) if len(rows) else [None]
    for currency in currencies:
        if len(currencies) > 1:
            streamlit().markdown(f"**Shops in {currency or 'an unknown currency'}**")
        compared(
            figures,
            rows[rows["currency"] == currency] if currency is not None else rows,
            currency=currency,
            year_history=year_history(data) if history is None else history,
            days=periods.days if periods else None,
            previous_label=previous_label,
        )


def partial_opacity() -> Any:
    import altair as alt

    return alt.condition("datum.is_partial", alt.value(0.35), alt.value(1.0))


def over_previous(
    base: Any, data: PageData, value: str, title: str, day: str, color: Any = None
) -> Any:
    """A line of `value` by day over the chosen range, above the same line for the previous
    range of the same length (dashed and paler, hollow points, each previous day drawn on the
    day it is compared with); the legend names both, and each point's tooltip its own day.
    The rows: a query with `period` (current, previous), `chart_date`, `day` (the row's own
    date) and `is_partial`."""
    import altair as alt

    periods = data.filters.periods
    this, before = "This range", f"Previous {periods.days} days" if periods else "Previous range"
    ranged = base.transform_calculate(range=f"datum.period == 'previous' ? '{before}' : '{this}'")
    encoding = {
        "x": alt.X("chart_date:T", title=None),
        "y": alt.Y(f"{value}:Q", title=title, axis=alt.Axis(format=",.0f")),
        "strokeDash": alt.StrokeDash(
            "range:N",
            title=None,
            scale=alt.Scale(domain=[this, before], range=[[1, 0], [5, 4]]),
            legend=alt.Legend(orient="bottom", labelLimit=0),
        ),
        "tooltip": [
            alt.Tooltip(f"{day}:T", title="day"),
            alt.Tooltip("range:N", title="range"),
            alt.Tooltip(f"{value}:Q", title=title.lower(), format=",.2f"),
        ],
        **({"color": color} if color is not None else {}),
    }
    return alt.layer(
        ranged.transform_filter("datum.period == 'previous'")
        .mark_line(opacity=0.5, point=alt.OverlayMarkDef(filled=False, size=16))
        .encode(**encoding),
        ranged.transform_filter("datum.period == 'current'")
        .mark_line(point=True)
        .encode(opacity=partial_opacity(), **encoding),
    )


# --- Sales ---------------------------------------------------------------------------------------


def draw_sales(data: PageData) -> None:
    comparison_caption(data)
    compared_per_currency(data, "sales_headline", SALES_FIGURES)
    _sales_by_day_and_month(data)
    _sales_customers_and_returns(data)
    streamlit().caption(
        f"Weeks start on {week_start().capitalize()} (the var `week_start`). {PARTIAL_NOTE}"
    )


def _sales_by_day_and_month(data: PageData) -> None:
    import altair as alt

    left, right = streamlit().columns(2)
    with left:
        chart(
            "Net sales and orders by day, against the previous range",
            data,
            "daily",
            lambda c: alt.layer(
                over_previous(
                    c,
                    data,
                    "net_sales",
                    "Net sales",
                    "sales_date",
                    alt.Color("currency:N", title="Currency", legend=alt.Legend(orient="bottom")),
                ),
                c.transform_filter("datum.period == 'current'")
                .mark_line(opacity=0.5, color="gray")
                .encode(x="chart_date:T", y=alt.Y("orders:Q", title="Orders (gray)")),
            ).resolve_scale(y="independent"),
        )
    with right:
        chart(
            "Net sales and AOV by month",
            data,
            "monthly",
            lambda c: alt.layer(
                c.mark_bar().encode(
                    x=alt.X("yearmonth(sales_month):O", title=None),
                    y=alt.Y("net_sales:Q", title="Net sales", axis=alt.Axis(format=",.0f")),
                    opacity=partial_opacity(),
                ),
                c.mark_line(point=True, color="orange").encode(
                    x="yearmonth(sales_month):O",
                    y=alt.Y("average_order_value:Q", title="AOV"),
                ),
            ).resolve_scale(y="independent"),
        )


def _sales_customers_and_returns(data: PageData) -> None:
    import altair as alt

    left, right = streamlit().columns(2)
    with left:
        chart(
            "Net sales of new against returning customers by week",
            data,
            "weekly",
            lambda c: (
                c.transform_fold(
                    ["new_customer_net_sales", "returning_customer_net_sales"],
                    as_=["customers", "net sales"],
                )
                .transform_calculate(customers="replace(datum.customers, /_/g, ' ')")
                .mark_bar()
                .encode(
                    x=alt.X("yearmonthdate(sales_week):O", title="Week starting"),
                    y=alt.Y("net sales:Q", stack=True, title="Net sales"),
                    color=alt.Color(
                        "customers:N",
                        title=None,
                        legend=alt.Legend(orient="bottom", labelLimit=0),
                    ),
                    opacity=partial_opacity(),
                    tooltip=[
                        "yearmonthdate(sales_week):O",
                        "customers:N",
                        "net sales:Q",
                        "is_partial",
                    ],
                )
            ),
        )
    with right:
        chart(
            "Returns by week",
            data,
            "weekly",
            lambda c: c.mark_bar(color="firebrick").encode(
                x=alt.X("yearmonthdate(sales_week):O", title="Week starting"),
                y=alt.Y("returns:Q", title="Returns"),
                opacity=partial_opacity(),
                tooltip=[
                    alt.Tooltip("yearmonthdate(sales_week):O", title="week starting"),
                    alt.Tooltip("returns:Q", title="returns", format=",.2f"),
                    alt.Tooltip("units_returned:Q", title="units returned"),
                    alt.Tooltip("is_partial:N", title="partial"),
                ],
            ),
        )


# --- Marketing -----------------------------------------------------------------------------------


def single_currency(data: PageData) -> str | None:
    """The shops' currency when they share one (Klaviyo revenue is in it), else None."""
    currencies = data.frames["currencies"]["currency"].tolist()
    return currencies[0] if len(currencies) == 1 else None


def draw_marketing(data: PageData) -> None:
    import altair as alt

    st = streamlit()
    currency = single_currency(data)
    periods = data.filters.periods
    days = periods.days if periods else None
    comparison_caption(data)
    compared(
        MARKETING_FIGURES,
        data.frames["marketing_headline"],
        year_history=year_history(data),
        days=days,
    )
    compared(
        ATTRIBUTED_FIGURES,
        data.frames["attributed_headline"],
        currency=currency,
        year_history=year_history(data),
        days=days,
    )
    st.caption(
        "Campaigns by send day; the email open rate counts email only (SMS has no opens: n/a). "
        "Attributed figures by Klaviyo's own attribution, on the order's day."
    )
    chart(
        "Attributed revenue (Klaviyo) by day, against the previous range",
        data,
        "attributed_daily",
        lambda c: over_previous(
            c, data, "attributed_revenue", "Attributed revenue", "attribution_date"
        ),
    )
    table("Campaign performance (sent in the date range)", data, "campaigns", currency)
    table("Flow performance (all time)", data, "flows", currency)
    left, right = st.columns(2)
    with left:
        chart(
            "Attributed revenue by method, side by side",
            data,
            "attribution",
            lambda c: c.mark_bar().encode(
                x=alt.X("attribution_method:N", title=None),
                y=alt.Y("sum(attributed_revenue):Q", title="Attributed revenue"),
                color=alt.Color("sent_by:N", title=None, legend=alt.Legend(orient="bottom")),
                xOffset="sent_by:N",
                tooltip=["attribution_method", "channel", "sent_by", "attributed_orders"],
            ),
        )
    with right:
        send_times = data.frames["send_times"]
        send_times["day"] = send_times["day_of_week"].map(lambda d: DAY_NAMES[int(d) - 1])
        chart(
            "Best send times: open rate by day and hour (all time)",
            data,
            "send_times",
            lambda c: c.mark_rect().encode(
                x=alt.X("hour:O", title="Hour"),
                y=alt.Y("day:O", sort=DAY_NAMES, title=None),
                color=alt.Color("open_rate:Q", title="Open rate", scale=alt.Scale(scheme="greens")),
                tooltip=["day", "hour", "sends", alt.Tooltip("open_rate:Q", format=".1%")],
            ),
        )
