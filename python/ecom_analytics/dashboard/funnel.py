"""The Funnel page: where shoppers drop out between a product view and a purchase, from GA4's
BigQuery export (`analytics_ga4`), with GA4's purchase coverage beside every GA4 conversion
figure (consent banners and blockers hide a share of purchases from GA4, so its conversion
rates read low by that share).

The closed funnel counts a session at a step only when it reached every earlier step first, in
order by event time; the open funnel counts every session that reached the step at all. A brand
without the export (its models hold no rows) sees a note saying so instead of empty charts.
"""

from __future__ import annotations

from typing import Any

from ecom_analytics.dashboard.charts import Figure, chart, compared, streamlit, table
from ecom_analytics.dashboard.data import PageData, Query
from ecom_analytics.dashboard.formats import count, percent
from ecom_analytics.dashboard.queries import CURRENCIES, SHOP_CURRENCIES
from ecom_analytics.dashboard.sales import (
    compared_per_currency,
    comparison_caption,
    partial_opacity,
    single_currency,
)

SESSION_FUNNEL = "analytics_ga4.ga4_session_funnel_daily"
ITEM_FUNNEL = "analytics_ga4.ga4_item_funnel_daily"
LIST_PERFORMANCE = "analytics_ga4.ga4_item_list_performance"
CART_ABANDONMENT = "analytics_ga4.ga4_cart_abandonment_daily"
COVERAGE = "analytics_cross_source.ga4_purchase_coverage"

# The funnel's steps in order: (the step's event, its label on the page).
STEPS = (
    ("view_item", "Product view"),
    ("add_to_cart", "Cart"),
    ("begin_checkout", "Checkout"),
    ("add_payment_info", "Payment info"),
    ("purchase", "Purchase"),
)
STEP_LABELS = ["Sessions", *(label for _, label in STEPS)]


def _open(step: str) -> str:
    """The column of sessions that reached `step` at all (the open funnel)."""
    return f"{step}_sessions_open"


def _closed(step: str) -> str:
    """The column of sessions that reached `step` after every earlier step, in order."""
    return f"{step}_sessions_closed"


def _steps(group: str = "") -> str:
    """Per `group` (or over all sessions), one row per step: the sessions reaching it, open
    (at all) and closed (after every earlier step), and the share of the sessions they are
    (a closed step's share is the conversion to it)."""
    steps = ", ".join(
        f"({number}, '{label}', {_open(step)}, {_closed(step)})"
        for number, (step, label) in enumerate(STEPS, start=2)
    )
    sums = ", ".join(
        f"sum({column}) as {column}" for step, _ in STEPS for column in (_open(step), _closed(step))
    )
    select, group_by, order_by = (
        (f"{group}, ", f"group by {group}", f"sessions desc, {group}, ") if group else ("", "", "")
    )
    return f"""
        with sessions_reaching as (
            select
                {select}sum(sessions) as sessions,
                {sums}
            from {SESSION_FUNNEL}
            where {{ga4_export}} and {{dates:session_date}}
            {group_by}
        )
        select
            {select}step.1 as step_number,
            step.2 as step,
            sessions,
            step.3 as open_sessions,
            step.4 as closed_sessions,
            step.4 / nullIf(sessions, 0) as closed_conversion_rate,
            step.3 / nullIf(sessions, 0) as open_conversion_rate
        from sessions_reaching
        array join [(1, 'Sessions', sessions, sessions), {steps}] as step
        where sessions > 0
        order by {order_by}step_number
    """


# Shopify web orders against GA4's purchase transactions, per shop currency (money is).
_COVERAGE_MEASURES = f"""
        shop_currencies.currency as currency,
        sum(shopify_web_orders) as shopify_web_orders,
        sum(matched_orders) as matched_orders,
        sum(matched_orders) / nullIf(sum(shopify_web_orders), 0) as coverage_rate,
        sum(shopify_orders_unseen_by_ga4) as shopify_orders_unseen_by_ga4,
        sum(ga4_transactions_without_order) as ga4_transactions_without_order,
        sum(matched_shopify_revenue) as matched_shopify_revenue,
        sum(unseen_shopify_revenue) as unseen_shopify_revenue
    from {COVERAGE} as coverage
    left join shop_currencies on coverage.source_relation = shop_currencies.source_relation
"""

COVERAGE_HEADLINE = Query(
    "coverage_headline",
    (COVERAGE, "analytics_shopify.int_shopify__order_sales"),
    f"""
    with {SHOP_CURRENCIES}
    select
        {{period:coverage_date}} as period,
        {_COVERAGE_MEASURES}
    where {{shopify:coverage.source_relation}} and {{compared:coverage_date}}
    group by period, currency
    order by currency, period
    """,
)

