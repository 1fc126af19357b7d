{#- Checkout lines have no stable id: they are keyed by position in the checkout. A checkout
    that later loses lines keeps the rows of its older, longer versions: read the lines whose
    updated_at equals the checkout's current updated_at (shopify__abandoned_checkouts final). -#}
{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, checkout_id, line_index)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'abandoned_checkouts') %}
with

abandoned_checkouts as (
    select * from {{ raw }}
),

line_items as (
    select
        abandoned_checkouts.id as checkout_id,
        abandoned_checkouts.created_at,
        abandoned_checkouts.updated_at,
        abandoned_checkouts.currency,
        abandoned_checkouts._airbyte_extracted_at,
        line_item,
        line_index
    from abandoned_checkouts
    array join
        {{ json_array('line_items') }} as line_item,
        arrayEnumerate({{ json_array('line_items') }}) as line_index
),

final as (
    select
        checkout_id,
        toUInt32(line_index) as line_index,
        JSONExtract(line_item, 'product_id', 'Nullable(Int64)') as product_id,
        JSONExtract(line_item, 'variant_id', 'Nullable(Int64)') as variant_id,
        nullIf(JSONExtractString(line_item, 'sku'), '') as sku,
        nullIf(JSONExtractString(line_item, 'title'), '') as title,
        JSONExtract(line_item, 'quantity', 'Nullable(Int64)') as quantity,
        {{ json_decimal('line_item', ['price']) }} as price,
        currency,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_quantity', 'quantity is null'],
            ['missing_price', 'price is null'],
        ]) }} as _dq_issues
    from line_items
)

select * from final
{% endcall %}
