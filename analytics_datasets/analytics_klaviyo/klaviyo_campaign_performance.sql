{#- Campaign messages with their campaign: a view over int_klaviyo__message_performance and the
    small campaign tables, so names and send times are current at query time. -#}
{{ config(materialized='view') }}

with

message_performance as (
    select * from {{ ref('int_klaviyo__message_performance') }}
    {# events of a flow are flow events, never campaign events #}
    where flow_id = ''
),

campaign_messages as (
    select * from {{ current(ref('klaviyo__campaign_messages')) }}
),

campaigns as (
    select * from {{ current(ref('klaviyo__campaigns')) }}
),

message_campaigns as (
    {{ klaviyo_message_campaigns('campaign_messages', 'campaigns') }}
),

final as (
    select
        message_performance.source_relation as source_relation,
        coalesce(message_campaigns.campaign_id, '') as campaign_id,
        message_performance.message_id as message_id,
        campaigns.name as campaign_name,
        coalesce(campaigns.channel, campaign_messages.channel, message_performance.channel) as channel,
        coalesce(campaigns.send_time, message_performance.first_received_at) as send_time,
        {{ klaviyo_message_measures('message_performance') }}
    from message_performance
    left join message_campaigns
        on
            message_performance.source_relation = message_campaigns.source_relation
            and message_performance.message_id = message_campaigns.message_id
    left join campaign_messages
        on
            message_performance.source_relation = campaign_messages.source_relation
            and message_performance.message_id = campaign_messages.message_id
            {# the message within this campaign: a message id claimed by several campaigns
               (bad input) must not repeat every campaign's row #}
            and message_campaigns.campaign_id = campaign_messages.campaign_id
    left join campaigns
        on
            message_campaigns.source_relation = campaigns.source_relation
            and message_campaigns.campaign_id = campaigns.id
    settings join_use_nulls = 1
)

select * from final
