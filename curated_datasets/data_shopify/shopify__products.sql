{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, product_id)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'products') %}
with

products as (
    select * from {{ raw }}
),

final as (
    select
        id as product_id,
        title,
        handle,
        vendor,
        product_type,
        status,
        tags,
        length({{ json_array('variants') }}) as variant_count,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(published_at, 'UTC') as published_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_product_id', 'id = 0'],
            ['invalid_created_at', timestamp_is_invalid('created_at')],
            ['malformed_variants_json', json_is_malformed('variants')],
        ]) }} as _dq_issues
    from products
)

select * from final
{% endcall %}
