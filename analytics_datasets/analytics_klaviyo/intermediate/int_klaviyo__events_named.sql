{#- One row per current Klaviyo event with its metric's name, as the Klaviyo analytics models
    read it: the curated view klaviyo__events_named (the one definition of an event's metric
    name), stored once per refresh with the reporting date and the channel, so FINAL and the
    metric lookup run once per refresh, not once per reading model. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, metric_name, occurred_at)',
    )
}}

with

{# a view over the curated tables read with FINAL: it takes no FINAL itself #}
events_named as (
    select * from {{ ref('klaviyo__events_named') }}
),

final as (
    select
        source_relation,
        id as event_id,
        assumeNotNull(coalesce(metric_name, '')) as metric_name,
        occurred_at,
        toDate(occurred_at, {{ reporting_timezone() }}) as event_date,
        coalesce(profile_id, '') as profile_id,
        coalesce(message_id, '') as message_id,
        coalesce(flow_id, '') as flow_id,
        if(metric_name in ('Received SMS', 'Clicked SMS'), 'sms', 'email') as channel,
        coalesce(attributed_message_id, '') as attributed_message_id,
        coalesce(attributed_flow_id, '') as attributed_flow_id,
        coalesce(attributed_channel, '') as attributed_channel,
        coalesce(order_id, id) as order_id,
        value  -- noqa: RF04
    from events_named
)

select * from final