FUNNEL_HEADLINE = Query(
    "funnel_headline",
    (SESSION_FUNNEL,),
    f"""
    select
        {{period:session_date}} as period,
        sum(sessions) as sessions,
        sum({_closed("view_item")}) as product_view_sessions,
        sum({_closed("add_to_cart")}) as cart_sessions,
        sum({_closed("purchase")}) as purchase_sessions,
        sum({_closed("add_to_cart")}) / nullIf(sum(sessions), 0) as cart_rate,
        sum({_closed("purchase")}) / nullIf(sum(sessions), 0) as conversion_rate
    from {SESSION_FUNNEL}
    where {{ga4_export}} and {{compared:session_date}}
    group by period
    """,
)

ABANDONMENT_HEADLINE = Query(
    "abandonment_headline",
    (CART_ABANDONMENT,),
    f"""
    select
        {{period:session_date}} as period,
        sum(abandoned_sessions) as abandoned_sessions,
        sum(abandoned_sessions) / nullIf(sum(cart_sessions), 0) as abandonment_rate,
        sum(recovered_sessions) / nullIf(sum(abandoned_sessions), 0) as recovery_rate
    from {CART_ABANDONMENT}
    where {{ga4_export}} and {{compared:session_date}}
    group by period
    """,
)

FUNNEL = (
    Query(
        "export",
        (SESSION_FUNNEL,),
        f"""
        select
            sum(sessions) as sessions,
            if(count() > 0, min(session_date), null) as first_day
        from {SESSION_FUNNEL}
        where {{ga4_export}}
        """,
    ),
    FUNNEL_HEADLINE,
    ABANDONMENT_HEADLINE,
    COVERAGE_HEADLINE,
    Query("steps", (SESSION_FUNNEL,), _steps()),
    Query("by_channel", (SESSION_FUNNEL,), _steps("default_channel_group")),
    Query("by_device", (SESSION_FUNNEL,), _steps("device_category")),
    Query(
        "items",
        (ITEM_FUNNEL,),
        f"""
        select
            any(item_name) as item_name,
            sum(list_impressions) as list_impressions,
            sum(listed_clicked_sessions) / nullIf(sum(listed_sessions), 0) as list_ctr,
            sum(item_views) as item_views,
            sum(viewed_carted_sessions) / nullIf(sum(viewed_sessions), 0) as view_to_cart_rate,
            sum(viewed_purchased_sessions) / nullIf(sum(viewed_sessions), 0)
                as view_to_purchase_rate,
            sum(item_revenue) as item_revenue,
            sum(add_to_carts) as add_to_carts,
            sum(purchases) as purchases,
            sum(units_purchased) as units_purchased,
            sum(carted_purchased_sessions) / nullIf(sum(carted_sessions), 0)
                as cart_to_purchase_rate,
            item_id
        from {ITEM_FUNNEL}
        where {{ga4_export}} and {{dates:activity_date}}
        group by item_id
        order by sum(item_revenue) desc, sum(item_views) desc, item_id
        """,
    ),
    Query(
        "list_positions",
        (LIST_PERFORMANCE,),
        f"""
        select
            item_list_name,
            item_list_index,
            sum(impressions) as impressions,
            sum(clicks) as clicks,
            sum(clicked_impression_sessions) / nullIf(sum(impression_sessions), 0) as ctr,
            sum(add_to_carts) as add_to_carts,
            sum(purchases) as purchases
        from {LIST_PERFORMANCE}
        where {{ga4_export}} and {{dates:activity_date}}
        group by item_list_name, item_list_index
        order by item_list_name, item_list_index
        """,
    ),
    # Shopify's abandoned checkouts: a figure per property (its shop's) and day, repeated on
    # each channel and device row of it: read once per property and day, then summed.
    Query(
        "abandonment",
        (CART_ABANDONMENT,),
        f"""
        select
            session_date,
            sum(cart_sessions) as cart_sessions,
            sum(abandoned_sessions) as abandoned_sessions,
            sum(abandoned_sessions) / nullIf(sum(cart_sessions), 0) as abandonment_rate,
            sum(abandoned_cart_value) as abandoned_cart_value,
            sum(recovered_sessions) as recovered_sessions,
            sum(property_checkouts) as shopify_abandoned_checkouts,
            session_date >= %(today)s as is_partial
        from (
            select
                session_date,
                sum(cart_sessions) as cart_sessions,
                sum(abandoned_sessions) as abandoned_sessions,
                sum(abandoned_cart_value) as abandoned_cart_value,
                sum(recovered_sessions) as recovered_sessions,
                any(shopify_abandoned_checkouts) as property_checkouts
            from {CART_ABANDONMENT}
            where {{ga4_export}} and {{dates:session_date}}
            group by source_relation, property_id, session_date
        )
        group by session_date
        order by session_date
        """,
    ),
    Query(
        "coverage_daily",
        (COVERAGE, "analytics_shopify.int_shopify__order_sales"),
        f"""
        with {SHOP_CURRENCIES}
        select
            coverage_date,
            {_COVERAGE_MEASURES}
        where {{shopify:coverage.source_relation}} and {{dates:coverage_date}}
        group by coverage_date, currency
        order by coverage_date, currency
        """,
    ),
    CURRENCIES,
)

