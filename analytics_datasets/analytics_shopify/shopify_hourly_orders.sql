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
        {{ shopify_order_ledger_columns() }}
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
