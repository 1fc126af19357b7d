{#- The sources the project loads, from the var `sources` (shopify, klaviyo, ga4), each
    checked to be a plain identifier: the one list every model, macro and tool iterates over.
    Each source has its dbt source of the same name and its var `<source>_raw_databases`. -#}
{% macro source_names() -%}
    {%- set names = var('sources') -%}
    {%- if names is string or names is not iterable or names | length == 0 -%}
        {{ exceptions.raise_compiler_error("var 'sources' must be a non-empty list of source names, got: " ~ names) }}
    {%- endif -%}
    {%- for name in names -%}
        {%- if name is not string or not modules.re.fullmatch('[a-z][a-z0-9_]*', name) -%}
            {{ exceptions.raise_compiler_error("invalid source name in var 'sources': " ~ name) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names | list) }}
{%- endmacro %}
