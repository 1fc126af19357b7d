"""The dashboard's SQL: every query of every page, in one place, over analytics models only.

A page's queries run together on one connection (data.load_page), with the filters bound as
parameters (`{dates:column}`, `{shopify}`, `{klaviyo}`, `{ga4}`: see data.Query). What each
page draws from them is in pages.py.
"""

from __future__ import annotations

from ecom_analytics.dashboard.data import Query

# Every page load also reads the date filter's bounds: the days the sales ledger covers.
BOUNDS = Query(
    "bounds",
    ("analytics_shopify.shopify_daily_sales",),
    "select min(sales_date) as first_day, max(sales_date) as last_day "
    "from analytics_shopify.shopify_daily_sales",
)


# --- Sales ---------------------------------------------------------------------------------------

# Each shop's currency: money is summed per currency, never across currencies.
SHOP_CURRENCIES = """
    shop_currencies as (
        select source_relation, any(currency) as currency
        from analytics_shopify.int_shopify__order_sales
        group by source_relation
    )
"""
_DAILY_SALES = (
    "analytics_shopify.shopify_daily_sales",
    "analytics_shopify.int_shopify__order_sales",
)

# The headline figures of the chosen range, the previous range of the same length and the same
# range a year earlier (one row per period and currency).
SALES_HEADLINE = Query(
    "sales_headline",
    _DAILY_SALES,
    f"""
    with {SHOP_CURRENCIES}
    select
        {{period:sales_date}} as period,
        shop_currencies.currency as currency,
        sum(orders) as orders,
        sum(net_sales) as net_sales,
        (sum(gross_sales) - sum(discounts)) / nullIf(sum(orders), 0) as average_order_value,
        sum(returns) as returns,
        sum(new_customer_net_sales) as new_customer_net_sales,
        sum(returning_customer_net_sales) as returning_customer_net_sales
    from analytics_shopify.shopify_daily_sales as daily_sales
    left join shop_currencies on daily_sales.source_relation = shop_currencies.source_relation
    where {{shopify:daily_sales.source_relation}} and {{compared:sales_date}}
    group by period, currency
    order by currency, period
    """,
)

SALES = (
    SALES_HEADLINE,
    # The chosen range's days and, drawn under them, the previous range's (`period`), each on
    # the day the chart draws it (`chart_date`: a previous day on the day it is compared with).
    Query(
        "daily",
        _DAILY_SALES,
        f"""
        with {SHOP_CURRENCIES}
        select
            if({{previous:sales_date}}, 'previous', 'current') as period,
            {{aligned:sales_date}} as chart_date,
            sales_date,
            shop_currencies.currency as currency,
            sum(orders) as orders,
            sum(net_sales) as net_sales,
            sum(gross_sales) as gross_sales,
            sum(returns) as returns,
            sum(units_returned) as units_returned,
            sum(average_order_value * orders) / nullIf(sum(orders), 0) as average_order_value,
            sum(new_customer_orders) as new_customer_orders,
            sum(returning_customer_orders) as returning_customer_orders,
            sum(new_customer_net_sales) as new_customer_net_sales,
            sum(returning_customer_net_sales) as returning_customer_net_sales,
            sales_date >= %(today)s as is_partial
        from analytics_shopify.shopify_daily_sales as daily_sales
        left join shop_currencies on daily_sales.source_relation = shop_currencies.source_relation
        where
            {{shopify:daily_sales.source_relation}}
            and ({{dates:sales_date}} or {{previous:sales_date}})
        group by sales_date, currency
        order by period, sales_date, currency
        """,
    ),
    Query(
        "weekly",
        _DAILY_SALES,
        f"""
        with {SHOP_CURRENCIES}
        select
            {{week:sales_date}} as sales_week,
            shop_currencies.currency as currency,
            sum(new_customer_net_sales) as new_customer_net_sales,
            sum(returning_customer_net_sales) as returning_customer_net_sales,
            sum(returns) as returns,
            sum(units_returned) as units_returned,
            {{week:sales_date}} < %(start)s
            or {{week:sales_date}} + 6 > least(toDate(%(end)s), toDate(%(today)s) - 1) as is_partial
        from analytics_shopify.shopify_daily_sales as daily_sales
        left join shop_currencies on daily_sales.source_relation = shop_currencies.source_relation
        where {{shopify:daily_sales.source_relation}} and {{dates:sales_date}}
        group by sales_week, currency
        order by sales_week, currency
        """,
    ),
    Query(
        "monthly",
        ("analytics_shopify.shopify_monthly_sales", "analytics_shopify.int_shopify__order_sales"),
        f"""
        with {SHOP_CURRENCIES}
        select
            sales_month,
            shop_currencies.currency as currency,
            sum(orders) as orders,
            sum(net_sales) as net_sales,
            sum(returns) as returns,
            sum(average_order_value * orders) / nullIf(sum(orders), 0) as average_order_value,
            addMonths(sales_month, 1) > toDate(%(today)s) as is_partial
        from analytics_shopify.shopify_monthly_sales as monthly_sales
        left join shop_currencies on monthly_sales.source_relation = shop_currencies.source_relation
        where
            {{shopify:monthly_sales.source_relation}}
            and sales_month between toStartOfMonth(toDate(%(start)s)) and %(end)s
        group by sales_month, currency
        order by sales_month, currency
        """,
    ),
)


