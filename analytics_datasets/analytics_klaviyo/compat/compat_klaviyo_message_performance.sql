{#- Compatibility view, kept for readers outside this project: the former name
    `analytics_klaviyo.klaviyo_message_performance`. New code reads int_klaviyo__message_performance. -#}
{{ config(materialized='view', alias='klaviyo_message_performance') }}

select * from {{ ref('int_klaviyo__message_performance') }}  -- noqa: AM04
