{#- One row per inventory level (location x item, the raw id "location_id|inventory_item_id") and
    quantity state, from the `quantities` array. A level with no usable quantities still gives
    its `available` figure, flagged, so no level is lost. Entries with no state name are left
    out here and listed in shopify__data_quality. -#}
{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, inventory_level_id, state)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'inventory_levels') %}
with

inventory_levels as (
    select * from {{ raw }}
),

quantities as (
    select
        inventory_levels.*,
        length({{ json_array('quantities') }}) = 0 as has_no_quantities,
        quantity_entry
    from inventory_levels
    array join
        if(
            length({{ json_array('quantities') }}) > 0,
            {{ json_array('quantities') }},
            [concat('{"name": "available", "quantity": ', coalesce(toString(available), 'null'), '}')]
        ) as quantity_entry
),

final as (
    select
        id as inventory_level_id,
        JSONExtractString(quantity_entry, 'name') as state,
        coalesce(location_id, toInt64OrNull(splitByChar('|', id)[1])) as location_id,
        coalesce(inventory_item_id, toInt64OrNull(arrayElement(splitByChar('|', id), 2))) as inventory_item_id,
        JSONExtract(quantity_entry, 'quantity', 'Nullable(Int64)') as quantity,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_inventory_level_id', "id = ''"],
            ['missing_quantities', 'has_no_quantities'],
            ['malformed_quantities_json', json_is_malformed('quantities')],
            ['missing_quantity', 'quantity is null'],
        ]) }} as _dq_issues
    from quantities
    where state != ''
)

select * from final
{% endcall %}
