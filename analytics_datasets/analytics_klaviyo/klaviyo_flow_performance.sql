{#- Flow messages with their flow: a view over int_klaviyo__message_performance and the flows. -#}
{{ config(materialized='view') }}

with

message_performance as (
    select * from {{ ref('int_klaviyo__message_performance') }}
    where flow_id != ''
),

flows as (
    select * from {{ current(ref('klaviyo__flows')) }}
),

final as (
    select
        message_performance.source_relation as source_relation,
        message_performance.flow_id as flow_id,
        message_performance.message_id as message_id,
        flows.name as flow_name,
        message_performance.channel as channel,
        {{ klaviyo_message_measures('message_performance') }}
    from message_performance
    left join flows
        on message_performance.source_relation = flows.source_relation and message_performance.flow_id = flows.id
    settings join_use_nulls = 1
)

select * from final
