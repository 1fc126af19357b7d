{#- One row per refund of a non-test order with what it takes back, by Shopify's definitions:
    returns (refunded line subtotals), shipping and tax refunded, on the refund's date. The
    current rows of the incremental state int_shopify__refund_sales_state, but the refunds of
    the orders the order state flags as test orders (a refund of an order not known keeps). -#}
{{ config(materialized='view') }}

with

refunds as (
    {{ incremental_current(ref('int_shopify__refund_sales_state')) }}
),

test_orders as (
    select
        source_relation,
        order_id
    from ({{ incremental_current(ref('int_shopify__order_sales_state')) }}) as current_orders
    where is_test
),

final as (
    select refunds.*
    from refunds
    left anti join test_orders
        on refunds.source_relation = test_orders.source_relation and refunds.order_id = test_orders.order_id
)

{# the state's columns, whatever they are #}
select * from final  -- noqa: AM04
