{#- Shopify's sales report per day: sales on their order's day, returns on their refund's day
    (a ledger of both, summed). A return counts as new-customer sales when its order was its
    customer's first. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, sales_date)',
    )
}}

with

order_sales as (
    select * from {{ ref('int_shopify__order_sales') }}
),

refund_sales as (
    select * from {{ ref('int_shopify__refund_sales') }}
),

-- each refund with whether its order was its customer's first
refunds as (
    select
        refund_sales.source_relation as source_relation,
        refund_sales.return_date as return_date,
        refund_sales.units_returned as units_returned,
        refund_sales.returns as returns,  -- noqa: RF04
        refund_sales.shipping_refunded as shipping_refunded,
        refund_sales.tax_refunded as tax_refunded,
        coalesce(order_sales.is_first_order, false) as is_of_first_order
    from refund_sales
    left join order_sales
        on
            refund_sales.source_relation = order_sales.source_relation
            and refund_sales.order_id = order_sales.order_id
),

ledger as (
    select
        source_relation,
        sales_date,
        {{ shopify_order_ledger_columns() }}
    from order_sales
    union all
    select
        source_relation,
        return_date as sales_date,
        toUInt64(0) as orders,
        toInt64(0) as units,
        toInt64(units_returned) as units_returned,
        toDecimal128(0, 9) as gross_sales,
        toDecimal128(0, 9) as discounts,
        returns,
        -shipping_refunded as shipping,
        -tax_refunded as taxes,
        toUInt64(0) as new_customer_orders,
        if(is_of_first_order, -returns, toDecimal128(0, 9)) as new_customer_net_sales
    from refunds
),

final as (
    select
        source_relation,
        sales_date,
        {{ shopify_sales_measures() }}
    from ledger
    group by source_relation, sales_date
)

select * from final
