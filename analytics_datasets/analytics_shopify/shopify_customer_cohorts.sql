{#- Customers grouped by the month of their first order, followed month by month. Every month
    from the cohort's first to the latest month with orders has a row, active or not. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, cohort_month, months_since_first_order)',
    )
}}

with

order_sales as (
    select * from {{ ref('int_shopify__order_sales') }}
    where customer_key != ''
),

order_returns as (
    select
        source_relation,
        order_id,
        sum(returns) as order_returns
    from {{ ref('int_shopify__refund_sales') }}
    group by source_relation, order_id
),

customer_orders as (
    select
        order_sales.source_relation as source_relation,
        order_sales.customer_key as customer_key,
        toStartOfMonth(order_sales.sales_date) as order_month,
        min(toStartOfMonth(order_sales.sales_date)) over (
            partition by order_sales.source_relation, order_sales.customer_key
        ) as cohort_month,
        order_sales.gross_sales - order_sales.discounts - coalesce(order_returns.order_returns, 0) as order_net_revenue
    from order_sales
    left join order_returns
        on order_sales.source_relation = order_returns.source_relation and order_sales.order_id = order_returns.order_id
    settings join_use_nulls = 0
),

cohort_sizes as (
    select
        source_relation,
        cohort_month,
        uniqExact(customer_key) as cohort_size
    from customer_orders
    group by source_relation, cohort_month
),

activity as (
    select
        source_relation,
        cohort_month,
        toUInt32(dateDiff('month', cohort_month, order_month)) as months_since_first_order,
        uniqExact(customer_key) as month_active_customers,
        count() as month_orders,
        sum(order_net_revenue) as month_net_revenue
    from customer_orders
    group by source_relation, cohort_month, months_since_first_order
),

latest as (
    select
        source_relation,
        max(order_month) as latest_month
    from customer_orders
    group by source_relation
),

grid as (
    select
        cohort_sizes.source_relation as source_relation,
        cohort_sizes.cohort_month as cohort_month,
        cohort_sizes.cohort_size as cohort_size,
        toUInt32(arrayJoin(range(toUInt32(dateDiff('month', cohort_sizes.cohort_month, latest.latest_month) + 1))))
            as months_since_first_order
    from cohort_sizes
    inner join latest on cohort_sizes.source_relation = latest.source_relation
),

final as (
    select
        grid.source_relation as source_relation,
        grid.cohort_month as cohort_month,
        grid.months_since_first_order as months_since_first_order,
        grid.cohort_size as cohort_size,
        coalesce(activity.month_active_customers, 0) as active_customers,
        coalesce(activity.month_orders, 0) as orders,
        toDecimal128(coalesce(activity.month_net_revenue, 0), 9) as net_revenue,
        active_customers / grid.cohort_size as retention_rate,
        toDecimal128(
            sum(net_revenue) over (
                partition by grid.source_relation, grid.cohort_month
                order by grid.months_since_first_order
                rows between unbounded preceding and current row
            ) / grid.cohort_size,
            9
        ) as cumulative_net_revenue_per_customer
    from grid
    left join activity
        on
            grid.source_relation = activity.source_relation
            and grid.cohort_month = activity.cohort_month
            and grid.months_since_first_order = activity.months_since_first_order
    settings join_use_nulls = 1
)

select * from final
