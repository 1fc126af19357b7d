{#- Stock per variant x location beside the variant's recent sales: days of cover, stockout and
    overstock flags, stock value at cost. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, variant_id, location_id)',
    )
}}

with

levels as (
    select * from {{ current(ref('shopify__inventory_levels')) }}
),

variants as (
    select * from {{ current(ref('shopify__product_variants')) }}
),

items as (
    select * from {{ current(ref('shopify__inventory_items')) }}
),

order_lines as (
    select * from {{ current(ref('shopify__order_lines')) }}
),

orders as (
    select * from {{ current(ref('shopify__orders')) }}
),

order_sales as (
    select * from {{ ref('int_shopify__order_sales') }}
),

stock as (
    select
        source_relation,
        inventory_item_id,
        assumeNotNull(coalesce(location_id, 0)) as location_id,
        sumIf(quantity, state = 'on_hand') as on_hand,
        sumIf(quantity, state = 'available') as available,
        sumIf(quantity, state = 'committed') as committed,  -- noqa: RF04
        sumIf(quantity, state = 'incoming') as incoming
    from levels
    group by source_relation, inventory_item_id, location_id
),

{# Orders do not say which location shipped them: velocity is the variant's, across locations #}
recent_sales as (
    select
        order_lines.source_relation as source_relation,
        order_lines.variant_id as variant_id,
        sum(order_lines.quantity) as units_last_30_days
    from order_lines
    inner join orders
        on
            order_lines.source_relation = orders.source_relation
            and order_lines.order_id = orders.order_id
            and order_lines.updated_at = orders.updated_at
    inner join order_sales
        on order_lines.source_relation = order_sales.source_relation and order_lines.order_id = order_sales.order_id
    where order_sales.ordered_at >= now() - interval 30 day
    group by order_lines.source_relation, order_lines.variant_id
),

final as (
    select
        stock.source_relation as source_relation,
        stock.inventory_item_id as inventory_item_id,
        variants.product_id as product_id,
        variants.sku as sku,
        stock.location_id as location_id,
        stock.on_hand as on_hand,
        stock.available as available,
        stock.committed as committed,  -- noqa: RF04
        stock.incoming as incoming,
        assumeNotNull(coalesce(variants.variant_id, 0)) as variant_id,
        coalesce(recent_sales.units_last_30_days, 0) / 30 as sales_velocity_30d,
        if(sales_velocity_30d = 0, null, stock.available / sales_velocity_30d) as days_of_cover,
        stock.available <= {{ number_var('inventory_stockout_units', 0) }} as is_stockout,
        days_of_cover > {{ number_var('inventory_overstock_days', 1) }}
        or (sales_velocity_30d = 0 and stock.available > 0) as is_overstock,
        toDecimal128(stock.on_hand * coalesce(items.cost, 0), 9) as stock_value_at_cost
    from stock
    left join variants
        on stock.source_relation = variants.source_relation and stock.inventory_item_id = variants.inventory_item_id
    left join items
        on stock.source_relation = items.source_relation and stock.inventory_item_id = items.inventory_item_id
    left join recent_sales
        on stock.source_relation = recent_sales.source_relation and variants.variant_id = recent_sales.variant_id
    settings join_use_nulls = 1
)

select * from final
