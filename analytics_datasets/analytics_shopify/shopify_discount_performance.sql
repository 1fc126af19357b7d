{#- Per discount code: its orders and what they bring, against the orders without any code in
    the same period (the code's first to last use). -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, code)',
    )
}}

with

orders_current as (
    select * from {{ current(ref('shopify__orders')) }}
),

discount_codes as (
    select * from {{ current(ref('shopify__order_discount_codes')) }}
),

order_sales as (
    select * from {{ ref('int_shopify__order_sales') }}
),

order_returns as (
    select
        source_relation,
        order_id,
        sum(returns) as order_returns
    from {{ ref('int_shopify__refund_sales') }}
    group by source_relation, order_id
),

-- codes of each order's current version
order_codes as (
    select
        codes.source_relation as source_relation,
        codes.order_id as order_id,
        codes.code as code,
        codes.amount as amount
    from discount_codes as codes
    inner join orders_current
        on
            codes.source_relation = orders_current.source_relation
            and codes.order_id = orders_current.order_id
            and codes.updated_at = orders_current.updated_at
),

orders as (
    select
        order_sales.source_relation as source_relation,
        order_sales.order_id as order_id,
        order_sales.sales_date as sales_date,
        order_sales.gross_sales as gross_sales,
        order_sales.discounts as discounts,
        order_sales.gross_sales - order_sales.discounts - coalesce(order_returns.order_returns, 0) as net_sales,
        (order_sales.source_relation, order_sales.order_id) in (
            select
                order_codes.source_relation as source_relation,
                order_codes.order_id as order_id
            from order_codes
        ) as has_code
    from order_sales
    left join order_returns
        on order_sales.source_relation = order_returns.source_relation and order_sales.order_id = order_returns.order_id
    settings join_use_nulls = 0
),

code_orders as (
    select
        order_codes.source_relation as source_relation,
        order_codes.code as code,
        count() as code_orders,
        toDecimal128(sum(coalesce(order_codes.amount, 0)), 9) as discount_amount,
        toDecimal128(sum(orders.net_sales), 9) as code_net_sales,
        toDecimal128(sum(orders.gross_sales - orders.discounts) / code_orders, 9) as average_order_value,
        min(orders.sales_date) as first_used_on,
        max(orders.sales_date) as last_used_on
    from order_codes
    inner join orders
        on order_codes.source_relation = orders.source_relation and order_codes.order_id = orders.order_id
    group by order_codes.source_relation, order_codes.code
),

orders_without_code as (
    select
        code_orders.source_relation as source_relation,
        code_orders.code as code,
        toDecimal128(sum(orders.gross_sales - orders.discounts) / count(), 9) as average_order_value
    from code_orders
    inner join orders
        on code_orders.source_relation = orders.source_relation
    where
        not orders.has_code
        and orders.sales_date between code_orders.first_used_on and code_orders.last_used_on
    group by code_orders.source_relation, code_orders.code
),

final as (
    select
        code_orders.source_relation as source_relation,
        code_orders.code as code,
        code_orders.code_orders as orders,
        code_orders.discount_amount as discount_amount,
        code_orders.code_net_sales as net_sales,
        code_orders.average_order_value as average_order_value,
        code_orders.first_used_on as first_used_on,
        code_orders.last_used_on as last_used_on,
        orders_without_code.average_order_value as average_order_value_without_code
    from code_orders
    left join orders_without_code
        on
            code_orders.source_relation = orders_without_code.source_relation
            and code_orders.code = orders_without_code.code
    settings join_use_nulls = 1
)

select * from final
