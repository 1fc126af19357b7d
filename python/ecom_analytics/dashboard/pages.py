"""The dashboard's pages: the queries each runs (over analytics models only) and what it draws.

A page is a list of queries, loaded together on one connection (data.load_page), and a
function that draws them. Each chart or table names the model it reads and its row count
below it, so a reader (and the browser test) sees where every figure comes from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ecom_analytics.dashboard.data import PageData, Query

DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

# Every page load also reads the date filter's bounds: the days the sales ledger covers.
BOUNDS = Query(
    "bounds",
    ("shopify_analytics.shopify_daily_sales",),
    "select min(sales_date) as first_day, max(sales_date) as last_day "
    "from shopify_analytics.shopify_daily_sales",
)


@dataclass(frozen=True)
class Page:
    title: str
    url_path: str  # the page's address: http://localhost:8501/<url_path>; its dbt exposure's url
    icon: str
    queries: tuple[Query, ...]
    draw: Callable[[PageData], None]

    @property
    def load_queries(self) -> tuple[Query, ...]:
        """Everything one load of the page runs: its own queries and the filter bounds."""
        return (*self.queries, BOUNDS)

    @property
    def models(self) -> list[str]:
        """The analytics models the page reads (its dbt exposure depends on these)."""
        return sorted({model for query in self.load_queries for model in query.models})


# --- drawing helpers -----------------------------------------------------------------------------


def _st():
    import streamlit as st

    return st


def _source_caption(model: str, frame: Any) -> None:
    _st().caption(f"from `{model}` · {len(frame)} rows")


def chart(title: str, data: PageData, name: str, build: Callable[[Any], Any]) -> None:
    """An Altair chart of the query `name`'s rows built by `build(alt.Chart)`, with its source
    below; a clear note instead when the filters leave no rows."""
    import altair as alt

    st = _st()
    frame, model = data.frames[name], data.models[name]
    st.markdown(f"**{title}**")
    if frame.empty:
        st.info(f"No rows in `{model}` for these filters.")
        return
    st.altair_chart(build(alt.Chart(frame)), width="stretch")
    _source_caption(model, frame)


def table(title: str, data: PageData, name: str, **options: Any) -> None:
    """The query `name`'s rows as a table, with its source below."""
    st = _st()
    frame, model = data.frames[name], data.models[name]
    st.markdown(f"**{title}**")
    if frame.empty:
        st.info(f"No rows in `{model}` for these filters.")
        return
    st.dataframe(frame, hide_index=True, width="stretch", **options)
    _source_caption(model, frame)


def _metric(column: Any, label: str, value: Any, fmt: str = "{:,.2f}") -> None:
    column.metric(label, "–" if value is None or value != value else fmt.format(value))


# --- Sales ---------------------------------------------------------------------------------------

SALES = (
    Query(
        "daily",
        ("shopify_analytics.shopify_daily_sales",),
        """
        select
            sales_date,
            sum(orders) as orders,
            sum(net_sales) as net_sales,
            sum(gross_sales) as gross_sales,
            sum(returns) as returns,
            sum(units_returned) as units_returned,
            sum(average_order_value * orders) / nullIf(sum(orders), 0) as average_order_value,
            sum(new_customer_orders) as new_customer_orders,
            sum(returning_customer_orders) as returning_customer_orders
        from shopify_analytics.shopify_daily_sales
        where {shopify} and {dates:sales_date}
        group by sales_date
        order by sales_date
        """,
    ),
    Query(
        "monthly",
        ("shopify_analytics.shopify_monthly_sales",),
        """
        select
            sales_month,
            sum(orders) as orders,
            sum(net_sales) as net_sales,
            sum(returns) as returns,
            sum(average_order_value * orders) / nullIf(sum(orders), 0) as average_order_value
        from shopify_analytics.shopify_monthly_sales
        where {shopify} and sales_month between toStartOfMonth(toDate(%(start)s)) and %(end)s
        group by sales_month
        order by sales_month
        """,
    ),
)


