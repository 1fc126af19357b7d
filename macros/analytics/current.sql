{#- The current rows of a curated ReplacingMergeTree model: `<relation> final`. In a dbt unit
    test every input is a CTE of fixture rows, which takes no FINAL (and needs none). -#}
{% macro current(relation) -%}
    {%- if model.resource_type == 'unit_test' -%}
        {{ relation }}
    {%- else -%}
        {{ relation }} final
    {%- endif -%}
{%- endmacro %}
