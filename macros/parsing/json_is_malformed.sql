{#- True when a raw JSON String column holds text that is not valid JSON of the expected type
    ('Array' or 'Object'). Absent values (json_is_absent) are not malformed. -#}
{% macro json_is_malformed(column, json_type='Array') -%}
    (
        not {{ json_is_absent(column) }}
        and not (isValidJSON(coalesce({{ column }}, '')) and JSONType(coalesce({{ column }}, '')) = '{{ json_type }}')
    )
{%- endmacro %}
