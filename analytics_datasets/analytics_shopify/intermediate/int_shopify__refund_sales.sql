{#- One row per refund of a non-test order with what it takes back, by Shopify's definitions:
    returns (refunded line subtotals), shipping and tax refunded, on the refund's date. The
    current rows of the incremental state int_shopify__refund_sales_state. -#}
{{ config(materialized='view') }}

{{ incremental_current(ref('int_shopify__refund_sales_state')) }}
