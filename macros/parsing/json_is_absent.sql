{#- True when a raw JSON String column carries no value: NULL, empty text or the JSON literal
    null. The one definition of "absent" that json_is_malformed and the models' missing_* data
    quality flags share, so a value is always exactly one of absent, malformed or usable. -#}
{% macro json_is_absent(column) -%}
    (coalesce({{ column }}, '') in ('', 'null'))
{%- endmacro %}
