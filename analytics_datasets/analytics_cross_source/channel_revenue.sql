{#- What each marketing channel brought, per day: GA4 sessions beside Shopify orders and net
    sales, both grouped by GA4's default channel rules (orders by their landing-site UTM
    parameters, else their referrer, else Direct). -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(revenue_date, default_channel_group)',
    )
}}

with

order_sales as (
    select * from {{ ref('int_shopify__order_sales') }}
),

refund_sales as (
    select * from {{ ref('int_shopify__refund_sales') }}
),

ga4_channels as (
    select * from {{ ref('ga4_channel_performance') }}
),

{# an order's source and medium as GA4 would record its session #}
order_sources as (
    select
        source_relation,
        order_id,
        sales_date,
        gross_after_discounts,
        {{ order_session_source_medium('utm_source', 'utm_medium', 'referring_site') }}
    from order_sales
),

order_channel_groups as (
    {{ default_channel_groups('order_sources') }}
),

order_channels as (
    select
        order_sources.source_relation as source_relation,
        order_sources.order_id as order_id,
        order_sources.sales_date as sales_date,
        order_sources.gross_after_discounts as gross_after_discounts,
        coalesce(order_channel_groups.default_channel_group, 'Unassigned') as channel_group
    from order_sources
    left join order_channel_groups
        on
            order_sources.session_source = order_channel_groups.session_source
            and order_sources.session_medium = order_channel_groups.session_medium
    settings join_use_nulls = 1
),

{# Shopify's net sales: an order's sales less discounts on its day, its returns on theirs #}
ledger as (
    select
        sales_date as revenue_date,
        channel_group,
        toUInt64(1) as order_count,
        gross_after_discounts as net_amount,
        toUInt64(0) as session_count,
        toUInt64(0) as users_bound,
        toUInt64(0) as new_user_count
    from order_channels
    union all
    select
        refund_sales.return_date as revenue_date,
        {# a refund of an order not (yet) loaded has no channel #}
        coalesce(order_channels.channel_group, 'Unassigned') as channel_group,
        toUInt64(0) as order_count,
        -refund_sales.returns as net_amount,
        toUInt64(0) as session_count,
        toUInt64(0) as users_bound,
        toUInt64(0) as new_user_count
    from refund_sales
    left join order_channels
        on
            refund_sales.source_relation = order_channels.source_relation
            and refund_sales.order_id = order_channels.order_id
    union all
    select
        activity_date as revenue_date,
        default_channel_group as channel_group,
        toUInt64(0) as order_count,
        toDecimal128(0, 9) as net_amount,
        toUInt64(sessions) as session_count,
        toUInt64(users_upper_bound) as users_bound,
        toUInt64(new_users) as new_user_count
    from ga4_channels
    settings join_use_nulls = 1
),

final as (
    select
        revenue_date,
        channel_group as default_channel_group,
        sum(session_count) as sessions,
        sum(users_bound) as users_upper_bound,
        sum(new_user_count) as new_users,
        sum(order_count) as orders,
        toDecimal128(sum(net_amount), 9) as net_revenue,
        if(sessions = 0, null, orders / sessions) as conversion_rate,
        if(sessions = 0, null, toDecimal128(net_revenue / sessions, 9)) as revenue_per_session
    from ledger
    group by revenue_date, channel_group
)

select * from final
