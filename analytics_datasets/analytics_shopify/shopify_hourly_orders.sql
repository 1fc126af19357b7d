{#- Orders of the last 7 days by hour. A view: "the last 7 days" is exact at query time. -#}
{{ config(materialized='view') }}

with

order_sales as (
    select * from {{ ref('int_shopify__order_sales') }}
    where ordered_at >= now() - interval 7 day
),

ledger as (
    select
        source_relation,
        toStartOfHour(ordered_at, {{ reporting_timezone() }}) as order_hour,
        toUInt64(1) as orders,
        toInt64(units) as units,
        toInt64(0) as units_returned,
        gross_sales,
        discounts,
        toDecimal128(0, 9) as returns,  -- noqa: RF04
        shipping_charged as shipping,
        tax_charged as taxes,
        toUInt64(is_first_order) as new_customer_orders,
        if(is_first_order, gross_sales - discounts, toDecimal128(0, 9)) as new_customer_net_sales
    from order_sales
),

final as (
    select
        source_relation,
        order_hour,
        {{ shopify_sales_measures() }}
    from ledger
    group by source_relation, order_hour
)

select * from final
