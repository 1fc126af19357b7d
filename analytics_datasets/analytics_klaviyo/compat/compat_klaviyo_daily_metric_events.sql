{#- Compatibility view, kept for readers outside this project: the former name
    `analytics_klaviyo.klaviyo_daily_metric_events`. New code reads int_klaviyo__daily_metric_events. -#}
{{ config(materialized='view', alias='klaviyo_daily_metric_events') }}

select * from {{ ref('int_klaviyo__daily_metric_events') }}  -- noqa: AM04
