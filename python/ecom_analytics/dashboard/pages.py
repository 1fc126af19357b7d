"""The dashboard's pages: what each draws from its queries (queries.py), page by page.

A page is a list of queries, loaded together on one connection (data.load_page), and a
function that draws them. Each chart or table names the model it reads and its row count
below it, so a reader (and the browser test) sees where every figure comes from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ecom_analytics.dashboard.acquisition import ACQUISITION, draw_acquisition
from ecom_analytics.dashboard.charts import (
    chart,
    download,
    source_caption,
    streamlit,
    styled,
    table,
)
from ecom_analytics.dashboard.data import PageData, Query, week_start
from ecom_analytics.dashboard.funnel import FUNNEL, draw_funnel
from ecom_analytics.dashboard.overview import OVERVIEW
from ecom_analytics.dashboard.queries import (
    BOUNDS,
    CUSTOMERS,
    DATA_HEALTH,
    MARKETING,
    PRODUCTS,
    SALES,
)
from ecom_analytics.dashboard.sales import draw_marketing, draw_sales
from ecom_analytics.dashboard.today import TODAY, draw_today


@dataclass(frozen=True)
class Page:
    title: str
    url_path: str  # the page's address: http://localhost:8501/<url_path>; its dbt exposure's url
    icon: str
    queries: tuple[Query, ...]
    draw: Callable[[PageData], None]
    summary: str = ""  # what the page answers, one line (the Overview's links)

    @property
    def load_queries(self) -> tuple[Query, ...]:
        """Everything one load of the page runs: its own queries and the filter bounds."""
        return (*self.queries, BOUNDS)

    @property
    def models(self) -> list[str]:
        """The analytics models the page reads (its dbt exposure depends on these)."""
        return sorted({model for query in self.load_queries for model in query.models})


# --- Products ------------------------------------------------------------------------------------

FLAGS = {
    "is_top_engagement": "Top engagement",
    "is_hidden_gem": "Hidden gems",
    "is_leaky": "Leaky",
    "is_declining": "Declining",
}


def draw_products(data: PageData) -> None:
    import altair as alt

    st = streamlit()
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
                shown = flagged.drop(columns=list(FLAGS))
                st.dataframe(styled(shown), hide_index=True, width="stretch")
                source_caption(model, flagged)
                download(shown, "flags", flag)
    left, right = st.columns(2)
    with left:
        table(
            "Top products by engagement in the date range",
            data,
            "ranking",
        )
    with right:
        chart(
            f"Engagement score by week (weeks from {week_start().capitalize()}), top 5 products "
            "in the date range",
            data,
            "trends",
            lambda c: c.mark_line(point=True).encode(
                x=alt.X("engagement_week:T", title=None),
                y=alt.Y("engagement_score:Q", title="Engagement score"),
                color=alt.Color(
                    "product:N",
                    title=None,
                    legend=alt.Legend(orient="bottom", columns=2, labelLimit=0),
                ),
                tooltip=["product", "engagement_week:T", "page_views", "orders"],
            ),
        )
    draw_affinity(data)


AFFINITY_COLUMNS = [
    "sells_with",
    "orders_with_both",
    "confidence",
    "lift",
    "support",
    "related_product_orders",
]


def draw_affinity(data: PageData) -> None:
    """For a chosen product, the products bought in the same orders (the model's window)."""
    st = streamlit()
    pairs, model = data.frames["affinity"], data.models["affinity"]
    st.markdown("**What sells with a product**")
    if pairs is None or pairs.empty:
        st.info(
            f"No rows in `{model}` for these filters: no two products were bought in the "
            "same orders often enough over its window (the vars "
            "`product_affinity_window_days` and `product_affinity_min_orders`)."
        )
        return
    several_shops = pairs["source_relation"].nunique() > 1
    products = pairs.drop_duplicates(["source_relation", "product_id"])  # most ordered first
    labels = {
        (row.source_relation, row.product_id): f"{row.product}"
        + (f" ({row.source_relation})" if several_shops else "")
        + f" · {row.product_orders:,} orders"
        for row in products.itertuples()
    }
    shop, product = st.selectbox(
        "Product", list(labels), format_func=labels.__getitem__, key="affinity_product"
    )
    chosen = pairs[(pairs["source_relation"] == shop) & (pairs["product_id"] == product)]
    shown = chosen[AFFINITY_COLUMNS].sort_values(
        ["confidence", "lift"], ascending=False, kind="stable"
    )
    st.dataframe(styled(shown), hide_index=True, width="stretch")
    first, last = chosen["window_start_date"].iloc[0], chosen["window_end_date"].iloc[0]
    st.caption(
        f"Orders from {str(first)[:10]} to {str(last)[:10]} (the var "
        "`product_affinity_window_days`). Confidence: the share of the chosen product's "
        "orders that also hold the other product; lift: how much more often the two sell "
        "together than chance would have it (above 1: more often); support: the share of all "
        "the shop's orders holding both."
    )
    source_caption(model, chosen)
    download(chosen, "affinity", "affinity")


# --- Customers -----------------------------------------------------------------------------------

LIFECYCLE_ORDER = ["never_purchased", "new", "active", "at_risk", "churned"]


def draw_customers(data: PageData) -> None:
    import altair as alt

    st = streamlit()
    table("Who to contact: high lifetime value, at risk", data, "contact")
    st.caption(
        "The rule: Shopify's RFM segment `at_risk` (bought often or much, but not recently "
        "against other customers) and lifetime net sales in the top fifth of Shopify "
        "customers, highest value first; all shops and accounts. Beside it, Klaviyo's own "
        "signals, which measure other things: its lifecycle stage counts days since the last "
        "order against fixed thresholds, its churn probability is its predictive model."
    )
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

STATUS_COLOURS = {"fresh": "#2e7d32", "late": "#f9a825", "stale": "#c62828"}


def draw_data_health(data: PageData) -> None:
    import altair as alt

    st = streamlit()
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
        column_config={"Status": st.column_config.TextColumn(width="small")},
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


# The report pages, each a dbt exposure, in the order of the navigation.
PAGES = (
    Page(
        "Sales", "sales", ":material/payments:", SALES, draw_sales,
        "Net sales, orders, AOV, returns; new against returning customers",
    ),
    Page(
        "Marketing", "marketing", ":material/campaign:", MARKETING, draw_marketing,
        "Klaviyo campaigns and flows, attributed revenue, best send times",
    ),
    Page(
        "Acquisition", "acquisition", ":material/travel_explore:", ACQUISITION, draw_acquisition,
        "Sessions, engagement and conversion by channel, source / medium and device; Shopify "
        "orders by channel",
    ),
    Page(
        "Funnel", "funnel", ":material/filter_alt:", FUNNEL, draw_funnel,
        "Product views to purchases by channel and device, items, list positions, abandoned "
        "carts; how much GA4 saw",
    ),
    Page(
        "Products", "products", ":material/inventory_2:", PRODUCTS, draw_products,
        "Top engagement, hidden gems, leaky and declining products; what sells together",
    ),
    Page(
        "Customers", "customers", ":material/groups:", CUSTOMERS, draw_customers,
        "Lifecycle stages, RFM segments, cohort retention",
    ),
    Page(
        "Data health", "data-health", ":material/monitor_heart:", DATA_HEALTH, draw_data_health,
        "Freshness of every raw table, data-quality counts",
    ),
)  # fmt: skip
TODAY_PAGE = Page(
    "Today", "today", ":material/schedule:", TODAY, draw_today,
    "The last 24 hours hour by hour, refreshed live; the latest orders",
)  # fmt: skip
# The Overview draws itself (app.py: it links to the other pages).
OVERVIEW_PAGE = Page("Overview", "overview", ":material/home:", OVERVIEW, lambda data: None)
ALL_PAGES = (OVERVIEW_PAGE, TODAY_PAGE, *PAGES)
# The navigation: sections and the url paths of their pages (the Overview comes first).
SECTIONS = {
    "": ("today",),
    "Reports": ("sales", "marketing", "acquisition", "funnel", "products", "customers"),
    "Operations": ("data-health",),
}
