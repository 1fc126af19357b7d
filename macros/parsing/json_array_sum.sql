{#- Sum of one numeric field over the objects of a JSON array held in a raw String column, as
    Decimal(38, 9): missing, non-numeric or out-of-range values count as 0, malformed text
    gives 0. Never throws.

        {{ json_array_sum('shipping_lines', ['price']) }} as shipping_price
-#}
{% macro json_array_sum(column, keys) -%}
    arraySum(
        arrayMap(
            element -> coalesce({{ json_decimal('element', keys) }}, toDecimal128(0, 9)),
            {{ json_array(column) }}
        )
    )
{%- endmacro %}
