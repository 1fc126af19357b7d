{#- One row per current, non-test order with its sales by Shopify's definitions. Every other
    Shopify sales model reads this one, so the definitions live in one place. The current rows
    of the incremental state int_shopify__order_sales_state but its test orders, and whether
    each is its customer's first order: that depends on every order of the customer, so it is
    decided here, over the current rows, rather than stored per order (a change would then
    reach the other orders of its customer). A reader that does not select it does not
    compute it. -#}
{{ config(materialized='view') }}

{# the state's columns, whatever they are, then is_first_order #}
select
    * except (is_test),  -- noqa: AM04
    {# guests without an email cannot be told apart: each of their orders counts as a first
       order #}
    customer_key = ''
    or row_number() over (
        partition by source_relation, customer_key order by ordered_at, order_id
    ) = 1 as is_first_order
from ({{ incremental_current(ref('int_shopify__order_sales_state')) }}) as current_orders
where not is_test
