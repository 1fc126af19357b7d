{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, checkout_id)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'abandoned_checkouts') %}
with

abandoned_checkouts as (
    select * from {{ raw }}
),

final as (
    select
        id as checkout_id,
        token,
        cart_token,
        lower(trimBoth(email)) as email,
        JSONExtract(coalesce(customer, ''), 'id', 'Nullable(Int64)') as customer_id,
        currency,
        subtotal_price,
        total_discounts,
        total_price,
        length({{ json_array('line_items') }}) as line_item_count,
        completed_at is not null as is_completed,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(completed_at, 'UTC') as completed_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_checkout_id', 'id = 0'],
            ['invalid_created_at', timestamp_is_invalid('created_at')],
            ['malformed_line_items_json', json_is_malformed('line_items')],
            ['malformed_customer_json', json_is_malformed('customer', 'Object')],
            ['malformed_discount_codes_json', json_is_malformed('discount_codes')],
        ]) }} as _dq_issues
    from abandoned_checkouts
)

select * from final
{% endcall %}
