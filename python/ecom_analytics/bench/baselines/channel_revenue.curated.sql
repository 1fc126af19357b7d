{#- Baseline for the benchmark, not a definition: the typical question of the model
    channel_revenue (the definition) answered from the curated tables, to time what the
    analytics layer saves a reader. Orders get their session source and medium from the
    project's macro order_session_source_medium, as in the model. -#}
with
orders as (
    select
        order_id,
        toDate(assumeNotNull(coalesce(processed_at, created_at, updated_at)),
            %(timezone)s) as sales_date,
        {{ order_session_source_medium('utm_source', 'utm_medium', 'referring_site') }},
        coalesce(total_line_items_price, 0) - coalesce(total_discounts, 0) as amount
    from data_shopify.orders final
    where not is_test
),
refunds as (
    select order_id, refund_lines_subtotal as returns
    from data_shopify.refunds final
    where toDate(coalesce(processed_at, created_at), %(timezone)s) >= %(start)s
        and toDate(coalesce(processed_at, created_at), %(timezone)s) < %(end)s
        and order_id not in (select order_id from data_shopify.orders final
            where is_test)
),
sessions as (
    select session_source, session_medium, sum(sessions) as sessions
    from data_ga4.traffic_sources final
    where date >= %(start)s and date < %(end)s
    group by session_source, session_medium
),
{% include '_channel_revenue_from_ledger.sql' %}
