{#- True when a raw JSON String column holds text that is not valid JSON of the expected type
    ('Array' or 'Object'). NULL, empty and the JSON literal null count as absent, not malformed. -#}
{% macro json_is_malformed(column, json_type='Array') -%}
    (
        coalesce({{ column }}, '') not in ('', 'null')
        and not (isValidJSON(coalesce({{ column }}, '')) and JSONType(coalesce({{ column }}, '')) = '{{ json_type }}')
    )
{%- endmacro %}
