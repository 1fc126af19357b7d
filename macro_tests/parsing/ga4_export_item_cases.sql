{#- The items of each case's export row (JSON text in the Airbyte layout, the typed array in
    the Parquet layout), read through ga4_export_field and ga4_export_item_unparsable, for
    their unit tests. -#}
with

cases as (
    select
        {# the lambdas' `param.key` read as qualified references to the linter #}
        case_name,  -- noqa: RF03
        {{ ga4_export_field('items', 'input_text') }} as items,
        {{ ga4_export_item_unparsable('price', 'input_text') }} as price_unparsable
    from {{ ref('macro_test_text') }}
),

final as (
    select
        case_name,
        length(items) as item_count,
        tupleElement(items[1], 'item_id') as first_item_id,
        tupleElement(items[1], 'price') as first_price,
        tupleElement(items[1], 'quantity') as first_quantity,
        tupleElement(items[1], 'item_list_index') as first_item_list_index,
        tupleElement(items[2], 'price') as second_price,
        {# the positions (1-based) whose price is no number, e.g. '2' #}
        arrayStringConcat(
            arrayFilter(position -> price_unparsable[position] = 1, arrayEnumerate(price_unparsable)),
            ','
        ) as unparsable_price_positions
    from cases
)

select * from final
