{#- Compatibility view, kept for readers outside this project: the former name
    `analytics_shopify.shopify_order_sales`. New code reads int_shopify__order_sales. -#}
{{ config(materialized='view', alias='shopify_order_sales') }}

select * from {{ ref('int_shopify__order_sales') }}  -- noqa: AM04
