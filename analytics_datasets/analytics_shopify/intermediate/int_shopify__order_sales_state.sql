{#- The incremental state behind int_shopify__order_sales: one row per current, non-test order
    with its sales by Shopify's definitions. Each refresh recomputes only the orders that
    changed since the last one (the order or its lines), with every order of their customers,
    as the state knew them and as they are now: an order's arrival or change can move which
    order is its customer's first. -#}
{{
    config(
        refreshable=incremental_refresh(),
        engine=incremental_engine(),
        order_by='(source_relation, order_id)',
        incremental_columns='source_relation String, order_id Int64, customer_key String',
        **incremental_state_hooks(),
    )
}}

with

changed_orders as (
    select distinct
        source_relation,
        order_id
    from {{ ref('int_shopify__sales_changes') }}
    where {{ incremental_new('_changed_at') }} and refund_id is null
),

{# guests without an email are told apart by nothing: each of their orders is a first order,
   so they share no customer here #}
changed_customers as (
    select
        source_relation,
        customer_key
    from {{ current(incremental_previous()) }}
    where {{ incremental_keys_in(['source_relation', 'order_id'], 'changed_orders') }} and customer_key != ''
    union distinct
    select
        source_relation,
        {{ shopify_customer_key() }} as customer_key
    from {{ current(ref('shopify__orders')) }}
    where {{ incremental_keys_in(['source_relation', 'order_id'], 'changed_orders') }} and customer_key != ''
),

affected_orders as (
    select
        source_relation,
        order_id
    from changed_orders
    union distinct
    select
        source_relation,
        order_id
    from {{ current(incremental_previous()) }}
    where {{ incremental_keys_in(['source_relation', 'customer_key'], 'changed_customers') }}
),

orders as (
    select * from {{ current(ref('shopify__orders')) }}
    where
        not coalesce(is_test, false)
        and {{ incremental_affected(['source_relation', 'order_id'], 'affected_orders') }}
),

order_lines as (
    select * from {{ current(ref('shopify__order_lines')) }}
    where
        {{ incremental_affected(['source_relation', 'order_id'], 'affected_orders') }}
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
        {{ shopify_customer_key() }} as customer_key
    from orders
    left join current_lines
        on
            orders.source_relation = current_lines.source_relation
            and orders.order_id = current_lines.order_id
    settings join_use_nulls = 0
),

recomputed as (
    select
        source_relation,
        order_id,
        order_name,
        customer_key,
        lower(email) as email,
        customer_id,
        {# orders with neither timestamp are flagged in curated; their last change dates them #}
        assumeNotNull({{ shopify_ordered_at() }}) as ordered_at,
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
),

final as (
    {{ incremental_rows('recomputed', 'affected_orders', ['source_relation', 'order_id']) }}
)

select * from final
