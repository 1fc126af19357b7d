{#- Compatibility view, kept for readers outside this project: the former name
    `analytics_shopify.shopify_customers`. New code reads shopify_customer_value. -#}
{{ config(materialized='view', alias='shopify_customers') }}

select * from {{ ref('shopify_customer_value') }}  -- noqa: AM04
