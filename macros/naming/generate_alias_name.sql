{#- Curated models are named `<source>__<entity>` (shopify__orders) for a unique dbt name, and
    land as the plain entity name (data_shopify.orders). Only curated models: an analytics
    model's business name is its table name, `__` or not. An explicit alias still wins. -#}
{% macro generate_alias_name(custom_alias_name, node) -%}
    {%- if custom_alias_name -%}
        {{ custom_alias_name | trim }}
    {%- elif node.resource_type == 'model' and node.original_file_path.startswith('curated_datasets/')
        and '__' in node.name -%}
        {{ node.name.split('__', 1)[1] }}
    {%- elif node.version -%}
        {{ node.name ~ '_v' ~ (node.version | replace('.', '_')) }}
    {%- else -%}
        {{ node.name }}
    {%- endif -%}
{%- endmacro %}
