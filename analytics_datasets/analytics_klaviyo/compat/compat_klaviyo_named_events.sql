{#- Compatibility view, kept for readers outside this project: the former name
    `analytics_klaviyo.klaviyo_named_events`. New code reads int_klaviyo__events_named. -#}
{{ config(materialized='view', alias='klaviyo_named_events') }}

select * from {{ ref('int_klaviyo__events_named') }}  -- noqa: AM04
