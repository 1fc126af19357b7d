{#- One row per current Klaviyo event with its metric's name: the one place every Klaviyo
    analytics model reads events from, so FINAL and the metric lookup happen once per refresh. -#}
{{
    config(
        materialized='materialized_view',
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, metric_name, occurred_at)',
    )
}}

with

events as (
    select * from {{ current(ref('klaviyo__events')) }}
),

metrics as (
    select * from {{ current(ref('klaviyo__metrics')) }}
),

final as (
    select
        events.source_relation as source_relation,
        events.id as event_id,
        assumeNotNull(coalesce(metrics.name, '')) as metric_name,
        events.occurred_at as occurred_at,
        toDate(events.occurred_at, {{ reporting_timezone() }}) as event_date,
        coalesce(events.profile_id, '') as profile_id,
        coalesce(events.message_id, '') as message_id,
        coalesce(events.flow_id, '') as flow_id,
        if(metrics.name in ('Received SMS', 'Clicked SMS'), 'sms', 'email') as channel,
        coalesce(events.attributed_message_id, '') as attributed_message_id,
        coalesce(events.attributed_flow_id, '') as attributed_flow_id,
        coalesce(events.attributed_channel, '') as attributed_channel,
        coalesce(events.order_id, events.id) as order_id,
        events.value as value  -- noqa: RF04
    from events
    left join metrics
        on events.source_relation = metrics.source_relation and events.metric_id = metrics.id
    settings join_use_nulls = 1
)

select * from final
