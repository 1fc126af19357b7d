{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, inventory_item_id)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'inventory_items') %}
with

inventory_items as (
    select * from {{ raw }}
),

final as (
    select
        id as inventory_item_id,
        sku,
        cost,
        tracked as is_tracked,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_inventory_item_id', 'id = 0'],
            ['missing_cost', 'cost is null'],
        ]) }} as _dq_issues
    from inventory_items
)

select * from final
{% endcall %}