# --- Marketing -----------------------------------------------------------------------------------

# The shops' currencies (money the shops share one currency for is written in it).
CURRENCIES = Query(
    "currencies",
    ("analytics_shopify.int_shopify__order_sales",),
    f"with {SHOP_CURRENCIES} select distinct currency from shop_currencies order by currency",
)

# Campaign sends of the three periods (email open rate over email only: SMS has no opens),
# and the revenue Klaviyo itself attributes (its own method) to campaigns and flows.
MARKETING_HEADLINE = (
    Query(
        "marketing_headline",
        ("analytics_klaviyo.klaviyo_campaign_performance",),
        """
        select
            {period:toDate(send_time)} as period,
            count() as campaigns,
            sum(recipients) as recipients,
            sumIf(unique_opens, channel = 'email')
            / nullIf(sumIf(delivered, channel = 'email'), 0) as open_rate,
            sum(unique_clicks) / nullIf(sum(delivered), 0) as click_rate
        from analytics_klaviyo.klaviyo_campaign_performance
        where {klaviyo} and {compared:toDate(send_time)}
        group by period
        """,
    ),
    Query(
        "attributed_headline",
        ("analytics_cross_source.marketing_attribution",),
        """
        select
            {period:attribution_date} as period,
            sum(attributed_orders) as attributed_orders,
            sum(attributed_revenue) as attributed_revenue
        from analytics_cross_source.marketing_attribution
        where {klaviyo} and attribution_method = 'klaviyo' and {compared:attribution_date}
        group by period
        """,
    ),
    CURRENCIES,
)

MARKETING = (
    *MARKETING_HEADLINE,
    # The headline's attributed revenue by day, the previous range's drawn under it (as "daily").
    Query(
        "attributed_daily",
        ("analytics_cross_source.marketing_attribution",),
        """
        select
            if({previous:attribution_date}, 'previous', 'current') as period,
            {aligned:attribution_date} as chart_date,
            attribution_date,
            sum(attributed_orders) as attributed_orders,
            sum(attributed_revenue) as attributed_revenue,
            attribution_date >= %(today)s as is_partial
        from analytics_cross_source.marketing_attribution
        where
            {klaviyo}
            and attribution_method = 'klaviyo'
            and ({dates:attribution_date} or {previous:attribution_date})
        group by attribution_date
        order by period, attribution_date
        """,
    ),
    Query(
        "campaigns",
        ("analytics_klaviyo.klaviyo_campaign_performance",),
        """
        select
            campaign_name,
            channel,
            send_time,
            recipients,
            delivered,
            if(channel = 'sms', null, open_rate) as open_rate,
            click_rate,
            unsubscribe_rate,
            attributed_orders,
            attributed_revenue,
            revenue_per_recipient
        from analytics_klaviyo.klaviyo_campaign_performance
        where {klaviyo} and {dates:toDate(send_time)}
        order by attributed_revenue desc, send_time desc
        """,
    ),
    Query(
        "flows",
        ("analytics_klaviyo.klaviyo_flow_performance",),
        """
        select
            flow_name,
            channel,
            sum(recipients) as recipients,
            sum(delivered) as delivered,
            if(channel = 'sms', null, sum(unique_opens) / nullIf(sum(delivered), 0)) as open_rate,
            sum(unique_clicks) / nullIf(sum(delivered), 0) as click_rate,
            sum(attributed_orders) as attributed_orders,
            sum(attributed_revenue) as attributed_revenue
        from analytics_klaviyo.klaviyo_flow_performance
        where {klaviyo}
        group by flow_name, channel
        order by sum(attributed_revenue) desc
        """,
    ),
    Query(
        "attribution",
        ("analytics_cross_source.marketing_attribution",),
        """
        select
            attribution_method,
            channel,
            if(campaign_id != '', 'campaign', 'flow') as sent_by,
            sum(attributed_orders) as attributed_orders,
            sum(attributed_revenue) as attributed_revenue
        from analytics_cross_source.marketing_attribution
        where {klaviyo} and {dates:attribution_date}
        group by attribution_method, channel, sent_by
        order by attribution_method, channel, sent_by
        """,
    ),
    Query(
        "send_times",
        ("analytics_klaviyo.klaviyo_hourly_engagement",),
        """
        select
            day_of_week,
            hour,
            sum(sends) as sends,
            sum(unique_opens) / nullIf(sum(sends), 0) as open_rate,
            sum(unique_clicks) / nullIf(sum(sends), 0) as click_rate
        from analytics_klaviyo.klaviyo_hourly_engagement
        where {klaviyo}
        group by day_of_week, hour
        order by day_of_week, hour
        """,
    ),
)


# --- Products ------------------------------------------------------------------------------------

# Each product's title from the catalogue (product_engagement has ids).
_PRODUCT_NAMES = """
    product_names as (
        select product_id, any(title) as product
        from analytics_shopify.shopify_products
        group by product_id
    )
"""

