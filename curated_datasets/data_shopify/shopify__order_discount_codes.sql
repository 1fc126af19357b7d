{#- Keyed by (order, code): a code appears once per order. Entries with no code are left out
    here and listed in shopify__data_quality. -#}
{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, order_id, code)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'orders') %}
with

orders as (
    select * from {{ raw }}
),

discount_codes as (
    select
        orders.id as order_id,
        orders.created_at,
        orders.updated_at,
        orders.currency,
        orders._airbyte_extracted_at,
        discount_code
    from orders
    array join {{ json_array('discount_codes') }} as discount_code
),

final as (
    select
        order_id,
        JSONExtractString(discount_code, 'code') as code,
        nullIf(JSONExtractString(discount_code, 'type'), '') as discount_type,
        {{ json_decimal('discount_code', ['amount']) }} as amount,
        currency,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_amount', 'amount is null'],
        ]) }} as _dq_issues
    from discount_codes
    where code != ''
)

select * from final
{% endcall %}