def draw_sales(data: PageData) -> None:
    import altair as alt

    st = _st()
    daily = data.frames["daily"]
    orders = daily["orders"].sum()
    kpis = st.columns(4)
    _metric(kpis[0], "Net sales", daily["net_sales"].sum())
    _metric(kpis[1], "Orders", orders, "{:,.0f}")
    aov = (
        (daily["average_order_value"].fillna(0) * daily["orders"]).sum() / orders
        if orders
        else None
    )
    _metric(kpis[2], "Average order value", aov)
    _metric(kpis[3], "Returns", daily["returns"].sum())

    left, right = st.columns(2)
    with left:
        chart(
            "Net sales and orders by day",
            data,
            "daily",
            lambda c: alt.layer(
                c.mark_line().encode(
                    x=alt.X("sales_date:T", title=None),
                    y=alt.Y("net_sales:Q", title="Net sales"),
                ),
                c.mark_line(opacity=0.5, color="gray").encode(
                    x="sales_date:T", y=alt.Y("orders:Q", title="Orders (gray)")
                ),
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
                    y=alt.Y("net_sales:Q", title="Net sales"),
                ),
                c.mark_line(point=True, color="orange").encode(
                    x="yearmonth(sales_month):O",
                    y=alt.Y("average_order_value:Q", title="AOV"),
                ),
            ).resolve_scale(y="independent"),
        )
    left, right = st.columns(2)
    with left:
        chart(
            "New against returning customers (orders by week)",
            data,
            "daily",
            lambda c: (
                c.transform_fold(
                    ["new_customer_orders", "returning_customer_orders"],
                    as_=["customers", "orders"],
                )
                .mark_bar()
                .encode(
                    x=alt.X("yearweek(sales_date):T", title=None),
                    y=alt.Y("sum(orders):Q", stack=True, title="Orders"),
                    color=alt.Color("customers:N", title=None, legend=alt.Legend(orient="bottom")),
                )
            ),
        )
    with right:
        chart(
            "Returns by week",
            data,
            "daily",
            lambda c: c.mark_bar(color="firebrick").encode(
                x=alt.X("yearweek(sales_date):T", title=None),
                y=alt.Y("sum(returns):Q", title="Returns"),
                tooltip=[
                    alt.Tooltip("yearweek(sales_date):T", title="week"),
                    alt.Tooltip("sum(returns):Q", title="returns", format=",.2f"),
                    alt.Tooltip("sum(units_returned):Q", title="units returned"),
                ],
            ),
        )


# --- Marketing -----------------------------------------------------------------------------------

MARKETING = (
    Query(
        "campaigns",
        ("klaviyo_analytics.klaviyo_campaign_performance",),
        """
        select
            campaign_name,
            channel,
            send_time,
            recipients,
            delivered,
            open_rate,
            click_rate,
            unsubscribe_rate,
            attributed_orders,
            attributed_revenue,
            revenue_per_recipient
        from klaviyo_analytics.klaviyo_campaign_performance
        where {klaviyo} and {dates:toDate(send_time)}
        order by send_time desc
        """,
    ),
    Query(
        "flows",
        ("klaviyo_analytics.klaviyo_flow_performance",),
        """
        select
            flow_name,
            channel,
            sum(recipients) as recipients,
            sum(delivered) as delivered,
            sum(unique_opens) / nullIf(sum(delivered), 0) as open_rate,
            sum(unique_clicks) / nullIf(sum(delivered), 0) as click_rate,
            sum(attributed_orders) as attributed_orders,
            sum(attributed_revenue) as attributed_revenue
        from klaviyo_analytics.klaviyo_flow_performance
        where {klaviyo}
        group by flow_name, channel
        order by sum(attributed_revenue) desc
        """,
    ),
    Query(
        "attribution",
        ("cross_source_analytics.marketing_attribution",),
        """
        select
            attribution_method,
            channel,
            if(campaign_id != '', 'campaign', 'flow') as sent_by,
            sum(attributed_orders) as attributed_orders,
            sum(attributed_revenue) as attributed_revenue
        from cross_source_analytics.marketing_attribution
        where {klaviyo} and {dates:attribution_date}
        group by attribution_method, channel, sent_by
        order by attribution_method, channel, sent_by
        """,
    ),
    Query(
        "send_times",
        ("klaviyo_analytics.klaviyo_hourly_engagement",),
        """
        select
            day_of_week,
            hour,
            sum(sends) as sends,
            sum(unique_opens) / nullIf(sum(sends), 0) as open_rate,
            sum(unique_clicks) / nullIf(sum(sends), 0) as click_rate
        from klaviyo_analytics.klaviyo_hourly_engagement
        where {klaviyo}
        group by day_of_week, hour
        order by day_of_week, hour
        """,
    ),
)


