{#- Compatibility view, kept for readers outside this project: the former name
    `analytics_ga4.ga4_page_performance`. New code reads shop_page_performance (or
    ga4_page_views without the Shopify product). It lands in the GA4 database under that name,
    and lives here because it shows Shopify products: the GA4 folder reads GA4 only. -#}
{{ config(materialized='view', alias='ga4_page_performance', schema='analytics_ga4') }}

select * from {{ ref('shop_page_performance') }}  -- noqa: AM04
