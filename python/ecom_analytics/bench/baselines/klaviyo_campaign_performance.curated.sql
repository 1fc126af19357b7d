{#- Baseline for the benchmark, not a definition: the typical question of the model
    klaviyo_campaign_performance (the definition: last-touch Placed Order attribution to
    campaign messages) answered from the curated tables, to time what the analytics layer
    saves a reader. -#}
with
placed as (
    select id from data_klaviyo.metrics final
    where source_relation = %(account)s and name = 'Placed Order'
),
attributed as (
    select
        order_id,
        argMax(attributed_message_id, occurred_at) as message_id,
        argMax(coalesce(value, 0), occurred_at) as order_value
    from data_klaviyo.events final
    where source_relation = %(account)s and metric_id in (select id from placed)
        and coalesce(attributed_message_id, '') != ''
        and coalesce(attributed_flow_id, '') = ''
    group by order_id
),
revenue as (
    select message_id, count() as orders, sum(order_value) as revenue
    from attributed
    group by message_id
)
select c.name as campaign_name, c.send_time as send_time,
    revenue.orders as attributed_orders, revenue.revenue as attributed_revenue
from data_klaviyo.campaigns as c final
inner join (
    select distinct message_id from data_klaviyo.events
    where source_relation = %(account)s and coalesce(message_id, '') != ''
) as sent on c.message_id = sent.message_id
left join revenue on c.message_id = revenue.message_id
where c.source_relation = %(account)s and c.send_time >= %(start)s and c.send_time < %(end)s
order by attributed_revenue desc, campaign_name
limit 10
