{#- Which products sell together: pairs of products bought in the same Shopify order over the
    last `product_affinity_window_days`, with market-basket support, confidence and lift, so
    a merchandiser sees, for a chosen product, what to cross-sell beside it. Each pair appears
    once per direction (A -> B and B -> A: confidence differs by direction). -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, product_id, related_product_id)',
    )
}}

{%- set window_days = number_var('product_affinity_window_days', 1, 3650) -%}
{%- set window_start = reporting_today() ~ ' - ' ~ window_days %}

with

order_sales as (
    select * from {{ ref('int_shopify__order_sales') }}
    where sales_date > {{ window_start }}
),

line_sales as (
    select * from {{ ref('int_shopify__order_line_sales') }}
    where product_id != 0 and sales_date > {{ window_start }}
),

products as (
    select * from {{ current(ref('shopify__products')) }}
),

{# the baskets: each product once per order, however many lines hold it #}
order_products as (
    select distinct
        source_relation,
        order_id,
        product_id
    from line_sales
),

shop_orders as (
    select
        source_relation,
        uniqExact(order_id) as window_orders
    from order_sales
    group by source_relation
),

product_orders as (
    select
        source_relation,
        product_id,
        count() as orders_with_product
    from order_products
    group by source_relation, product_id
),

pairs as (
    select
        first_product.source_relation as source_relation,
        first_product.product_id as product_id,
        second_product.product_id as related_product_id,
        count() as orders_with_both
    from order_products as first_product
    inner join order_products as second_product
        on
            first_product.source_relation = second_product.source_relation
            and first_product.order_id = second_product.order_id
    where first_product.product_id != second_product.product_id
    group by first_product.source_relation, first_product.product_id, second_product.product_id
    having orders_with_both >= {{ number_var('product_affinity_min_orders', 1) }}
),

final as (
    select
        pairs.source_relation as source_relation,
        pairs.product_id as product_id,
        product_titles.title as product_title,
        pairs.related_product_id as related_product_id,
        related_titles.title as related_product_title,
        toDate({{ window_start }} + 1) as window_start_date,
        {{ reporting_today() }} as window_end_date,
        shop_orders.window_orders as window_orders,
        first_orders.orders_with_product as product_orders,
        related_orders.orders_with_product as related_product_orders,
        pairs.orders_with_both as orders_with_both,
        pairs.orders_with_both / shop_orders.window_orders as support,
        pairs.orders_with_both / first_orders.orders_with_product as confidence,
        {# P(A and B) / (P(A) P(B)): above 1, the pair sells together more than chance #}
        pairs.orders_with_both * shop_orders.window_orders
        / (first_orders.orders_with_product * related_orders.orders_with_product) as lift
    from pairs
    inner join shop_orders
        on pairs.source_relation = shop_orders.source_relation
    inner join product_orders as first_orders
        on
            pairs.source_relation = first_orders.source_relation
            and pairs.product_id = first_orders.product_id
    inner join product_orders as related_orders
        on
            pairs.source_relation = related_orders.source_relation
            and pairs.related_product_id = related_orders.product_id
    left join products as product_titles
        on
            pairs.source_relation = product_titles.source_relation
            and pairs.product_id = product_titles.product_id
    left join products as related_titles
        on
            pairs.source_relation = related_titles.source_relation
            and pairs.related_product_id = related_titles.product_id
    settings join_use_nulls = 1
)

select * from final
