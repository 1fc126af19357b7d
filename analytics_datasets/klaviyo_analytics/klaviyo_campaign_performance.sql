{#- Campaign messages with their campaign: a view over klaviyo_message_performance and the
    small campaign tables, so names and send times are current at query time. -#}
{{ config(materialized='view') }}

with

message_performance as (
    select * from {{ ref('klaviyo_message_performance') }}
    {# events of a flow are flow events, never campaign events #}
    where flow_id = ''
),

campaign_messages as (
    select * from {{ current(ref('klaviyo__campaign_messages')) }}
),

campaigns as (
    select * from {{ current(ref('klaviyo__campaigns')) }}
),

final as (
    select
        message_performance.source_relation as source_relation,
        coalesce(campaign_messages.campaign_id, '') as campaign_id,
        message_performance.message_id as message_id,
        campaigns.name as campaign_name,
        coalesce(campaigns.channel, campaign_messages.channel, message_performance.channel) as channel,
        coalesce(campaigns.send_time, message_performance.first_received_at) as send_time,
        {{ klaviyo_message_measures('message_performance') }}
    from message_performance
    left join campaign_messages
        on
            message_performance.source_relation = campaign_messages.source_relation
            and message_performance.message_id = campaign_messages.id
    left join campaigns
        on
            campaign_messages.source_relation = campaigns.source_relation
            and campaign_messages.campaign_id = campaigns.id
    settings join_use_nulls = 1
)

select * from final
