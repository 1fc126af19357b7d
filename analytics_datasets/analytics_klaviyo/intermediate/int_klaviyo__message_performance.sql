{#- Delivery, engagement and Klaviyo-attributed revenue per message (campaign or flow). -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, flow_id, message_id)',
    )
}}

with

named_events as (
    select * from {{ ref('int_klaviyo__events_named') }}
),

{# unique = distinct profiles; events without a profile count as events, not as a profile #}

engagement as (
    select
        source_relation,
        flow_id,
        message_id,
        if(countIf(metric_name = 'Received SMS') > 0, 'sms', 'email') as channel,
        minIf(occurred_at, metric_name in ('Received Email', 'Received SMS')) as first_received_at,
        uniqExactIf(nullIf(profile_id, ''), metric_name in ('Received Email', 'Received SMS')) as recipients,
        uniqExactIf(nullIf(profile_id, ''), metric_name = 'Bounced Email') as bounces,
        countIf(metric_name = 'Opened Email') as opens,
        uniqExactIf(nullIf(profile_id, ''), metric_name = 'Opened Email') as unique_opens,
        countIf(metric_name in ('Clicked Email', 'Clicked SMS')) as clicks,
        uniqExactIf(nullIf(profile_id, ''), metric_name in ('Clicked Email', 'Clicked SMS')) as unique_clicks,
        uniqExactIf(nullIf(profile_id, ''), metric_name = 'Unsubscribed') as unsubscribes,
        uniqExactIf(nullIf(profile_id, ''), metric_name = 'Marked Email as Spam') as spam_complaints
    from named_events
    where message_id != ''
    group by source_relation, flow_id, message_id
),

{# Klaviyo's own attribution: the Placed Order event names the message it credits; an order
   counts once (its latest event) #}
attributed_orders as (
    select
        source_relation,
        order_id,
        argMax(attributed_message_id, occurred_at) as message_id,
        argMax(coalesce(value, 0), occurred_at) as order_value
    from named_events
    where metric_name = 'Placed Order' and attributed_message_id != ''
    group by source_relation, order_id
),

attributed as (
    select
        source_relation,
        message_id,
        count() as attributed_orders,
        sum(order_value) as attributed_revenue
    from attributed_orders
    group by source_relation, message_id
),

final as (
    select
        engagement.source_relation as source_relation,
        engagement.flow_id as flow_id,
        engagement.message_id as message_id,
        engagement.channel as channel,
        engagement.first_received_at as first_received_at,
        engagement.recipients as recipients,
        engagement.bounces as bounces,
        engagement.opens as opens,
        engagement.unique_opens as unique_opens,
        engagement.clicks as clicks,
        engagement.unique_clicks as unique_clicks,
        engagement.unsubscribes as unsubscribes,
        engagement.spam_complaints as spam_complaints,
        toUInt64(greatest(engagement.recipients - engagement.bounces, 0)) as delivered,
        if(delivered = 0, null, engagement.unique_opens / delivered) as open_rate,
        if(delivered = 0, null, engagement.unique_clicks / delivered) as click_rate,
        if(engagement.unique_opens = 0, null, engagement.unique_clicks / engagement.unique_opens) as click_to_open_rate,
        if(delivered = 0, null, engagement.unsubscribes / delivered) as unsubscribe_rate,
        coalesce(attributed.attributed_orders, 0) as attributed_orders,
        toDecimal128(coalesce(attributed.attributed_revenue, 0), 9) as attributed_revenue,
        if(
            engagement.recipients = 0, null,
            toDecimal128(coalesce(attributed.attributed_revenue, 0) / engagement.recipients, 9)
        ) as revenue_per_recipient
    from engagement
    left join attributed
        on engagement.source_relation = attributed.source_relation and engagement.message_id = attributed.message_id
    settings join_use_nulls = 1
)

select * from final
