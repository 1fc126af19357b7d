{#- Baseline for the benchmark, not a definition: the typical question of the model
    klaviyo_campaign_performance (the definition: last-touch Placed Order attribution to
    campaign messages) answered from raw, to time what the analytics layer saves a reader.
    The order value is parsed with the project's macro json_decimal. -#}
with
placed as (
    select id from raw_klaviyo.metrics final
    where JSONExtractString(attributes, 'name') = 'Placed Order'
),
events as (
    select
        datetime as occurred_at,
        JSONExtractString(attributes, 'event_properties', '$attributed_message')
            as event_message_id,
        JSONExtractString(attributes, 'event_properties', '$attributed_flow')
            as event_flow_id,
        JSONExtractString(attributes, 'event_properties', '$event_id') as order_id,
        coalesce({{ json_decimal('attributes', ['event_properties', '$value']) }}, toDecimal128(0, 9))
            as event_value
    from raw_klaviyo.events final
    where JSONExtractString(relationships, 'metric', 'data', 'id')
        in (select id from placed)
),
attributed as (
    select
        order_id,
        argMax(event_message_id, occurred_at) as message_id,
        argMax(event_value, occurred_at) as order_value
    from events
    where event_message_id != '' and event_flow_id = ''
    group by order_id
),
revenue as (
    select message_id, count() as orders, sum(order_value) as revenue
    from attributed
    group by message_id
),
campaigns as (
    select
        JSONExtractString(attributes, 'name') as campaign_name,
        JSONExtractString(attributes, 'message') as message_id,
        parseDateTime64BestEffortOrNull(JSONExtractString(attributes, 'send_time'), 3)
            as send_time
    from raw_klaviyo.campaigns final
)
select campaigns.campaign_name as campaign_name, campaigns.send_time as send_time,
    coalesce(revenue.orders, 0) as attributed_orders,
    coalesce(revenue.revenue, 0) as attributed_revenue
from campaigns
inner join (
    select distinct
        JSONExtractString(attributes, 'event_properties', '$message') as message_id
    from raw_klaviyo.events
) as sent on campaigns.message_id = sent.message_id
left join revenue on campaigns.message_id = revenue.message_id
where campaigns.send_time >= %(start)s and campaigns.send_time < %(end)s
order by attributed_revenue desc, campaign_name
limit 10