FUNNEL_FIGURES = [
    Figure("Sessions", "sessions", "count"),
    Figure("Sessions that viewed a product", "product_view_sessions", "count"),
    Figure("Sessions that added to cart", "cart_sessions", "count"),
    Figure("Sessions that purchased", "purchase_sessions", "count"),
    Figure("Cart rate (GA4)", "cart_rate", "rate"),
    Figure("Conversion rate (GA4)", "conversion_rate", "rate"),
]
ABANDONMENT_FIGURES = [
    Figure("Abandoned cart sessions (GA4)", "abandoned_sessions", "count", rise_is_good=False),
    Figure("Cart abandonment rate (GA4)", "abandonment_rate", "rate", rise_is_good=False),
    Figure("Abandoned carts recovered", "recovery_rate", "rate"),
]
COVERAGE_FIGURES = [
    Figure("GA4 purchase coverage", "coverage_rate", "rate"),
    Figure("Shopify web orders", "shopify_web_orders", "count"),
    Figure("Web orders GA4 never saw", "shopify_orders_unseen_by_ga4", "count", False),
    Figure("Web sales GA4 never saw", "unseen_shopify_revenue", "money", False),
]


def coverage_sentence(data: PageData) -> str:
    """How much of Shopify's web orders GA4 saw in the range: "GA4 saw 84% of Shopify's web
    orders (1,234 of 1,469) in this range"; every GA4 conversion figure reads with it."""
    rows = data.frames["coverage_headline"]
    current = rows[rows["period"] == "current"] if rows is not None else rows
    if current is None or current.empty or not current["shopify_web_orders"].sum():
        return "No Shopify web orders in this range to measure GA4's purchase coverage with"
    orders, seen = current["shopify_web_orders"].sum(), current["matched_orders"].sum()
    return (
        f"GA4 saw {percent(seen / orders)} of Shopify's web orders ({count(seen)} of "
        f"{count(orders)}) in this range"
    )


def _coverage_caption(data: PageData) -> None:
    """The coverage under a chart or table of GA4 conversions."""
    streamlit().caption(f":material/visibility: {coverage_sentence(data)}.")


def ga4_year_history(data: PageData, name: str = "export") -> bool:
    """Whether the export (or the query `name`'s GA4 data) reaches back to the same range a
    year earlier."""
    periods, first = data.filters.periods, data.frames[name]["first_day"].iloc[0]
    has_first = first is not None and first == first  # not NaT: the export has days
    return bool(periods and has_first and str(first)[:10] <= str(periods.year_earlier[0]))


def draw_funnel(data: PageData) -> None:
    st = streamlit()
    export = data.frames["export"]
    if export.empty or not export["sessions"].fillna(0).sum():
        st.info(
            "**No GA4 BigQuery export for these properties.** The Funnel page reads GA4's "
            "event export (the raw databases of the var `ga4_export_raw_databases`), which "
            "holds each product view, cart and checkout step; GA4's Data API reports do not. "
            "Once the export is loaded and `dbt build` has run, the funnel, the item table, "
            "list positions, cart abandonment and GA4's purchase coverage show here.",
            icon=":material/info:",
        )
        return
    periods = data.filters.periods
    days = periods.days if periods else None
    history = ga4_year_history(data)
    comparison_caption(data)
    st.info(
        f"{coverage_sentence(data)}: read GA4's conversion figures with that coverage (consent "
        "banners and blockers hide the rest from GA4).",
        icon=":material/visibility:",
    )
    compared(FUNNEL_FIGURES, data.frames["funnel_headline"], year_history=history, days=days)
    compared(
        ABANDONMENT_FIGURES, data.frames["abandonment_headline"], year_history=history, days=days
    )
    st.caption(
        "Sessions counted at a step reached it after every earlier step, in order (the closed "
        "funnel); conversion rate: sessions that purchased / sessions."
    )
    st.markdown("**GA4 purchase coverage: Shopify's web orders GA4 saw**")
    compared_per_currency(data, "coverage_headline", COVERAGE_FIGURES, history=history)
    _funnels(data)
    _items_and_lists(data)
    _abandonment_and_coverage(data)


