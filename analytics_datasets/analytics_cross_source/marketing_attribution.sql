{#- Shopify orders and revenue credited to Klaviyo campaigns and flows by three methods side by
    side: Klaviyo's own (Placed Order's $attributed_message), UTM (Shopify landing-site parameters
    that match a campaign's) and last touch (the profile's latest open or click before the order,
    within the lookback vars). Each method credits an order at most once. Cross-source: it reads
    Klaviyo events and campaigns beside Shopify orders and daily sales. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, attribution_date, attribution_method, channel, campaign_id, flow_id)',
    )
}}

with

named_events as (
    select * from {{ ref('int_klaviyo__events_named') }}
),

campaign_messages as (
    select * from {{ current(ref('klaviyo__campaign_messages')) }}
),

campaigns as (
    select * from {{ current(ref('klaviyo__campaigns')) }}
),

profiles as (
    select * from {{ current(ref('klaviyo__profiles')) }}
),

order_sales as (
    select * from {{ ref('int_shopify__order_sales') }}
),

daily_sales as (
    select * from {{ ref('shopify_daily_sales') }}
),

message_campaigns as (
    {{ klaviyo_message_campaigns('campaign_messages', 'campaigns') }}
),

{# Klaviyo's own: one Placed Order event per order; the latest event of an order wins #}
klaviyo_credits as (
    select
        named_events.source_relation as source_relation,
        'klaviyo' as attribution_method,
        named_events.order_id as order_id,
        max(named_events.occurred_at) as ordered_at,
        argMax(
            if(named_events.attributed_channel = '', 'email', named_events.attributed_channel), named_events.occurred_at
        ) as channel,
        argMax(named_events.attributed_message_id, named_events.occurred_at) as message_id,
        argMax(named_events.attributed_flow_id, named_events.occurred_at) as flow_id,
        argMax(coalesce(named_events.value, 0), named_events.occurred_at) as revenue
    from named_events
    where named_events.metric_name = 'Placed Order' and named_events.attributed_message_id != ''
    group by named_events.source_relation, named_events.order_id
),

{# UTM: the campaign whose tracking parameters the order's landing site carries #}
campaign_utm as (
    select
        source_relation,
        id as campaign_id,
        coalesce(channel, 'email') as channel,
        utm_parameters['utm_campaign'] as utm_campaign,
        utm_parameters['utm_source'] as utm_source
    from campaigns
    where coalesce(utm_parameters['utm_campaign'], '') != ''
),

utm_credits as (
    select
        order_sales.source_relation as source_relation,
        'utm' as attribution_method,
        toString(order_sales.order_id) as order_id,
        any(order_sales.ordered_at) as ordered_at,
        any(campaign_utm.channel) as channel,
        any(campaign_utm.campaign_id) as campaign_id,
        any(order_sales.gross_after_discounts + order_sales.shipping_charged + order_sales.tax_charged) as revenue
    from order_sales
    inner join campaign_utm
        on order_sales.utm_campaign = campaign_utm.utm_campaign
    where coalesce(campaign_utm.utm_source, order_sales.utm_source, '') = coalesce(order_sales.utm_source, '')
    group by order_sales.source_relation, order_sales.order_id
),

{# Last touch: the profile (matched by email) whose latest open or click came within the
   channel's lookback before the order #}
touches as (
    select
        named_events.source_relation as source_relation,
        named_events.occurred_at as touched_at,
        named_events.channel as channel,
        named_events.message_id as message_id,
        named_events.flow_id as flow_id,
        lower(profiles.email) as email
    from named_events
    inner join profiles
        on named_events.source_relation = profiles.source_relation and named_events.profile_id = profiles.id
    where
        named_events.metric_name in ('Opened Email', 'Clicked Email', 'Clicked SMS')
        and named_events.message_id != ''
        and coalesce(profiles.email, '') != ''
),

last_touch_credits as (
    select
        touches.source_relation as source_relation,
        'last_touch' as attribution_method,
        toString(order_sales.order_id) as order_id,
        any(order_sales.ordered_at) as ordered_at,
        argMax(touches.channel, touches.touched_at) as channel,
        argMax(touches.message_id, touches.touched_at) as message_id,
        argMax(touches.flow_id, touches.touched_at) as flow_id,
        any(order_sales.gross_after_discounts + order_sales.shipping_charged + order_sales.tax_charged) as revenue
    from order_sales
    inner join touches
        on order_sales.email = touches.email
    where
        touches.touched_at < order_sales.ordered_at
        and touches.touched_at >= order_sales.ordered_at - toIntervalHour(
            if(
                touches.channel = 'sms',
                {{ number_var('attribution_lookback_hours_sms', 0, 8760) }},
                {{ number_var('attribution_lookback_hours_email', 0, 8760) }}
            )
        )
    group by touches.source_relation, order_sales.order_id
),

credits as (
    select
        klaviyo_credits.source_relation as source_relation,
        klaviyo_credits.attribution_method as attribution_method,
        klaviyo_credits.ordered_at as ordered_at,
        klaviyo_credits.channel as channel,
        if(klaviyo_credits.flow_id = '', coalesce(message_campaigns.campaign_id, ''), '') as campaign_id,
        klaviyo_credits.flow_id as flow_id,
        klaviyo_credits.revenue as revenue
    from klaviyo_credits
    left join message_campaigns
        on
            klaviyo_credits.source_relation = message_campaigns.source_relation
            and klaviyo_credits.message_id = message_campaigns.message_id
    union all
    select
        source_relation,
        attribution_method,
        ordered_at,
        channel,
        campaign_id,
        '' as flow_id,
        revenue
    from utm_credits
    union all
    select
        last_touch_credits.source_relation as source_relation,
        last_touch_credits.attribution_method as attribution_method,
        last_touch_credits.ordered_at as ordered_at,
        last_touch_credits.channel as channel,
        if(last_touch_credits.flow_id = '', coalesce(message_campaigns.campaign_id, ''), '') as campaign_id,
        last_touch_credits.flow_id as flow_id,
        last_touch_credits.revenue as revenue
    from last_touch_credits
    left join message_campaigns
        on
            last_touch_credits.source_relation = message_campaigns.source_relation
            and last_touch_credits.message_id = message_campaigns.message_id
),

store_revenue as (
    select
        sales_date,
        sum(net_sales) as store_net_sales
    from daily_sales
    group by sales_date
),

daily_credits as (
    select
        source_relation,
        toDate(ordered_at, {{ reporting_timezone() }}) as attribution_date,
        attribution_method,
        assumeNotNull(channel) as channel,
        assumeNotNull(campaign_id) as campaign_id,
        assumeNotNull(flow_id) as flow_id,
        count() as attributed_orders,
        toDecimal128(sum(revenue), 9) as attributed_revenue
    from credits
    group by source_relation, attribution_date, attribution_method, channel, campaign_id, flow_id
),

final as (
    select
        daily_credits.source_relation as source_relation,
        daily_credits.attribution_date as attribution_date,
        daily_credits.attribution_method as attribution_method,
        daily_credits.channel as channel,
        daily_credits.campaign_id as campaign_id,
        daily_credits.flow_id as flow_id,
        daily_credits.attributed_orders as attributed_orders,
        daily_credits.attributed_revenue as attributed_revenue,
        if(
            coalesce(store_revenue.store_net_sales, 0) <= 0, null,
            daily_credits.attributed_revenue / store_revenue.store_net_sales
        ) as share_of_store_revenue
    from daily_credits
    left join store_revenue
        on daily_credits.attribution_date = store_revenue.sales_date
    settings join_use_nulls = 1
)

select * from final
