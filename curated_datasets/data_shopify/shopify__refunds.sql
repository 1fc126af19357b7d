{#- Refunds never change once created: created_at is the stream's cursor and the version. -#}
{{
    config(
        engine='ReplacingMergeTree(created_at)',
        order_by='(source_relation, refund_id)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'order_refunds') %}
with

order_refunds as (
    select * from {{ raw }}
),

final as (
    select
        id as refund_id,
        order_id,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(processed_at, 'UTC') as processed_at,
        note,
        restock,
        {{ json_array_sum('refund_line_items', ['subtotal']) }} as refund_lines_subtotal,
        {{ json_array_sum('refund_line_items', ['total_tax']) }} as refund_lines_tax,
        {{ json_array_sum('order_adjustments', ['amount']) }} as order_adjustments_amount,
        arraySum(
            arrayMap(
                transaction -> coalesce({{ json_decimal('transaction', ['amount']) }}, toDecimal128(0, 9)),
                arrayFilter(
                    transaction -> JSONExtractString(transaction, 'kind') = 'refund'
                    and JSONExtractString(transaction, 'status') = 'success',
                    {{ json_array('transactions') }}
                )
            )
        ) as refunded_amount,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_refund_id', 'id = 0'],
            ['missing_order_id', 'order_id is null'],
            ['invalid_created_at', timestamp_is_invalid('created_at')],
            ['malformed_refund_line_items_json', json_is_malformed('refund_line_items')],
            ['malformed_order_adjustments_json', json_is_malformed('order_adjustments')],
            ['malformed_transactions_json', json_is_malformed('transactions')],
        ]) }} as _dq_issues
    from order_refunds
)

select * from final
{% endcall %}
