{#- What shoppers did with each product, per day: GA4 views of its page, abandoned checkouts
    holding it, Shopify orders, units and net sales, an engagement score, and per product over
    the last `product_engagement_window_days` the flags a merchandiser acts on: promote (top
    engagement, hidden gems), fix (leaky) or review (declining). Where the GA4 export measures
    the shop, its item events add list impressions, list clicks, item views and add-to-carts,
    and the score and flags count item views (the events basis) instead of page views. -#}
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

property_shops as (
    select * from {{ ref('int_ga4__property_shops_matched') }}
),

event_items as (
    select * from {{ current(ref('ga4__event_items')) }}
    where
        event_name in ('view_item_list', 'select_item', 'view_item', 'add_to_cart')
        and event_date is not null
),

{# the events basis from the first day the export measures the shop #}
shop_export_starts as (
    select
        source_relation,
        min(first_export_date) as first_export_date
    from property_shops
    group by source_relation
),

{# an item's Shopify product: Shopify's Google & YouTube app sends
   shopify_<country>_<product id>_<variant id>; a bare number is taken as the product id #}
item_products as (
    select
        event_name,
        assumeNotNull(event_date) as engagement_date,
        multiIf(
            match(item_id, '^shopify_[A-Za-z]+_[0-9]+_[0-9]+$'), toInt64OrNull(splitByChar('_', item_id)[3]),
            match(item_id, '^[0-9]+$'), toInt64OrNull(item_id),
            null
        ) as item_product_id
    from event_items
),

item_events as (
    select
        products.source_relation as source_relation,
        products.product_id as product_id,
        item_products.engagement_date as engagement_date,
        toInt64(countIf(item_products.event_name = 'view_item_list')) as list_impressions,
        toInt64(countIf(item_products.event_name = 'select_item')) as list_clicks,
        toInt64(countIf(item_products.event_name = 'view_item')) as item_views,
        toInt64(countIf(item_products.event_name = 'add_to_cart')) as add_to_carts
    from item_products
    inner join products
        on item_products.item_product_id = products.product_id
    group by products.source_relation, products.product_id, item_products.engagement_date
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

{# the export's item events beside; a product-day may have only those (missing measures 0) #}
daily_events as (
    select
        source_relation,
        product_id,
        engagement_date,
        daily.page_views as page_views,
        daily.checkouts as checkouts,
        daily.orders as orders,
        daily.units as units,
        daily.net_revenue as net_revenue,
        item_events.list_impressions as list_impressions,
        item_events.list_clicks as list_clicks,
        item_events.item_views as item_views,
        item_events.add_to_carts as add_to_carts
    from daily
    full outer join item_events
        using (source_relation, product_id, engagement_date)
    settings join_use_nulls = 0
),

based as (
    select
        daily_events.*,
        if(
            daily_events.engagement_date >= shop_export_starts.first_export_date,
            'events',
            'page_views'
        ) as engagement_basis,
        {# the views the score and flags count: item views on the events basis #}
        if(engagement_basis = 'events', daily_events.item_views, daily_events.page_views) as counted_views
    from daily_events
    left join shop_export_starts
        on daily_events.source_relation = shop_export_starts.source_relation
    settings join_use_nulls = 1
),

scored as (
    select
        *,
        {{ number_var('engagement_weight_page_view', 0) }} * counted_views
        + {{ number_var('engagement_weight_checkout', 0) }} * checkouts
        + {{ number_var('engagement_weight_add_to_cart', 0) }} * add_to_carts
        + {{ number_var('engagement_weight_order', 0) }} * orders as engagement_score
    from based
),

{# each day beside its product's figures over the window; window functions over the one read
   of `scored` (a CTE named in several places is computed once per place) #}
product_windows as (
    select
        *,
        sumIf(counted_views, engagement_date > {{ window_start }}) over product as window_page_views,
        sumIf(orders, engagement_date > {{ window_start }}) over product as window_orders,
        sumIf(engagement_score, engagement_date > {{ window_start }}) over product as window_engagement_score,
        sumIf(net_revenue, engagement_date > {{ window_start }}) over product as window_net_revenue,
        sumIf(
            net_revenue,
            engagement_date <= {{ window_start }} and engagement_date > {{ previous_start }}
        ) over product as previous_window_net_revenue,
        {# the row that stands for its product in the shop's yardsticks #}
        row_number() over (partition by source_relation, product_id order by engagement_date) = 1 as is_product_row
    from scored
    window product as (partition by source_relation, product_id)
),

{# the shop's yardsticks over the same window, each product counted once: its conversion and
   its products' traffic; and each product's rank by engagement (a product's days share its
   window score and id, so dense_rank numbers the products) #}
shop_windows as (
    select
        *,
        sumIf(window_orders, is_product_row) over shop as shop_window_orders,
        sumIf(window_page_views, is_product_row) over shop as shop_window_page_views,
        if(shop_window_page_views = 0, null, shop_window_orders / shop_window_page_views) as shop_view_to_order_rate,
        {# parametric aggregates: ClickHouse wants no space between the two brackets #}
        quantileExactIf(0.5)(  -- noqa: LT01
            window_page_views, is_product_row and window_page_views > 0
        ) over shop as median_product_page_views,
        quantileExactIf({{ number_var('leaky_traffic_quantile', 0, 1) }})(  -- noqa: LT01
            window_page_views, is_product_row and window_page_views > 0
        ) over shop as leaky_page_views_floor,
        dense_rank() over (
            partition by source_relation
            order by window_engagement_score desc, product_id asc
        ) as engagement_rank
    from product_windows
    window shop as (partition by source_relation)
),

final as (
    select
        source_relation,
        product_id,
        engagement_date,
        page_views,
        checkouts,
        orders,
        units,
        net_revenue,
        engagement_score,
        window_page_views,
        window_orders,
        window_engagement_score,
        if(window_page_views = 0, null, window_orders / window_page_views) as window_view_to_order_rate,
        window_net_revenue,
        previous_window_net_revenue,
        engagement_rank,
        window_engagement_score > 0
        and engagement_rank <= {{ number_var('top_engagement_products', 1) }} as is_top_engagement,
        if(counted_views = 0, null, orders / counted_views) as view_to_order_rate,
        coalesce(
            window_orders >= {{ number_var('hidden_gem_min_orders', 1) }}
            and window_page_views > 0
            and window_page_views <= median_product_page_views
            and window_view_to_order_rate
            >= shop_view_to_order_rate * {{ number_var('hidden_gem_conversion_multiple', 0) }},
            false
        ) as is_hidden_gem,
        coalesce(
            window_page_views > 0
            and window_page_views >= leaky_page_views_floor
            and window_view_to_order_rate
            <= shop_view_to_order_rate * {{ number_var('leaky_conversion_multiple', 0) }},
            false
        ) as is_leaky,
        coalesce(
            previous_window_net_revenue > 0
            and window_net_revenue < previous_window_net_revenue
            * (1 - {{ number_var('product_decline_threshold', 0, 1) }}),
            false
        ) as is_declining,
        engagement_basis,
        list_impressions,
        list_clicks,
        {# a share: clicks on lists whose impressions were not sent cap it at 1 #}
        if(list_impressions = 0, null, least(1, list_clicks / list_impressions)) as list_ctr,
        item_views,
        add_to_carts
    from shop_windows
)

select * from final