def _funnels(data: PageData) -> None:
    import altair as alt

    st = streamlit()
    chart(
        "The closed funnel: sessions reaching each step after every earlier one",
        data,
        "steps",
        lambda c: alt.layer(
            c.mark_bar(color="#9ecae1").encode(
                y=alt.Y("step:N", sort=STEP_LABELS, title=None, axis=alt.Axis(labelLimit=0)),
                x=alt.X("open_sessions:Q", title="Sessions (pale: open funnel)"),
                tooltip=_step_tooltip(),
            ),
            c.mark_bar(color="#2171b5", height=12).encode(
                y=alt.Y("step:N", sort=STEP_LABELS), x="closed_sessions:Q", tooltip=_step_tooltip()
            ),
        ),
    )
    _coverage_caption(data)
    left, right = st.columns(2)
    for column, name, group, title in (
        (left, "by_channel", "default_channel_group", "channel"),
        (right, "by_device", "device_category", "device"),
    ):
        with column:
            chart(
                f"The closed funnel by {title}: share of sessions reaching each step",
                data,
                name,
                lambda c, group=group: c.mark_line(point=True).encode(
                    x=alt.X("step:N", sort=STEP_LABELS, title=None, axis=alt.Axis(labelAngle=0)),
                    y=alt.Y(
                        "closed_conversion_rate:Q",
                        title="Share of sessions",
                        axis=alt.Axis(format="%"),
                    ),
                    color=alt.Color(
                        f"{group}:N", title=None, legend=alt.Legend(orient="bottom", columns=3)
                    ),
                    tooltip=[
                        group,
                        "step",
                        "sessions",
                        "closed_sessions",
                        alt.Tooltip("closed_conversion_rate:Q", format=".2%"),
                    ],
                ),
            )
            _coverage_caption(data)


def _step_tooltip() -> list[Any]:
    import altair as alt

    return [
        "step",
        alt.Tooltip("open_sessions:Q", title="open funnel", format=","),
        alt.Tooltip("closed_sessions:Q", title="closed funnel", format=","),
        alt.Tooltip("closed_conversion_rate:Q", title="of sessions (closed)", format=".2%"),
    ]


def _items_and_lists(data: PageData) -> None:
    import altair as alt

    table(
        "Items: list impressions, clicks, views, carts and purchases (click a header to sort)",
        data,
        "items",
        single_currency(data),
    )
    _coverage_caption(data)
    chart(
        "Item-list click-through rate by position",
        data,
        "list_positions",
        lambda c: (
            c.transform_filter("isValid(datum.item_list_index)")
            .mark_line(point=True)
            .encode(
                x=alt.X("item_list_index:O", title="Position in the list"),
                y=alt.Y("ctr:Q", title="Click-through rate", axis=alt.Axis(format="%")),
                color=alt.Color(
                    "item_list_name:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=0)
                ),
                tooltip=[
                    "item_list_name",
                    "item_list_index",
                    "impressions",
                    "clicks",
                    alt.Tooltip("ctr:Q", format=".1%"),
                    "add_to_carts",
                    "purchases",
                ],
            )
        ),
    )
    streamlit().caption(
        "Click-through rate: the share of sessions shown an item at that position that clicked "
        "it. Items listed without a position are in the CSV, not in the chart."
    )


def _abandonment_and_coverage(data: PageData) -> None:
    import altair as alt

    left, right = streamlit().columns(2)
    with left:
        chart(
            "Cart abandonment by day: GA4 carts not bought in the session, Shopify's "
            "abandoned checkouts (gray)",
            data,
            "abandonment",
            lambda c: alt.layer(
                c.mark_bar().encode(
                    x=alt.X("session_date:T", title=None),
                    y=alt.Y("abandoned_sessions:Q", title="Abandoned cart sessions (GA4)"),
                    opacity=partial_opacity(),
                    tooltip=[
                        "session_date:T",
                        "cart_sessions",
                        "abandoned_sessions",
                        alt.Tooltip("abandonment_rate:Q", format=".1%"),
                        "recovered_sessions",
                        alt.Tooltip("abandoned_cart_value:Q", format=",.2f"),
                        "shopify_abandoned_checkouts",
                    ],
                ),
                c.mark_line(color="gray", point=True).encode(
                    x="session_date:T", y="shopify_abandoned_checkouts:Q"
                ),
            ),
        )
        _coverage_caption(data)
    with right:
        chart(
            "GA4 purchase coverage by day: share of Shopify's web orders GA4 saw",
            data,
            "coverage_daily",
            lambda c: c.mark_line(point=True).encode(
                x=alt.X("coverage_date:T", title=None),
                y=alt.Y(
                    "coverage_rate:Q",
                    title="Coverage",
                    axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1]),
                ),
                color=alt.Color("currency:N", title="Shops in"),
                tooltip=[
                    "coverage_date:T",
                    "currency",
                    "shopify_web_orders",
                    "matched_orders",
                    alt.Tooltip("coverage_rate:Q", format=".1%"),
                    "ga4_transactions_without_order",
                ],
            ),
        )
