{#- Sales per product x variant x day (sales on the order's day, returns on the refund's day),
    with each product's last 30 days against the 30 before and an is_declining flag. -#}
{{
    config(
        materialized='materialized_view',
        refreshable=analytics_refresh(depends_on=[
            'shopify_analytics.shopify_order_sales_mv',
            'shopify_analytics.shopify_refund_sales_mv',
        ]),
        engine='MergeTree()',
        order_by='(source_relation, product_id, variant_id, sales_date)',
    )
}}

with

order_sales as (
    select * from {{ ref('shopify_order_sales') }}
),

refund_sales as (
    select * from {{ ref('shopify_refund_sales') }}
),

order_lines as (
    select * from {{ current(ref('shopify__order_lines')) }}
),

orders as (
    select * from {{ current(ref('shopify__orders')) }}
),

refund_lines as (
    select * from {{ current(ref('shopify__refund_lines')) }}
),

-- current lines of counted orders (test orders are not in order_sales)
sold_lines as (
    select
        order_lines.source_relation as source_relation,
        order_lines.order_id as order_id,
        order_lines.line_item_id as line_item_id,
        order_sales.sales_date as sales_date,
        order_lines.quantity as quantity,
        assumeNotNull(coalesce(order_lines.product_id, 0)) as product_id,
        assumeNotNull(coalesce(order_lines.variant_id, 0)) as variant_id,
        order_lines.price * order_lines.quantity as gross_revenue,
        coalesce(order_lines.line_discount, 0) as discount
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
),

returned_lines as (
    select
        refund_lines.source_relation as source_relation,
        sold_lines.product_id as product_id,
        sold_lines.variant_id as variant_id,
        refund_sales.return_date as sales_date,
        refund_lines.quantity as quantity,
        coalesce(refund_lines.subtotal, 0) as amount
    from refund_lines
    inner join refund_sales
        on
            refund_lines.source_relation = refund_sales.source_relation
            and refund_lines.refund_id = refund_sales.refund_id
    inner join sold_lines
        on
            refund_lines.source_relation = sold_lines.source_relation
            and refund_lines.line_item_id = sold_lines.line_item_id
),

ledger as (
    select
        source_relation,
        product_id,
        variant_id,
        sales_date,
        toInt64(quantity) as units,
        toDecimal128(gross_revenue, 9) as gross_revenue,
        toDecimal128(discount, 9) as discounts,
        toInt64(0) as units_returned,
        toDecimal128(0, 9) as amount_returned
    from sold_lines
    union all
    select
        source_relation,
        product_id,
        variant_id,
        sales_date,
        toInt64(0) as units,
        toDecimal128(0, 9) as gross_revenue,
        toDecimal128(0, 9) as discounts,
        toInt64(quantity) as units_returned,
        toDecimal128(amount, 9) as amount_returned
    from returned_lines
),

daily as (
    select
        source_relation,
        product_id,
        variant_id,
        sales_date,
        sum(units) as units,
        sum(gross_revenue) as gross_revenue,
        sum(discounts) as discounts,
        sum(units_returned) as units_returned,
        sum(amount_returned) as amount_returned
    from ledger
    group by source_relation, product_id, variant_id, sales_date
),

final as (
    select
        source_relation,
        product_id,
        variant_id,
        sales_date,
        units,
        gross_revenue,
        discounts,
        units_returned,
        amount_returned,
        gross_revenue - discounts - amount_returned as net_revenue,
        if(units = 0, null, units_returned / units) as refund_rate,
        {% set today = 'toDate(now(), ' ~ reporting_timezone() ~ ')' %}
        sumIf(gross_revenue - discounts - amount_returned, sales_date > {{ today }} - 30)
            over product
            as net_revenue_last_30_days,
        sumIf(
            gross_revenue - discounts - amount_returned,
            sales_date <= {{ today }} - 30 and sales_date > {{ today }} - 60
        ) over product as net_revenue_previous_30_days,
        net_revenue_previous_30_days > 0
        and net_revenue_last_30_days
        < net_revenue_previous_30_days * (1 - {{ number_var('product_decline_threshold', 0, 1) }}) as is_declining
    from daily
    window product as (partition by source_relation, product_id)
)

select * from final
