{#- Keyed by (refund, refunded line item). Entries with no line_item_id are left out here and
    listed in shopify__data_quality. The version is the refund's created_at. -#}
{{
    config(
        engine='ReplacingMergeTree(created_at)',
        order_by='(source_relation, refund_id, line_item_id)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'order_refunds') %}
with

order_refunds as (
    select * from {{ raw }}
),

refund_line_items as (
    select
        order_refunds.id as refund_id,
        order_refunds.order_id,
        order_refunds.created_at,
        order_refunds._airbyte_extracted_at,
        refund_line_item,
        JSONExtract(refund_line_item, 'line_item_id', 'Nullable(Int64)') as parsed_line_item_id
    from order_refunds
    array join {{ json_array('refund_line_items') }} as refund_line_item
),

final as (
    select
        refund_id,
        assumeNotNull(parsed_line_item_id) as line_item_id,
        order_id,
        JSONExtract(refund_line_item, 'id', 'Nullable(Int64)') as refund_line_id,
        JSONExtract(refund_line_item, 'quantity', 'Nullable(Int64)') as quantity,
        {{ json_decimal('refund_line_item', ['subtotal']) }} as subtotal,
        {{ json_decimal('refund_line_item', ['total_tax']) }} as total_tax,
        nullIf(JSONExtractString(refund_line_item, 'restock_type'), '') as restock_type,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_quantity', 'quantity is null'],
            ['missing_subtotal', 'subtotal is null'],
        ]) }} as _dq_issues
    from refund_line_items
    where parsed_line_item_id is not null
)

select * from final
{% endcall %}
