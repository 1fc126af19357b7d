{#- Baseline for the benchmark, not a definition: the typical question of the model
    channel_revenue (the definition) answered from raw, to time what the analytics layer
    saves a reader. The landing URL's UTM parameters, the orders' session source and medium
    and the refunds' JSON go through the project's macros (url_parameter,
    order_session_source_medium, json_array_sum), as in the model. -#}
with
orders as (
    select
        id as order_id,
        toDate(assumeNotNull(coalesce(processed_at, created_at, updated_at)),
            %(timezone)s) as sales_date,
        {{ url_parameter('landing_site', 'utm_source') }} as utm_source,
        {{ url_parameter('landing_site', 'utm_medium') }} as utm_medium,
        {{ order_session_source_medium('utm_source', 'utm_medium', 'referring_site') }},
        coalesce(total_line_items_price, 0) - coalesce(total_discounts, 0) as amount
    from raw_shopify.orders final
    where not coalesce(test, false)
),
refunds as (
    select
        order_id,
        {{ json_array_sum('refund_line_items', ['subtotal']) }} as returns
    from raw_shopify.order_refunds final
    where toDate(coalesce(processed_at, created_at), %(timezone)s) >= %(start)s
        and toDate(coalesce(processed_at, created_at), %(timezone)s) < %(end)s
        and order_id not in (select id from raw_shopify.orders final
            where coalesce(test, false))
),
sessions as (
    select sessionSource as session_source, sessionMedium as session_medium,
        sum(sessions) as sessions
    from raw_ga4.traffic_sources final
    where parseDateTimeOrNull(date, '%%Y%%m%%d') >= %(start)s
        and parseDateTimeOrNull(date, '%%Y%%m%%d') < %(end)s
    group by session_source, session_medium
),
{% include '_channel_revenue_from_ledger.sql' %}
