{#- What shoppers did with each product, per day: GA4 views of its page, abandoned checkouts
    holding it, Shopify orders, units and net sales, an engagement score, and per product over
    the last `product_engagement_window_days` the flags a merchandiser acts on: promote (top
    engagement, hidden gems), fix (leaky) or review (declining). -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, product_id, engagement_date)',
    )
}}

{%- set window_days = number_var('product_engagement_window_days', 1, 3650) -%}
{%- set window_start = reporting_today() ~ ' - ' ~ window_days -%}
{%- set previous_start = reporting_today() ~ ' - 2 * ' ~ window_days %}

with

products as (
    select * from {{ current(ref('shopify__products')) }}
),

page_performance as (
    select * from {{ ref('shop_page_performance') }}
    where product_id is not null
),

checkout_lines as (
    select * from {{ current(ref('shopify__abandoned_checkout_lines')) }}
    where product_id is not null and created_at is not null
),

line_sales as (
    select * from {{ ref('int_shopify__order_line_sales') }}
    where product_id != 0
),

product_sales as (
    select * from {{ ref('shopify_product_performance') }}
    where product_id != 0
),

{# product ids are unique across shops: the shop that sells the product owns its page views #}
page_views as (
    select
        products.source_relation as source_relation,
        page_performance.activity_date as engagement_date,
        assumeNotNull(page_performance.product_id) as product_id,
        toInt64(coalesce(sum(page_performance.page_views), 0)) as page_view_count
    from page_performance
    inner join products
        on page_performance.product_id = products.product_id
    group by products.source_relation, page_performance.product_id, page_performance.activity_date
),

checkouts as (
    select
        source_relation,
        assumeNotNull(product_id) as product_id,
        toDate(assumeNotNull(created_at), {{ reporting_timezone() }}) as engagement_date,
        uniqExact(checkout_id) as checkout_count
    from checkout_lines
    group by source_relation, product_id, engagement_date
),

{# orders holding the product, on the order's day #}
product_orders as (
    select
        source_relation,
        product_id,
        sales_date as engagement_date,
        uniqExact(order_id) as order_count
    from line_sales
    group by source_relation, product_id, sales_date
),

ledger as (
    select
        source_relation,
        product_id,
        engagement_date,
        page_view_count,
        toUInt64(0) as checkout_count,
        toUInt64(0) as order_count,
        toInt64(0) as unit_count,
        toDecimal128(0, 9) as net_amount
    from page_views
    union all
    select
        source_relation,
        product_id,
        engagement_date,
        toInt64(0) as page_view_count,
        checkout_count,
        toUInt64(0) as order_count,
        toInt64(0) as unit_count,
        toDecimal128(0, 9) as net_amount
    from checkouts
    union all
    select
        source_relation,
        product_id,
        engagement_date,
        toInt64(0) as page_view_count,
        toUInt64(0) as checkout_count,
        order_count,
        toInt64(0) as unit_count,
        toDecimal128(0, 9) as net_amount
    from product_orders
    union all
    select
        source_relation,
        product_id,
        sales_date as engagement_date,
        toInt64(0) as page_view_count,
        toUInt64(0) as checkout_count,
        toUInt64(0) as order_count,
        toInt64(coalesce(units, 0) - coalesce(units_returned, 0)) as unit_count,
        toDecimal128(coalesce(net_revenue, 0), 9) as net_amount
    from product_sales
),

daily as (
    select
        source_relation,
        product_id,
        engagement_date,
        toInt64(sum(page_view_count)) as page_views,
        toInt64(sum(checkout_count)) as checkouts,
        toInt64(sum(order_count)) as orders,
        sum(unit_count) as units,
        sum(net_amount) as net_revenue
    from ledger
    group by source_relation, product_id, engagement_date
),

scored as (
    select
        *,
        {{ number_var('engagement_weight_page_view', 0) }} * page_views
        + {{ number_var('engagement_weight_checkout', 0) }} * checkouts
        + {{ number_var('engagement_weight_order', 0) }} * orders as engagement_score
    from daily
),

product_windows as (
    select
        source_relation,
        product_id,
        sumIf(page_views, engagement_date > {{ window_start }}) as window_page_views,
        sumIf(orders, engagement_date > {{ window_start }}) as window_orders,
        sumIf(engagement_score, engagement_date > {{ window_start }}) as window_engagement_score,
        sumIf(net_revenue, engagement_date > {{ window_start }}) as window_net_revenue,
        sumIf(
            net_revenue,
            engagement_date <= {{ window_start }} and engagement_date > {{ previous_start }}
        ) as previous_window_net_revenue
    from scored
    group by source_relation, product_id
),

{# the shop's yardsticks over the same window: its conversion and its products' traffic #}
shop_windows as (
    select
        source_relation,
        if(sum(window_page_views) = 0, null, sum(window_orders) / sum(window_page_views)) as shop_view_to_order_rate,
        {# parametric aggregates: ClickHouse wants no space between the two brackets #}
        quantileExactIf(0.5)(window_page_views, window_page_views > 0) as median_product_page_views,  -- noqa: LT01
        quantileExactIf({{ number_var('leaky_traffic_quantile', 0, 1) }})(  -- noqa: LT01
            window_page_views, window_page_views > 0
        ) as leaky_page_views_floor
    from product_windows
    group by source_relation
),

product_flags as (
    select
        product_windows.source_relation as source_relation,
        product_windows.product_id as product_id,
        product_windows.window_page_views as window_page_views,
        product_windows.window_orders as window_orders,
        product_windows.window_engagement_score as window_engagement_score,
        product_windows.window_net_revenue as window_net_revenue,
        product_windows.previous_window_net_revenue as previous_window_net_revenue,
        if(
            product_windows.window_page_views = 0, null,
            product_windows.window_orders / product_windows.window_page_views
        ) as window_view_to_order_rate,
        row_number() over (
            partition by product_windows.source_relation
            order by product_windows.window_engagement_score desc, product_windows.product_id asc
        ) as engagement_rank,
        product_windows.window_engagement_score > 0
        and engagement_rank <= {{ number_var('top_engagement_products', 1) }} as is_top_engagement,
        product_windows.window_orders >= {{ number_var('hidden_gem_min_orders', 1) }}
        and product_windows.window_page_views > 0
        and product_windows.window_page_views <= shop_windows.median_product_page_views
        and window_view_to_order_rate
        >= shop_windows.shop_view_to_order_rate * {{ number_var('hidden_gem_conversion_multiple', 0) }}
            as is_hidden_gem,
        product_windows.window_page_views > 0
        and product_windows.window_page_views >= shop_windows.leaky_page_views_floor
        and window_view_to_order_rate
        <= shop_windows.shop_view_to_order_rate * {{ number_var('leaky_conversion_multiple', 0) }}
            as is_leaky,
        product_windows.previous_window_net_revenue > 0
        and product_windows.window_net_revenue < product_windows.previous_window_net_revenue
        * (1 - {{ number_var('product_decline_threshold', 0, 1) }}) as is_declining
    from product_windows
    inner join shop_windows
        on product_windows.source_relation = shop_windows.source_relation
),

final as (
    select
        scored.source_relation as source_relation,
        scored.product_id as product_id,
        scored.engagement_date as engagement_date,
        scored.page_views as page_views,
        scored.checkouts as checkouts,
        scored.orders as orders,
        scored.units as units,
        scored.net_revenue as net_revenue,
        scored.engagement_score as engagement_score,
        product_flags.window_page_views as window_page_views,
        product_flags.window_orders as window_orders,
        product_flags.window_engagement_score as window_engagement_score,
        product_flags.window_view_to_order_rate as window_view_to_order_rate,
        product_flags.window_net_revenue as window_net_revenue,
        product_flags.previous_window_net_revenue as previous_window_net_revenue,
        product_flags.engagement_rank as engagement_rank,
        product_flags.is_top_engagement as is_top_engagement,
        if(scored.page_views = 0, null, scored.orders / scored.page_views) as view_to_order_rate,
        coalesce(product_flags.is_hidden_gem, false) as is_hidden_gem,
        coalesce(product_flags.is_leaky, false) as is_leaky,
        coalesce(product_flags.is_declining, false) as is_declining
    from scored
    inner join product_flags
        on
            scored.source_relation = product_flags.source_relation
            and scored.product_id = product_flags.product_id
)

select * from final
