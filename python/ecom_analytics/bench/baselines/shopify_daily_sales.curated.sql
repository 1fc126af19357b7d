{#- Baseline for the benchmark, not a definition: the typical question of the model
    shopify_daily_sales (the definition) answered from the curated tables, to time what the
    analytics layer saves a reader. Skips the model's data-quality fallbacks, so on bad input
    rows its figures can differ slightly from the model's. -#}
with
orders as (
    select * from data_shopify.orders final
    where source_relation = %(shop)s and not is_test
),
lines as (
    select l.order_id as order_id, sum(l.price * l.quantity) as gross,
        count() as keyed_lines
    from data_shopify.order_lines as l final
    inner join orders as o on l.order_id = o.order_id and l.updated_at = o.updated_at
    where l.source_relation = %(shop)s
    group by l.order_id
),
ledger as (
    select
        toDate(assumeNotNull(coalesce(o.processed_at, o.created_at, o.updated_at)),
            %(timezone)s) as sales_date,
        1 as orders,
        toDecimal128(if(
            has(o._dq_issues, 'malformed_line_items_json')
            or coalesce(lines.keyed_lines, 0) != o.line_item_count,
            coalesce(o.total_line_items_price, 0),
            lines.gross
        ), 9) as gross,
        toDecimal128(coalesce(o.total_discounts, 0), 9) as discounts,
        toDecimal128(0, 9) as returns,
        toDecimal128(o.shipping_price, 9) as shipping,
        toDecimal128(coalesce(o.total_tax, 0), 9) as taxes
    from orders as o
    left join lines on o.order_id = lines.order_id
    union all
    select
        toDate(coalesce(r.processed_at, r.created_at), %(timezone)s),
        0,
        toDecimal128(0, 9),
        toDecimal128(0, 9),
        toDecimal128(r.refund_lines_subtotal, 9),
        toDecimal128(coalesce(a.shipping, 0), 9),
        toDecimal128(coalesce(a.shipping_tax, 0) - r.refund_lines_tax, 9)
    from data_shopify.refunds as r final
    left join (
        select
            refund_id,
            sumIf(amount, kind = 'shipping_refund') as shipping,
            sumIf(coalesce(tax_amount, 0), kind = 'shipping_refund') as shipping_tax
        from data_shopify.order_adjustments final
        where source_relation = %(shop)s
        group by refund_id
    ) as a on r.refund_id = a.refund_id
    where r.source_relation = %(shop)s
)
{% include '_daily_sales_from_ledger.sql' %}
