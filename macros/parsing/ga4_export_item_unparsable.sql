{#- Per position of a GA4 export row's `items` array, whether the item's numeric `field`
    (price, quantity, item_revenue, ...) holds a value that is no number, as Array(UInt8)
    aligned with ga4_export_field('items'). In the Airbyte layout, a value present in the JSON
    text that does not parse as a number ('abc'); in the Parquet layout the file types the
    field, so only NaN or an infinity. A missing value is not unparsable. Never throws. -#}
{% macro ga4_export_item_unparsable(field, items='items') -%}
    {%- if ga4_export_layout() == 'airbyte' -%}
        arrayMap(
            item_json -> toUInt8(
                JSONExtract(item_json, '{{ field }}', 'Nullable(String)') is not null
                and toFloat64OrNull(JSONExtract(item_json, '{{ field }}', 'Nullable(String)')) is null
            ),
            JSONExtractArrayRaw(coalesce({{ items }}, ''))
        )
    {%- else -%}
        arrayMap(item -> toUInt8(not isFinite(coalesce(toFloat64(item.{{ field }}), 0))), {{ items }})
    {%- endif -%}
{%- endmacro %}
