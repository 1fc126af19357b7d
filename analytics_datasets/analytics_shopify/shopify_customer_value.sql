{#- One row per customer (guests by email): lifetime figures and RFM scores and segment. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, customer_key)',
    )
}}

with

order_sales as (
    select * from {{ ref('int_shopify__order_sales') }}
    where customer_key != ''
),

refund_sales as (
    select * from {{ ref('int_shopify__refund_sales') }}
),

order_refunds as (
    select
        source_relation,
        order_id,
        sum(returns + shipping_refunded + tax_refunded) as order_refunded,
        sum(returns) as order_returns
    from refund_sales
    group by source_relation, order_id
),

customer_orders as (
    select
        order_sales.*,
        coalesce(order_refunds.order_refunded, 0) as refunded,
        coalesce(order_refunds.order_returns, 0) as returned
    from order_sales
    left join order_refunds
        on order_sales.source_relation = order_refunds.source_relation and order_sales.order_id = order_refunds.order_id
    settings join_use_nulls = 0
),

customers as (
    select
        source_relation,
        customer_key,
        argMax(email, ordered_at) as email,
        max(customer_id) as customer_id,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at,
        count() as orders,
        sum(gross_sales) as lifetime_gross_sales,
        sum(gross_sales - discounts - returned) as lifetime_net_sales,
        sum(refunded) as lifetime_refunds,
        toDecimal128(sum(gross_sales - discounts) / orders, 9) as average_order_value,
        if(
            orders > 1,
            dateDiff('second', first_order_at, last_order_at) / 86400 / (orders - 1),
            null
        ) as mean_days_between_orders
    from customer_orders
    group by source_relation, customer_key
),

{# Scores 1-5 by percent rank within the shop: ties share a score, so the answer does not
   depend on row order (most customers have one order: they all get frequency 1). #}
scored as (
    select
        *,
        least(5, 1 + toUInt8(floor(5 * percent_rank() over (partition by source_relation order by last_order_at))))
            as recency_score,
        least(5, 1 + toUInt8(floor(5 * percent_rank() over (partition by source_relation order by orders))))
            as frequency_score,
        least(
            5, 1 + toUInt8(floor(5 * percent_rank() over (partition by source_relation order by lifetime_net_sales)))
        ) as monetary_score
    from customers
),

final as (
    select
        *,
        {{ rfm_segment('recency_score', 'frequency_score', 'monetary_score', 'orders') }} as rfm_segment
    from scored
)

select * from final
