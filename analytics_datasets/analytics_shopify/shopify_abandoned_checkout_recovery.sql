{#- Abandoned checkouts per day they were started, and how many were recovered: completed, or
    followed by an order from the same email within the recovery window. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, checkout_date)',
    )
}}

with

checkouts as (
    select * from {{ current(ref('shopify__abandoned_checkouts')) }}
    where created_at is not null
),

order_sales as (
    select * from {{ ref('int_shopify__order_sales') }}
    where email != ''
),

recovered_by_order as (
    select distinct
        checkouts.source_relation as source_relation,
        checkouts.checkout_id as checkout_id
    from checkouts
    inner join order_sales
        on checkouts.source_relation = order_sales.source_relation and lower(checkouts.email) = order_sales.email
    where
        order_sales.ordered_at >= checkouts.created_at
        and order_sales.ordered_at
        < checkouts.created_at + toIntervalDay({{ number_var('checkout_recovery_days', 1, 365) }})
),

outcomes as (
    select
        checkouts.source_relation as source_relation,
        toDate(checkouts.created_at, {{ reporting_timezone() }}) as checkout_date,
        coalesce(checkouts.total_price, 0) as total_price,
        coalesce(checkouts.is_completed, false) or recovered_by_order.checkout_id != 0 as is_recovered
    from checkouts
    left join recovered_by_order
        on
            checkouts.source_relation = recovered_by_order.source_relation
            and checkouts.checkout_id = recovered_by_order.checkout_id
    settings join_use_nulls = 0
),

final as (
    select
        source_relation,
        assumeNotNull(checkout_date) as checkout_date,
        count() as checkouts,
        countIf(is_recovered) as recovered,
        recovered / checkouts as recovery_rate,
        toDecimal128(sumIf(total_price, not is_recovered), 9) as revenue_lost,
        toDecimal128(sumIf(total_price, is_recovered), 9) as revenue_recovered
    from outcomes
    group by source_relation, checkout_date
)

select * from final