def draw_marketing(data: PageData) -> None:
    import altair as alt

    st = _st()
    percent = st.column_config.NumberColumn(format="percent")
    money = st.column_config.NumberColumn(format="%.2f")
    rates = {
        "open_rate": percent,
        "click_rate": percent,
        "unsubscribe_rate": percent,
        "attributed_revenue": money,
        "revenue_per_recipient": money,
    }
    table(
        "Campaign performance (sent in the date range)",
        data,
        "campaigns",
        column_config=rates,
    )
    table(
        "Flow performance (all time)",
        data,
        "flows",
        column_config=rates,
    )
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


# --- Products ------------------------------------------------------------------------------------

# The page-view handle of each product, from shop_page_performance (product_engagement has ids).
_PRODUCT_NAMES = """
    product_names as (
        select product_id, any(product_handle) as product
        from cross_source_analytics.shop_page_performance
        where is_product_page and product_id is not null
        group by product_id
    )
"""

PRODUCTS = (
    Query(
        "flags",
        (
            "cross_source_analytics.product_engagement",
            "cross_source_analytics.shop_page_performance",
        ),
        f"""
        with {_PRODUCT_NAMES},
        products as (
            select
                product_id,
                any(engagement_rank) as engagement_rank,
                any(window_page_views) as window_page_views,
                any(window_orders) as window_orders,
                any(window_view_to_order_rate) as window_view_to_order_rate,
                any(window_net_revenue) as window_net_revenue,
                any(previous_window_net_revenue) as previous_window_net_revenue,
                toBool(max(is_top_engagement)) as is_top_engagement,
                toBool(max(is_hidden_gem)) as is_hidden_gem,
                toBool(max(is_leaky)) as is_leaky,
                toBool(max(is_declining)) as is_declining
            from cross_source_analytics.product_engagement
            where {{shopify}}
            group by product_id
            having
                max(is_top_engagement) or max(is_hidden_gem) or max(is_leaky) or max(is_declining)
        )
        select
            products.product_id as product_id,
            coalesce(product_names.product, toString(products.product_id)) as product,
            products.* except (product_id)
        from products
        left join product_names on products.product_id = product_names.product_id
        order by engagement_rank
        settings join_use_nulls = 1
        """,
    ),
    Query(
        "ranking",
        (
            "cross_source_analytics.product_engagement",
            "cross_source_analytics.shop_page_performance",
        ),
        f"""
        with {_PRODUCT_NAMES},
        products as (
            select
                product_id,
                sum(engagement_score) as engagement_score,
                sum(page_views) as page_views,
                sum(checkouts) as checkouts,
                sum(orders) as orders,
                sum(orders) / nullIf(sum(page_views), 0) as view_to_order_rate,
                sum(net_revenue) as net_revenue
            from cross_source_analytics.product_engagement
            where {{shopify}} and {{dates:engagement_date}}
            group by product_id
            order by sum(engagement_score) desc
            limit 10
        )
        select
            products.product_id as product_id,
            coalesce(product_names.product, toString(products.product_id)) as product,
            products.* except (product_id)
        from products
        left join product_names on products.product_id = product_names.product_id
        order by engagement_score desc
        settings join_use_nulls = 1
        """,
    ),
    Query(
        "trends",
        (
            "cross_source_analytics.product_engagement",
            "cross_source_analytics.shop_page_performance",
        ),
        f"""
        with {_PRODUCT_NAMES},
        top_products as (
            select product_id
            from cross_source_analytics.product_engagement
            where {{shopify}} and {{dates:engagement_date}}
            group by product_id
            order by sum(engagement_score) desc
            limit 5
        )
        select
            toStartOfWeek(engagement.engagement_date, 1) as engagement_week,
            coalesce(any(product_names.product), toString(engagement.product_id)) as product,
            sum(engagement.engagement_score) as engagement_score,
            sum(engagement.page_views) as page_views,
            sum(engagement.orders) as orders
        from cross_source_analytics.product_engagement as engagement
        left join product_names on engagement.product_id = product_names.product_id
        where
            {{shopify:engagement.source_relation}}
            and {{dates:engagement.engagement_date}}
            and engagement.product_id in (select product_id from top_products)
        group by engagement_week, engagement.product_id
        order by engagement_week, engagement.product_id
        settings join_use_nulls = 1
        """,
    ),
    Query(
        "window",
        ("cross_source_analytics.product_engagement",),
        """
        select
            max(engagement_date) as last_engagement_date,
            today() as today
        from cross_source_analytics.product_engagement
        where {shopify}
        """,
    ),
)

