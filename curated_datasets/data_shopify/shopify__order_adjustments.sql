{#- Adjustments carry no reliable id in every API version: they are keyed by their position in
    the refund, which never changes because refunds are immutable. -#}
{{
    config(
        engine='ReplacingMergeTree(created_at)',
        order_by='(source_relation, refund_id, adjustment_index)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'order_refunds') %}
with

order_refunds as (
    select * from {{ raw }}
),

order_adjustments as (
    select
        order_refunds.id as refund_id,
        order_refunds.order_id,
        order_refunds.created_at,
        order_refunds._airbyte_extracted_at,
        order_adjustment,
        adjustment_index
    from order_refunds
    array join
        {{ json_array('order_adjustments') }} as order_adjustment,
        arrayEnumerate({{ json_array('order_adjustments') }}) as adjustment_index
),

final as (
    select
        refund_id,
        toUInt32(adjustment_index) as adjustment_index,
        JSONExtract(order_adjustment, 'id', 'Nullable(Int64)') as order_adjustment_id,
        order_id,
        {{ json_decimal('order_adjustment', ['amount']) }} as amount,
        {{ json_decimal('order_adjustment', ['tax_amount']) }} as tax_amount,
        nullIf(JSONExtractString(order_adjustment, 'kind'), '') as kind,
        nullIf(JSONExtractString(order_adjustment, 'reason'), '') as reason,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_amount', 'amount is null'],
        ]) }} as _dq_issues
    from order_adjustments
)

select * from final
{% endcall %}
