"""The typical dashboard query of each analytics model, in one place.

`TYPICAL_QUERIES` maps an analytics model to the question a dashboard asks it most (a month of
daily sales for one shop, the top campaigns by revenue, the flagged products, ...), written as
a plain read of the model (no FINAL, no -Merge). For a few representative models the
benchmark also answers the same question from the curated tables and from raw, which is what
the analytics layer saves every reader: `ecom bench` times all three (median of 20 runs).
Those baselines are SQL files in `ecom_analytics/bench/baselines/` (`<model>.curated.sql`,
`<model>.raw.sql`), not definitions: they call the project's macros where they need a
definition (JSON parsing, channel rules, an order's source and medium).

Queries take clickhouse-connect parameters: `shop`, `account`, `property`, `export_property`
(the source_relation of one shop, Klaviyo account, GA4 property of the Data API reports and
of the BigQuery export: their raw database names), `start` and `end`
(a date range, `end` exclusive) and `timezone` (the `reporting_timezone` var).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BASELINES = Path(__file__).parent / "bench" / "baselines"


@dataclass(frozen=True)
class TypicalQuery:
    question: str
    analytics: str
    # the same question from the curated tables and from raw: baseline SQL files of the bench
    curated: Path | None = None
    raw: Path | None = None
    # whether the three formulations give the same rows (the columns they share); not so for
    # an answer that depends on when it is read
    comparable: bool = True


def _baselines(model: str, layers: tuple[str, ...] = ("curated", "raw")) -> dict[str, Path]:
    """The curated and raw baseline files of a model (or only those of `layers`)."""
    return {layer: BASELINES / f"{model}.{layer}.sql" for layer in layers}


_SHOP = "source_relation = %(shop)s"
_ACCOUNT = "source_relation = %(account)s"
_PROPERTY = "source_relation = %(property)s"
_EXPORT_PROPERTY = "source_relation = %(export_property)s"


TYPICAL_QUERIES: dict[str, TypicalQuery] = {
    "shopify_daily_sales": TypicalQuery(
        question="a month of daily sales for one shop",
        analytics=f"""
            select sales_date, orders, net_sales, average_order_value, total_sales
            from analytics_shopify.shopify_daily_sales
            where {_SHOP} and sales_date >= %(start)s and sales_date < %(end)s
            order by sales_date
        """,
        **_baselines("shopify_daily_sales"),
    ),
    "klaviyo_campaign_performance": TypicalQuery(
        question="top 10 campaigns by attributed revenue, sent in the month",
        analytics=f"""
            select campaign_name, channel, send_time, recipients, open_rate, click_rate,
                attributed_orders, attributed_revenue
            from analytics_klaviyo.klaviyo_campaign_performance
            where {_ACCOUNT} and send_time >= %(start)s and send_time < %(end)s
            order by attributed_revenue desc, campaign_name
            limit 10
        """,
        **_baselines("klaviyo_campaign_performance"),
    ),
    "channel_revenue": TypicalQuery(
        question="a month of sessions, orders and net revenue per channel group",
        analytics="""
            select default_channel_group, sum(sessions) as sessions, sum(orders) as orders,
                sum(net_revenue) as net_revenue
            from analytics_cross_source.channel_revenue
            where revenue_date >= %(start)s and revenue_date < %(end)s
            group by default_channel_group
            order by net_revenue desc, default_channel_group
        """,
        **_baselines("channel_revenue"),
    ),
    "data_freshness": TypicalQuery(
        question="every raw table's status, worst first",
        comparable=False,
        analytics="""
            select source_name, source_table, last_loaded_at, lag_minutes, status
            from analytics_cross_source.data_freshness
            order by status = 'fresh', lag_minutes desc
        """,
        **_baselines("data_freshness"),
    ),
    "ga4_active_users": TypicalQuery(
        question="a month of DAU, WAU, MAU and stickiness for one property",
        analytics=f"""
            select activity_date, daily_active_users, weekly_active_users,
                monthly_active_users, stickiness
            from analytics_ga4.ga4_active_users
            where {_PROPERTY} and activity_date >= %(start)s and activity_date < %(end)s
            order by activity_date
        """,
        **_baselines("ga4_active_users"),
    ),
    "shopify_monthly_sales": TypicalQuery(
        question="the last twelve months of sales for one shop",
        analytics=f"""
            select sales_month, orders, net_sales, average_order_value
            from analytics_shopify.shopify_monthly_sales
            where {_SHOP} order by sales_month desc limit 12
        """,
    ),
    "shopify_hourly_orders": TypicalQuery(
        question="orders and net sales by hour over the last 7 days",
        analytics=f"""
            select order_hour, orders, net_sales
            from analytics_shopify.shopify_hourly_orders
            where {_SHOP} order by order_hour
        """,
    ),
    "shopify_customer_value": TypicalQuery(
        question="customers and lifetime net sales per RFM segment",
        analytics=f"""
            select rfm_segment, count() as customers, sum(lifetime_net_sales) as net_sales
            from analytics_shopify.shopify_customer_value
            where {_SHOP} group by rfm_segment order by net_sales desc
        """,
    ),
    "shopify_customer_cohorts": TypicalQuery(
        question="the retention heat map of one shop",
        analytics=f"""
            select cohort_month, months_since_first_order, retention_rate
            from analytics_shopify.shopify_customer_cohorts
            where {_SHOP} order by cohort_month, months_since_first_order
        """,
    ),
    "shopify_product_performance": TypicalQuery(
        question="top 20 products by net revenue in the month",
        analytics=f"""
            select product_id, sum(units) as units, sum(net_revenue) as net_revenue
            from analytics_shopify.shopify_product_performance
            where {_SHOP} and sales_date >= %(start)s and sales_date < %(end)s
            group by product_id order by net_revenue desc limit 20
        """,
    ),
    "shopify_abandoned_checkout_recovery": TypicalQuery(
        question="a month of checkout recovery for one shop",
        analytics=f"""
            select checkout_date, checkouts, recovered, recovery_rate, revenue_lost
            from analytics_shopify.shopify_abandoned_checkout_recovery
            where {_SHOP} and checkout_date >= %(start)s and checkout_date < %(end)s
            order by checkout_date
        """,
    ),
    "shopify_discount_performance": TypicalQuery(
        question="top 20 discount codes by orders",
        analytics=f"""
            select code, orders, discount_amount, net_sales, average_order_value
            from analytics_shopify.shopify_discount_performance
            where {_SHOP} order by orders desc, code limit 20
        """,
    ),
    "shopify_inventory_health": TypicalQuery(
        question="variants out of stock or with under two weeks of cover",
        analytics=f"""
            select variant_id, sku, available, days_of_cover, is_stockout
            from analytics_shopify.shopify_inventory_health
            where {_SHOP} and (is_stockout or days_of_cover < 14)
            order by days_of_cover limit 50
        """,
    ),
    "klaviyo_flow_performance": TypicalQuery(
        question="flows by attributed revenue",
        analytics=f"""
            select flow_name, channel, sum(recipients) as recipients,
                sum(attributed_revenue) as attributed_revenue
            from analytics_klaviyo.klaviyo_flow_performance
            where {_ACCOUNT} group by flow_name, channel order by attributed_revenue desc
        """,
    ),
    "marketing_attribution": TypicalQuery(
        question="the three attribution methods side by side over the month",
        analytics=f"""
            select attribution_method, channel, sum(attributed_orders) as orders,
                sum(attributed_revenue) as revenue
            from analytics_cross_source.marketing_attribution
            where {_ACCOUNT} and attribution_date >= %(start)s and attribution_date < %(end)s
            group by attribution_method, channel order by attribution_method, channel
        """,
    ),
    "klaviyo_customer_lifecycle": TypicalQuery(
        question="profiles per lifecycle stage",
        analytics=f"""
            select lifecycle_stage, count() as profiles, sum(historic_revenue) as revenue
            from analytics_klaviyo.klaviyo_customer_lifecycle
            where {_ACCOUNT} group by lifecycle_stage order by profiles desc
        """,
    ),
    "klaviyo_daily_event_summary": TypicalQuery(
        question="a month of events per metric and day",
        analytics=f"""
            select event_date, metric_name, events, unique_profiles
            from analytics_klaviyo.klaviyo_daily_event_summary
            where {_ACCOUNT} and event_date >= %(start)s and event_date < %(end)s
            order by event_date, metric_name
        """,
    ),
    "klaviyo_segment_performance": TypicalQuery(
        question="lists and segments by 30-day revenue",
        analytics=f"""
            select audience_type, audience_name, members, revenue_30d, conversion_rate_30d
            from analytics_klaviyo.klaviyo_segment_performance
            where {_ACCOUNT} order by revenue_30d desc limit 20
        """,
    ),
    "klaviyo_hourly_engagement": TypicalQuery(
        question="open and click rates by day of week and hour",
        analytics=f"""
            select day_of_week, hour, sum(sends) as sends, sum(unique_opens) as opens
            from analytics_klaviyo.klaviyo_hourly_engagement
            where {_ACCOUNT} group by day_of_week, hour order by day_of_week, hour
        """,
    ),
    "ga4_traffic_overview": TypicalQuery(
        question="a month of sessions, users and engagement for one property",
        analytics=f"""
            select activity_date, sessions, users, page_views, engagement_rate
            from analytics_ga4.ga4_traffic_overview
            where {_PROPERTY} and activity_date >= %(start)s and activity_date < %(end)s
            order by activity_date
        """,
    ),
    "ga4_sessions": TypicalQuery(
        question="the month's top 20 landing pages by sessions, with engagement",
        analytics=f"""
            select landing_page_path, count() as sessions,
                countIf(is_engaged) / sessions as engagement_rate
            from analytics_ga4.ga4_sessions
            where {_EXPORT_PROPERTY} and session_date >= %(start)s and session_date < %(end)s
            group by landing_page_path order by sessions desc, landing_page_path limit 20
        """,
        **_baselines("ga4_sessions", ("curated",)),
    ),
    "ga4_daily_sessions": TypicalQuery(
        question="sessions, engaged sessions and revenue per channel group over the month",
        analytics=f"""
            select default_channel_group, sum(sessions) as sessions,
                sum(engaged_sessions) as engaged_sessions, sum(purchase_revenue) as revenue
            from analytics_ga4.ga4_daily_sessions
            where {_EXPORT_PROPERTY} and session_date >= %(start)s and session_date < %(end)s
            group by default_channel_group order by sessions desc, default_channel_group
        """,
        **_baselines("ga4_daily_sessions", ("curated",)),
    ),
    "ga4_page_engagement": TypicalQuery(
        question="top 20 product pages by views over the month, with entrances and exits",
        analytics=f"""
            select product_handle, sum(page_views) as page_views, sum(entrances) as entrances,
                sum(exits) as exits, sum(engagement_time_seconds) as engagement_seconds
            from analytics_ga4.ga4_page_engagement
            where {_EXPORT_PROPERTY} and is_product_page
                and activity_date >= %(start)s and activity_date < %(end)s
            group by product_handle order by page_views desc, product_handle limit 20
        """,
        **_baselines("ga4_page_engagement", ("curated",)),
    ),
    "ga4_channel_performance": TypicalQuery(
        question="sessions per channel group over the month",
        analytics=f"""
            select default_channel_group, sum(sessions) as sessions,
                sum(engaged_sessions) as engaged_sessions
            from analytics_ga4.ga4_channel_performance
            where {_PROPERTY} and activity_date >= %(start)s and activity_date < %(end)s
            group by default_channel_group order by sessions desc
        """,
    ),
    "ga4_device_performance": TypicalQuery(
        question="sessions per device category over the month",
        analytics=f"""
            select device_category, sum(sessions) as sessions, sum(page_views) as page_views
            from analytics_ga4.ga4_device_performance
            where {_PROPERTY} and activity_date >= %(start)s and activity_date < %(end)s
            group by device_category order by sessions desc
        """,
    ),
    "ga4_location_performance": TypicalQuery(
        question="top 20 countries by sessions over the month",
        analytics=f"""
            select country, sum(sessions) as sessions
            from analytics_ga4.ga4_location_performance
            where {_PROPERTY} and activity_date >= %(start)s and activity_date < %(end)s
            group by country order by sessions desc limit 20
        """,
    ),
    "ga4_page_views": TypicalQuery(
        question="top 20 product pages by views over the month",
        analytics=f"""
            select product_handle, sum(page_views) as page_views
            from analytics_ga4.ga4_page_views
            where {_PROPERTY} and is_product_page
                and activity_date >= %(start)s and activity_date < %(end)s
            group by product_handle order by page_views desc limit 20
        """,
    ),
    "product_engagement": TypicalQuery(
        question="the flagged products (top engagement, hidden gems, leaky, declining)",
        analytics=f"""
            select product_id, any(engagement_rank) as engagement_rank,
                max(is_top_engagement) as top, max(is_hidden_gem) as hidden_gem,
                max(is_leaky) as leaky, max(is_declining) as declining
            from analytics_cross_source.product_engagement
            where {_SHOP}
                and (is_top_engagement or is_hidden_gem or is_leaky or is_declining)
            group by product_id order by engagement_rank
        """,
    ),
    "customer_360": TypicalQuery(
        question="customers per lifecycle stage and RFM segment",
        analytics="""
            select lifecycle_stage, rfm_segment, count() as customers
            from analytics_cross_source.customer_360
            group by lifecycle_stage, rfm_segment order by customers desc
        """,
    ),
    "data_quality_summary": TypicalQuery(
        question="data-quality issues by model",
        analytics="""
            select source_name, curated_model, issue, sum(affected_rows) as affected_rows
            from analytics_cross_source.data_quality_summary
            group by source_name, curated_model, issue order by affected_rows desc
        """,
    ),
    "product_affinity": TypicalQuery(
        question="what sells with a chosen product (the shop's most ordered), strongest first",
        analytics=f"""
            select related_product_id, related_product_title, orders_with_both, support,
                confidence, lift
            from analytics_cross_source.product_affinity
            where {_SHOP}
                and product_id = (
                    select argMax(product_id, tuple(product_orders, product_id))
                    from analytics_cross_source.product_affinity where {_SHOP}
                )
            order by lift desc, orders_with_both desc, related_product_id limit 10
        """,
        **_baselines("product_affinity", ("curated",)),
    ),
    "ga4_purchase_coverage": TypicalQuery(
        question="a month of GA4's coverage of one shop's web orders, per day",
        analytics=f"""
            select coverage_date, shopify_web_orders, matched_orders, ga4_transactions,
                ga4_purchases_without_transaction_id, coverage_rate
            from analytics_cross_source.ga4_purchase_coverage
            where {_SHOP} and coverage_date >= %(start)s and coverage_date < %(end)s
            order by coverage_date
        """,
        **_baselines("ga4_purchase_coverage", ("curated",)),
    ),
    "ga4_item_funnel_daily": TypicalQuery(
        question="top 20 items by item revenue over the month, with list CTR and cart rates",
        analytics=f"""
            select item_id, any(item_name) as item_name,
                sum(list_impressions) as impressions, sum(item_views) as views,
                sum(add_to_carts) as add_to_carts, sum(purchases) as purchases,
                sum(item_revenue) as revenue,
                if(sum(listed_sessions) = 0, null,
                    sum(listed_clicked_sessions) / sum(listed_sessions)) as list_ctr,
                if(sum(viewed_sessions) = 0, null,
                    sum(viewed_carted_sessions) / sum(viewed_sessions)) as view_to_cart_rate
            from analytics_ga4.ga4_item_funnel_daily
            where {_EXPORT_PROPERTY} and activity_date >= %(start)s and activity_date < %(end)s
            group by item_id order by revenue desc, item_id limit 20
        """,
        **_baselines("ga4_item_funnel_daily", ("curated",)),
    ),
    "ga4_session_funnel_daily": TypicalQuery(
        question="the month's closed checkout funnel per channel group",
        analytics=f"""
            select default_channel_group, sum(sessions) as sessions,
                sum(view_item_sessions_closed) as view_item,
                sum(add_to_cart_sessions_closed) as add_to_cart,
                sum(begin_checkout_sessions_closed) as begin_checkout,
                sum(add_payment_info_sessions_closed) as add_payment_info,
                sum(purchase_sessions_closed) as purchase
            from analytics_ga4.ga4_session_funnel_daily
            where {_EXPORT_PROPERTY} and session_date >= %(start)s and session_date < %(end)s
            group by default_channel_group order by sessions desc, default_channel_group
        """,
        **_baselines("ga4_session_funnel_daily", ("curated",)),
    ),
    "ga4_item_list_performance": TypicalQuery(
        question="click-through rate by list and position over the month",
        analytics=f"""
            select item_list_name, item_list_index, sum(impressions) as impressions,
                sum(clicks) as clicks, sum(add_to_carts) as add_to_carts,
                if(sum(impression_sessions) = 0, null,
                    sum(clicked_impression_sessions) / sum(impression_sessions)) as ctr
            from analytics_ga4.ga4_item_list_performance
            where {_EXPORT_PROPERTY} and activity_date >= %(start)s and activity_date < %(end)s
            group by item_list_name, item_list_index order by item_list_name, item_list_index
        """,
        **_baselines("ga4_item_list_performance", ("curated",)),
    ),
    "ga4_cart_abandonment_daily": TypicalQuery(
        question="a month of daily cart abandonment, GA4 beside Shopify's abandoned checkouts",
        analytics=f"""
            select session_date, sum(cart_sessions) as cart_sessions,
                sum(abandoned_sessions) as abandoned_sessions,
                sum(abandoned_cart_value) as abandoned_cart_value,
                sum(recovered_sessions) as recovered_sessions,
                any(shopify_abandoned_checkouts) as shopify_abandoned_checkouts
            from analytics_ga4.ga4_cart_abandonment_daily
            where {_EXPORT_PROPERTY} and session_date >= %(start)s and session_date < %(end)s
            group by session_date order by session_date
        """,
        **_baselines("ga4_cart_abandonment_daily", ("curated",)),
    ),
}
