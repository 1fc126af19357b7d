{#- One row per current line of a counted order (non-test, the order's current version) with
    its sales on the order's day: the line ledger product figures read, beside the order and
    refund ledgers. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, product_id, sales_date, order_id, line_item_id)',
    )
}}

with

order_sales as (
    select * from {{ ref('int_shopify__order_sales') }}
),

order_lines as (
    select * from {{ current(ref('shopify__order_lines')) }}
),

orders as (
    select * from {{ current(ref('shopify__orders')) }}
),

-- a line belongs to the order's current version when it carries that version's updated_at
final as (
    select
        order_lines.source_relation as source_relation,
        order_lines.order_id as order_id,
        order_lines.line_item_id as line_item_id,
        order_sales.sales_date as sales_date,
        order_lines.quantity as quantity,
        assumeNotNull(coalesce(order_lines.product_id, 0)) as product_id,
        assumeNotNull(coalesce(order_lines.variant_id, 0)) as variant_id,
        toDecimal128(order_lines.price * order_lines.quantity, 9) as gross_revenue,
        toDecimal128(coalesce(order_lines.line_discount, 0), 9) as discount
    from order_lines
    inner join order_sales
        on
            order_lines.source_relation = order_sales.source_relation
            and order_lines.order_id = order_sales.order_id
    inner join orders
        on
            order_lines.source_relation = orders.source_relation
            and order_lines.order_id = orders.order_id
            and order_lines.updated_at = orders.updated_at
)

select * from final
