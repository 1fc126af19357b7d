{#- The elements of a JSON array held in a raw String column, as an Array(String) of raw JSON
    texts. NULL, empty, malformed or non-array text gives an empty array: never throws, so it is
    safe in a materialized view's ARRAY JOIN (flag bad text with json_is_malformed). -#}
{% macro json_array(column) -%}
    JSONExtractArrayRaw(coalesce({{ column }}, ''))
{%- endmacro %}
