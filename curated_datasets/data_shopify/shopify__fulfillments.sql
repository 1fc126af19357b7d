{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, fulfillment_id)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'fulfillments') %}
with

fulfillments as (
    select * from {{ raw }}
),

final as (
    select
        id as fulfillment_id,
        order_id,
        location_id,
        status,
        shipment_status,
        tracking_company,
        length({{ json_array('line_items') }}) as line_item_count,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_fulfillment_id', 'id = 0'],
            ['missing_order_id', 'order_id is null'],
            ['invalid_created_at', timestamp_is_invalid('created_at')],
            ['malformed_line_items_json', json_is_malformed('line_items')],
        ]) }} as _dq_issues
    from fulfillments
)

select * from final
{% endcall %}
