{#- Events with their metric name, resolved when read: a metric that lands after its events
    (or is renamed) shows up at once, which a join inside the events materialized view could
    not give (it would freeze the name known at insert time). -#}
{{
    config(
        materialized='view',
    )
}}

with

events as (
    select * from {{ ref('klaviyo__events') }} final
),

metrics as (
    select
        source_relation,
        id as metric_id,
        name as metric_name,
        integration_name as metric_integration_name
    from {{ ref('klaviyo__metrics') }} final
),

final as (
    select
        events.source_relation,
        events.id,
        events.metric_id,
        metrics.metric_name,
        metrics.metric_integration_name,
        events.profile_id,
        events.occurred_at,
        events.event_uuid,
        events.value,
        events.currency_code,
        events.attributed_message_id,
        events.attributed_flow_id,
        events.attributed_channel,
        events.attribution_ids,
        events.message_id,
        events.flow_id,
        events.source_event_id,
        events.order_id,
        events.event_properties,
        events._loaded_at,
        events._dq_issues
    from events
    left join metrics
        on
            events.source_relation = metrics.source_relation
            and events.metric_id = metrics.metric_id
)

select * from final