FLAGS = {
    "is_top_engagement": "Top engagement",
    "is_hidden_gem": "Hidden gems",
    "is_leaky": "Leaky",
    "is_declining": "Declining",
}


def draw_products(data: PageData) -> None:
    import altair as alt

    st = _st()
    model = data.models["flags"]
    flags, window = data.frames["flags"], data.frames["window"]
    last, today = window["last_engagement_date"].iloc[0], window["today"].iloc[0]
    st.markdown(
        "**Flags** over the last 30 days ending today "
        "(`product_engagement_window_days`), as the model computes them."
    )
    if last is not None and last == last and str(last)[:10] < str(today)[:10]:
        st.caption(
            f"The data ends on {str(last)[:10]}, before today ({str(today)[:10]}): window "
            "figures are empty or partial. The ranking and trend lines below use the date range."
        )
    counts = st.columns(len(FLAGS))
    for column, (flag, label) in zip(counts, FLAGS.items(), strict=True):
        column.metric(label, int(flags[flag].sum()) if not flags.empty else 0)
    tabs = st.tabs(list(FLAGS.values()))
    for tab, flag in zip(tabs, FLAGS, strict=True):
        with tab:
            flagged = flags[flags[flag]] if not flags.empty else flags
            if flagged.empty:
                st.info("No product carries this flag over the current window.")
            else:
                st.dataframe(flagged.drop(columns=list(FLAGS)), hide_index=True, width="stretch")
                _source_caption(model, flagged)
    left, right = st.columns(2)
    with left:
        table(
            "Top products by engagement in the date range",
            data,
            "ranking",
            column_config={
                "view_to_order_rate": st.column_config.NumberColumn(format="percent"),
                "net_revenue": st.column_config.NumberColumn(format="%.2f"),
            },
        )
    with right:
        chart(
            "Engagement score by week, top 5 products in the date range",
            data,
            "trends",
            lambda c: c.mark_line(point=True).encode(
                x=alt.X("engagement_week:T", title=None),
                y=alt.Y("engagement_score:Q", title="Engagement score"),
                color=alt.Color("product:N", title=None, legend=alt.Legend(orient="bottom")),
                tooltip=["product", "engagement_week:T", "page_views", "orders"],
            ),
        )


# --- Customers -----------------------------------------------------------------------------------

CUSTOMERS = (
    Query(
        "lifecycle",
        ("klaviyo_analytics.klaviyo_customer_lifecycle",),
        """
        select lifecycle_stage, count() as profiles, sum(historic_revenue) as historic_revenue
        from klaviyo_analytics.klaviyo_customer_lifecycle
        where {klaviyo}
        group by lifecycle_stage
        order by profiles desc
        """,
    ),
    Query(
        "rfm",
        ("shopify_analytics.shopify_customer_value",),
        """
        select
            rfm_segment,
            count() as customers,
            sum(lifetime_net_sales) as lifetime_net_sales,
            avg(orders) as average_orders
        from shopify_analytics.shopify_customer_value
        where {shopify}
        group by rfm_segment
        order by customers desc
        """,
    ),
    Query(
        "cohorts",
        ("shopify_analytics.shopify_customer_cohorts",),
        """
        select
            cohort_month,
            months_since_first_order,
            sum(cohort_size) as cohort_size,
            sum(active_customers) as active_customers,
            sum(active_customers) / nullIf(sum(cohort_size), 0) as retention_rate
        from shopify_analytics.shopify_customer_cohorts
        where {shopify} and cohort_month between toStartOfMonth(toDate(%(start)s)) and %(end)s
        group by cohort_month, months_since_first_order
        order by cohort_month, months_since_first_order
        """,
    ),
)

LIFECYCLE_ORDER = ["never_purchased", "new", "active", "at_risk", "churned"]


