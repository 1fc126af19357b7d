{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, variant_id)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'product_variants') %}
with

product_variants as (
    select * from {{ raw }}
),

parsed as (
    select
        *,
        nullIf(nullIf(trimBoth(coalesce(compare_at_price, '')), ''), 'null') as compare_at_price_text
    from product_variants
),

final as (
    select
        id as variant_id,
        product_id,
        inventory_item_id,
        sku,
        title,
        price,
        {# The connector delivers compare_at_price as a String; empty means "no compare-at price". #}
        toDecimal128OrNull(compare_at_price_text, 9) as compare_at_price,
        inventory_quantity,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_variant_id', 'id = 0'],
            ['missing_product_id', 'product_id is null'],
            ['unparsable_compare_at_price', 'compare_at_price_text is not null and compare_at_price is null'],
        ]) }} as _dq_issues
    from parsed
)

select * from final
{% endcall %}
