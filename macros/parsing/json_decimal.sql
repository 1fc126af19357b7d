{#- A Decimal(38, 9) from a JSON value that may be a number, a numeric string, missing or
    garbage: NULL instead of an error. JSONExtract straight to Decimal throws on overflow,
    which would fail the raw insert under a materialized view, so the value goes through text.

        {{ json_decimal('event_properties', ['$value']) }} as value
-#}
{% macro json_decimal(json_expression, keys) -%}
    toDecimal128OrNull(JSONExtract({{ json_expression }}, {% for key in keys %}'{{ key }}', {% endfor %}'Nullable(String)'), 9)
{%- endmacro %}