def draw_customers(data: PageData) -> None:
    import altair as alt

    st = _st()
    left, right = st.columns(2)
    with left:
        chart(
            "Klaviyo profiles by lifecycle stage",
            data,
            "lifecycle",
            lambda c: c.mark_bar().encode(
                x=alt.X(
                    "lifecycle_stage:N",
                    sort=LIFECYCLE_ORDER,
                    title=None,
                    axis=alt.Axis(labelAngle=0),
                ),
                y=alt.Y("profiles:Q", title="Profiles"),
                tooltip=["lifecycle_stage", "profiles", "historic_revenue"],
            ),
        )
    with right:
        chart(
            "Shopify customers by RFM segment",
            data,
            "rfm",
            lambda c: c.mark_bar().encode(
                y=alt.Y("rfm_segment:N", sort="-x", title=None),
                x=alt.X("customers:Q", title="Customers"),
                tooltip=["rfm_segment", "customers", "lifetime_net_sales", "average_orders"],
            ),
        )
    chart(
        "Cohort retention: share of each first-order month's customers ordering again",
        data,
        "cohorts",
        lambda c: c.mark_rect().encode(
            x=alt.X("months_since_first_order:O", title="Months since first order"),
            y=alt.Y("yearmonth(cohort_month):O", title="Cohort"),
            color=alt.Color("retention_rate:Q", title="Retention", scale=alt.Scale(scheme="blues")),
            tooltip=[
                alt.Tooltip("yearmonth(cohort_month):O", title="cohort"),
                "months_since_first_order",
                "cohort_size",
                "active_customers",
                alt.Tooltip("retention_rate:Q", format=".1%"),
            ],
        ),
    )


# --- Data health ---------------------------------------------------------------------------------

DATA_HEALTH = (
    Query(
        "freshness",
        ("cross_source_analytics.data_freshness",),
        """
        select source_name, source_database, source_table, status, last_loaded_at, lag_minutes,
            rows_last_24h, total_rows, warn_after_hours, error_after_hours
        from cross_source_analytics.data_freshness
        where
            (source_name != 'shopify' or {shopify:source_database})
            and (source_name != 'klaviyo' or {klaviyo:source_database})
            and (source_name != 'ga4' or {ga4:source_database})
        order by
            indexOf(['stale', 'late', 'fresh'], status), source_name, source_database, source_table
        """,
    ),
    Query(
        "quality",
        ("cross_source_analytics.data_quality_summary",),
        """
        select source_name, source_relation, curated_model, issue_kind, issue, affected_rows
        from cross_source_analytics.data_quality_summary
        where
            (source_name != 'shopify' or {shopify})
            and (source_name != 'klaviyo' or {klaviyo})
            and (source_name != 'ga4' or {ga4})
        order by affected_rows desc
        """,
    ),
)

STATUS_COLOURS = {"fresh": "#2e7d32", "late": "#f9a825", "stale": "#c62828"}


def draw_data_health(data: PageData) -> None:
    import altair as alt

    st = _st()
    freshness, quality = data.frames["freshness"], data.frames["quality"]
    counts = freshness["status"].value_counts()
    columns = st.columns(4)
    for column, status in zip(columns, STATUS_COLOURS, strict=False):
        column.metric(f"{status} raw tables", int(counts.get(status, 0)))
    columns[3].metric("Data-quality issue rows", int(quality["affected_rows"].sum()))
    chart(
        "Raw tables by freshness status, per source",
        data,
        "freshness",
        lambda c: c.mark_bar().encode(
            y=alt.Y("source_database:N", title=None),
            x=alt.X("count():Q", title="Raw tables"),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
                legend=alt.Legend(orient="bottom"),
            ),
        ),
    )
    st.caption(
        "Thresholds (hours since the newest load): the vars `freshness_warn_hours` and "
        "`freshness_error_hours`, the same `dbt source freshness` uses."
    )
    table(
        "Freshness per raw table",
        data,
        "freshness",
        column_config={"status": st.column_config.TextColumn(width="small")},
    )
    if quality.empty:
        st.markdown("**Data-quality counts of the curated layer**")
        st.success("No curated row carries a data-quality issue.")
        return
    chart(
        "Data-quality issues in the curated layer",
        data,
        "quality",
        lambda c: c.mark_bar().encode(
            y=alt.Y("issue:N", sort="-x", title=None, axis=alt.Axis(labelLimit=400)),
            x=alt.X("sum(affected_rows):Q", title="Rows"),
            color=alt.Color("curated_model:N", legend=alt.Legend(orient="bottom")),
            tooltip=["curated_model", "issue_kind", "issue", "affected_rows"],
        ),
    )
    table("Data-quality counts per curated model", data, "quality")


PAGES = (
    Page("Sales", "sales", ":material/payments:", SALES, draw_sales),
    Page("Marketing", "marketing", ":material/campaign:", MARKETING, draw_marketing),
    Page("Products", "products", ":material/inventory_2:", PRODUCTS, draw_products),
    Page("Customers", "customers", ":material/groups:", CUSTOMERS, draw_customers),
    Page("Data health", "data-health", ":material/monitor_heart:", DATA_HEALTH, draw_data_health),
)
