{#- The raw databases of a source, from the var `<source_name>_raw_databases`, each checked to
    be a plain identifier before it reaches SQL text, listed once, and in no other source's
    list. The one rule: provisioning (Python) runs this macro too. -#}
{% macro raw_databases(source_name) -%}
    {%- set var_name = source_name ~ '_raw_databases' -%}
    {%- set databases = var(var_name) -%}
    {%- if databases is string or databases is not iterable or databases | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ var_name ~ " must be a non-empty list of database names, got: " ~ databases
        ) }}
    {%- endif -%}
    {%- for database in databases -%}
        {%- if database is not string or not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', database) -%}
            {{ exceptions.raise_compiler_error(
                "invalid database name '" ~ database ~ "' in var " ~ var_name
                ~ ": a raw database name uses letters, digits and underscores, not starting with a digit"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if databases | unique | list | length != databases | length -%}
        {{ exceptions.raise_compiler_error("var " ~ var_name ~ " lists a database twice: " ~ databases) }}
    {%- endif -%}
    {%- for other in source_names() if other != source_name -%}
        {%- set others = var(other ~ '_raw_databases', []) -%}
        {%- for database in databases if others is not string and database in others -%}
            {{ exceptions.raise_compiler_error(
                "vars " ~ var_name ~ " and " ~ other ~ "_raw_databases must not share a database: " ~ database
            ) }}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(databases | list) }}
{%- endmacro %}
