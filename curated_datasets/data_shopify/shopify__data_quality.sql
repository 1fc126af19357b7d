{#- Child records that the curated tables cannot key and therefore leave out: one row each, so
    nothing is dropped silently. A view over the deduplicated raw tables (FINAL), so it always
    shows the current raw state. Rows whose fields fail to parse are not listed here: they stay
    in their curated table with `_dq_issues` set. Raw row accounting, per collection:
    children in raw = rows in the curated child table + rows here. -#}
{{
    config(
        materialized='view',
    )
}}

{%- set unkeyed_children = [
    {
        'raw_table': 'orders',
        'collection': 'line_items',
        'issue': 'missing_line_item_id',
        'missing_key': "JSONExtract(element, 'id', 'Nullable(Int64)') is null",
    },
    {
        'raw_table': 'orders',
        'collection': 'discount_codes',
        'issue': 'missing_discount_code',
        'missing_key': "JSONExtractString(element, 'code') = ''",
    },
    {
        'raw_table': 'order_refunds',
        'collection': 'refund_line_items',
        'issue': 'missing_line_item_id',
        'missing_key': "JSONExtract(element, 'line_item_id', 'Nullable(Int64)') is null",
    },
    {
        'raw_table': 'inventory_levels',
        'collection': 'quantities',
        'issue': 'missing_quantity_name',
        'missing_key': "JSONExtractString(element, 'name') = ''",
    },
] %}

{% for child in unkeyed_children %}
{% call(raw) for_each_raw_database('shopify', child.raw_table) %}
select
    '{{ raw.schema }}' as source_relation,
    '{{ child.raw_table }}' as raw_table,
    '{{ child.collection }}' as collection,
    toString(id) as parent_id,
    toUInt32(element_index) as element_index,
    '{{ child.issue }}' as issue,
    element,
    toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at
from {{ raw }} final
array join
    {{ json_array(child.collection) }} as element,
    arrayEnumerate({{ json_array(child.collection) }}) as element_index
where {{ child.missing_key }}
{% endcall %}
{% if not loop.last %}union all{% endif %}
{% endfor %}
