{#- The raw databases of a source, from the var `<source_name>_raw_databases`, each checked to
    be a plain identifier before it reaches SQL text. -#}
{% macro raw_databases(source_name) -%}
    {%- set databases = var(source_name ~ '_raw_databases') -%}
    {%- if databases is string or databases is not iterable or databases | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ source_name ~ "_raw_databases' must be a non-empty list of database names, got: " ~ databases
        ) }}
    {%- endif -%}
    {%- for database in databases -%}
        {%- if database is not string or not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', database) -%}
            {{ exceptions.raise_compiler_error("invalid raw database name in var '" ~ source_name ~ "_raw_databases': " ~ database) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(databases | list) }}
{%- endmacro %}
