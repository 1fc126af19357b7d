{#- Compatibility view, kept for readers outside this project: the former name
    `analytics_shopify.shopify_refund_sales`. New code reads int_shopify__refund_sales. -#}
{{ config(materialized='view', alias='shopify_refund_sales') }}

select * from {{ ref('int_shopify__refund_sales') }}  -- noqa: AM04
