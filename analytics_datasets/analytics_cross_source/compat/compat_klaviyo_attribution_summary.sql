{#- Compatibility view, kept for readers outside this project: the former name
    `analytics_klaviyo.klaviyo_attribution_summary`. New code reads marketing_attribution.
    It lands in the Klaviyo database under that name, and lives here because it shows Shopify
    orders: the Klaviyo folder reads Klaviyo only. -#}
{{ config(materialized='view', alias='klaviyo_attribution_summary', schema='analytics_klaviyo') }}

select * from {{ ref('marketing_attribution') }}  -- noqa: AM04
