{#- One row per current, non-test order with its sales by Shopify's definitions. Every other
    Shopify sales model reads this one, so the definitions live in one place. The current rows
    of the incremental state int_shopify__order_sales_state. -#}
{{ config(materialized='view') }}

{{ incremental_current(ref('int_shopify__order_sales_state')) }}
