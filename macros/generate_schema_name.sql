{#- Models land in the database their folder names (data_shopify, shopify_analytics, ...),
    not in `<target schema>_<custom schema>`, so people querying ClickHouse find them where the
    names say. Nodes with no custom schema use the target's. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