PRODUCTS = (
    Query(
        "flags",
        (
            "analytics_cross_source.product_engagement",
            "analytics_shopify.shopify_products",
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
            from analytics_cross_source.product_engagement
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
            "analytics_cross_source.product_engagement",
            "analytics_shopify.shopify_products",
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
            from analytics_cross_source.product_engagement
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
            "analytics_cross_source.product_engagement",
            "analytics_shopify.shopify_products",
        ),
        f"""
        with {_PRODUCT_NAMES},
        top_products as (
            select product_id
            from analytics_cross_source.product_engagement
            where {{shopify}} and {{dates:engagement_date}}
            group by product_id
            order by sum(engagement_score) desc
            limit 5
        )
        select
            {{week:engagement.engagement_date}} as engagement_week,
            coalesce(any(product_names.product), toString(engagement.product_id)) as product,
            sum(engagement.engagement_score) as engagement_score,
            sum(engagement.page_views) as page_views,
            sum(engagement.orders) as orders
        from analytics_cross_source.product_engagement as engagement
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
        ("analytics_cross_source.product_engagement",),
        """
        select
            max(engagement_date) as last_engagement_date,
            today() as today
        from analytics_cross_source.product_engagement
        where {shopify}
        """,
    ),
    # What sells with each product: every pair of the model's window (not the date range), the
    # page picks the chosen product's rows.
    Query(
        "affinity",
        ("analytics_cross_source.product_affinity",),
        """
        select
            source_relation,
            product_id,
            coalesce(product_title, toString(product_id)) as product,
            related_product_id,
            coalesce(related_product_title, toString(related_product_id)) as sells_with,
            orders_with_both,
            product_orders,
            related_product_orders,
            confidence,
            support,
            lift,
            window_start_date,
            window_end_date
        from analytics_cross_source.product_affinity
        where {shopify}
        order by product_orders desc, product_id, lift desc, orders_with_both desc
        """,
    ),
)


# --- Customers -----------------------------------------------------------------------------------

# Who to contact: the rule the Customers page states (Shopify's RFM segment at_risk and lifetime
# net sales in the top fifth of Shopify customers), Klaviyo's signals beside it.
CONTACT_LIST = Query(
    "contact",
    ("analytics_cross_source.customer_360",),
    """
    with high_value as (
        select quantile(0.8)(lifetime_net_sales) as threshold
        from analytics_cross_source.customer_360
        where is_shopify_customer
    )
    select
        email,
        lifetime_net_sales,
        orders,
        last_order_at,
        rfm_segment,
        lifecycle_stage as klaviyo_lifecycle_stage,
        churn_probability as klaviyo_churn_probability,
        email_marketing_consent
    from analytics_cross_source.customer_360
    where
        rfm_segment = 'at_risk'
        and lifetime_net_sales >= (select threshold from high_value)
    order by lifetime_net_sales desc
    limit 100
    """,
)

CUSTOMERS = (
    CONTACT_LIST,
    Query(
        "lifecycle",
        ("analytics_klaviyo.klaviyo_customer_lifecycle",),
        """
        select lifecycle_stage, count() as profiles, sum(historic_revenue) as historic_revenue
        from analytics_klaviyo.klaviyo_customer_lifecycle
        where {klaviyo}
        group by lifecycle_stage
        order by profiles desc
        """,
    ),
    Query(
        "rfm",
        ("analytics_shopify.shopify_customer_value",),
        """
        select
            rfm_segment,
            count() as customers,
            sum(lifetime_net_sales) as lifetime_net_sales,
            avg(orders) as average_orders
        from analytics_shopify.shopify_customer_value
        where {shopify}
        group by rfm_segment
        order by customers desc
        """,
    ),
    Query(
        "cohorts",
        ("analytics_shopify.shopify_customer_cohorts",),
        """
        select
            cohort_month,
            months_since_first_order,
            sum(cohort_size) as cohort_size,
            sum(active_customers) as active_customers,
            sum(active_customers) / nullIf(sum(cohort_size), 0) as retention_rate
        from analytics_shopify.shopify_customer_cohorts
        where {shopify} and cohort_month between toStartOfMonth(toDate(%(start)s)) and %(end)s
        group by cohort_month, months_since_first_order
        order by cohort_month, months_since_first_order
        """,
    ),
)


# --- Data health ---------------------------------------------------------------------------------

DATA_HEALTH = (
    Query(
        "freshness",
        ("analytics_cross_source.data_freshness",),
        """
        select source_name, source_database, source_table, status, last_loaded_at, lag_minutes,
            rows_last_24h, total_rows, warn_after_hours, error_after_hours
        from analytics_cross_source.data_freshness
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
        ("analytics_cross_source.data_quality_summary",),
        """
        select source_name, source_relation, curated_model, issue_kind, issue, affected_rows
        from analytics_cross_source.data_quality_summary
        where
            (source_name != 'shopify' or {shopify})
            and (source_name != 'klaviyo' or {klaviyo})
            and (source_name != 'ga4' or {ga4})
        order by affected_rows desc
        """,
    ),
)
