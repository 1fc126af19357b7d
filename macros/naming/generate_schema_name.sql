{#- A model lands in the ClickHouse database named after its dataset folder
    (curated_datasets/data_shopify/ -> data_shopify), not in `<target schema>_<custom schema>`,
    so people querying ClickHouse find tables where the names say and a new dataset folder
    needs no config. An explicit `schema` config wins; other nodes use the target's. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name -%}
        {{ custom_schema_name | trim }}
    {%- elif node.resource_type == 'model' and node.fqn | length > 2 -%}
        {{ node.fqn[1] }}
    {%- else -%}
        {{ target.schema }}
    {%- endif -%}
{%- endmacro %}
