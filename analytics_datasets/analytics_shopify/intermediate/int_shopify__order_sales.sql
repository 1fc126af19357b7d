{#- One row per current, non-test order with its sales by Shopify's definitions. Every other
    Shopify sales model reads this one, so the definitions live in one place. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, order_id)',
    )
}}

with

orders as (
    select * from {{ current(ref('shopify__orders')) }}
    where not coalesce(is_test, false)
),

order_lines as (
    select * from {{ current(ref('shopify__order_lines')) }}
),

-- a line belongs to the order's current version when it carries that version's updated_at
current_lines as (
    select
        order_lines.source_relation as source_relation,
        order_lines.order_id as order_id,
        sum(order_lines.price * order_lines.quantity) as line_gross_sales,
        sum(order_lines.quantity) as units,
        count() as keyed_lines
    from order_lines
    inner join orders
        on
            order_lines.source_relation = orders.source_relation
            and order_lines.order_id = orders.order_id
            and order_lines.updated_at = orders.updated_at
    group by order_lines.source_relation, order_lines.order_id
),

customer_orders as (
    select
        orders.*,
        coalesce(current_lines.units, 0) as units,
        if(
            {# lines without an id are not in order_lines (shopify__data_quality lists them) #}
            has(orders._dq_issues, 'malformed_line_items_json')
            or coalesce(current_lines.keyed_lines, 0) != orders.line_item_count,
            coalesce(orders.total_line_items_price, 0),
            current_lines.line_gross_sales
        ) as gross_sales,
        assumeNotNull(multiIf(
            orders.customer_id is not null, toString(orders.customer_id),
            coalesce(orders.email, '') != '', concat('email:', lower(orders.email)),
            ''
        )) as customer_key
    from orders
    left join current_lines
        on
            orders.source_relation = current_lines.source_relation
            and orders.order_id = current_lines.order_id
    settings join_use_nulls = 0
),

final as (
    select
        source_relation,
        order_id,
        order_name,
        customer_key,
        lower(email) as email,
        customer_id,
        {# orders with neither timestamp are flagged in curated; their last change dates them #}
        assumeNotNull(coalesce(processed_at, created_at, updated_at)) as ordered_at,
        toDate(ordered_at, {{ reporting_timezone() }}) as sales_date,
        is_cancelled,
        financial_status,
        currency,
        units,
        toDecimal128(gross_sales, 9) as gross_sales,
        toDecimal128(coalesce(total_discounts, 0), 9) as discounts,
        toDecimal128(gross_sales - coalesce(total_discounts, 0), 9) as gross_after_discounts,
        toDecimal128(coalesce(shipping_price, 0), 9) as shipping_charged,
        toDecimal128(coalesce(total_tax, 0), 9) as tax_charged,
        landing_site,
        referring_site,
        source_name,
        utm_source,
        utm_medium,
        utm_campaign,
        {# guests without an email cannot be told apart: each of their orders counts as a
           first order #}
        customer_key = ''
        or row_number() over (
            partition by source_relation, customer_key order by ordered_at, order_id
        ) = 1 as is_first_order
    from customer_orders
)

select * from final
