{#- Keyed by (order, line item id). Lines with no usable id cannot be keyed: they are left out
    here and listed in shopify__data_quality. Partitioned like orders, by the order's created_at. -#}
{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, order_id, line_item_id)',
        partition_by="toYear(coalesce(created_at, toDateTime64(0, 3, 'UTC')))",
    )
}}

{% call(raw) for_each_raw_database('shopify', 'orders') %}
with

orders as (
    select * from {{ raw }}
),

line_items as (
    select
        orders.id as order_id,
        orders.created_at,
        orders.updated_at,
        orders.currency,
        orders._airbyte_extracted_at,
        line_item,
        line_index
    from orders
    array join
        {{ json_array('line_items') }} as line_item,
        arrayEnumerate({{ json_array('line_items') }}) as line_index
),

parsed as (
    select
        *,
        JSONExtract(line_item, 'id', 'Nullable(Int64)') as parsed_line_item_id,
        {{ json_array('JSONExtractRaw(line_item, \'discount_allocations\')') }} as discount_allocations
    from line_items
),

final as (
    select
        order_id,
        assumeNotNull(parsed_line_item_id) as line_item_id,
        toUInt32(line_index) as line_index,
        JSONExtract(line_item, 'product_id', 'Nullable(Int64)') as product_id,
        JSONExtract(line_item, 'variant_id', 'Nullable(Int64)') as variant_id,
        nullIf(JSONExtractString(line_item, 'sku'), '') as sku,
        nullIf(JSONExtractString(line_item, 'title'), '') as title,
        nullIf(JSONExtractString(line_item, 'variant_title'), '') as variant_title,
        JSONExtract(line_item, 'quantity', 'Nullable(Int64)') as quantity,
        {{ json_decimal('line_item', ['price']) }} as price,
        {{ json_decimal('line_item', ['total_discount']) }} as total_discount,
        {# Shopify moved line discounts to discount_allocations; fall back to total_discount. #}
        if(
            length(discount_allocations) > 0,
            arraySum(
                arrayMap(
                    allocation -> coalesce({{ json_decimal('allocation', ['amount']) }}, toDecimal128(0, 9)),
                    discount_allocations
                )
            ),
            {{ json_decimal('line_item', ['total_discount']) }}
        ) as line_discount,
        currency,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_quantity', 'quantity is null'],
            ['missing_price', 'price is null'],
        ]) }} as _dq_issues
    from parsed
    where parsed_line_item_id is not null
)

select * from final
{% endcall %}
