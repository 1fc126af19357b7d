{#- Baseline for the benchmark, not a definition: the typical question of the model
    product_affinity (the definition) answered from the curated Shopify tables, to time what
    the analytics layer saves a reader: the shop's baskets of the last
    product_affinity_window_days (macros number_var and reporting_today; test orders left
    out, each order's current lines), the most ordered product among those that sell with
    another in at least product_affinity_min_orders orders, and its pairs' support,
    confidence and lift. -#}
with
orders as (
    select order_id, updated_at
    from data_shopify.orders final
    where source_relation = %(shop)s and not coalesce(is_test, false)
        and toDate(assumeNotNull(coalesce(processed_at, created_at, updated_at)), %(timezone)s)
        > {{ reporting_today() }} - {{ number_var('product_affinity_window_days', 1, 3650) }}
),
baskets as (
    select distinct l.order_id as order_id, l.product_id as product_id
    from data_shopify.order_lines as l final
    inner join orders as o on l.order_id = o.order_id and l.updated_at = o.updated_at
    where l.source_relation = %(shop)s and coalesce(l.product_id, 0) != 0
),
product_orders as (
    select product_id, count() as orders
    from baskets
    group by product_id
),
pairs as (
    select a.product_id as product_id, b.product_id as related_product_id,
        count() as orders_with_both
    from baskets as a
    inner join baskets as b on a.order_id = b.order_id
    where a.product_id != b.product_id
    group by product_id, related_product_id
    having orders_with_both >= {{ number_var('product_affinity_min_orders', 1) }}
),
chosen as (
    select argMax(p.product_id, tuple(o.orders, p.product_id)) as product_id
    from (select distinct product_id from pairs) as p
    inner join product_orders as o on p.product_id = o.product_id
),
final as (
    select
        p.related_product_id as related_product_id,
        t.title as related_product_title,
        p.orders_with_both as orders_with_both,
        p.orders_with_both / (select count() from orders) as support,
        p.orders_with_both / a.orders as confidence,
        p.orders_with_both * (select count() from orders) / (a.orders * b.orders) as lift
    from pairs as p
    inner join product_orders as a on p.product_id = a.product_id
    inner join product_orders as b on p.related_product_id = b.product_id
    left join (
        select product_id, title from data_shopify.products final
        where source_relation = %(shop)s
    ) as t on p.related_product_id = t.product_id
    where p.product_id = (select product_id from chosen)
    settings join_use_nulls = 1
)
select * from final order by lift desc, orders_with_both desc, related_product_id limit 10
