{#- on-run-start: every raw table the dbt sources declare exists in every raw database of the
    vars, or the run stops at once with one message naming the missing tables and the way out
    (a fresh target gives the engine's "Database raw_shopify does not exist" on the first model
    instead, which names neither the table nor `make provision`). -#}
{% macro check_raw_tables() -%}
    {%- if execute -%}
        {%- set expected = [] -%}
        {%- set databases = [] -%}
        {%- for source in graph.sources.values() | sort(attribute='unique_id') -%}
            {#- raw_databases() checks every name is a plain identifier -#}
            {%- for database in raw_databases(source.source_name) -%}
                {%- do expected.append(database ~ '.' ~ source.identifier) -%}
                {%- do databases.append(database) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set found = [] -%}
        {%- for row in run_query(
            "select concat(database, '.', name) from system.tables where database in ('"
            ~ databases | unique | join("', '") ~ "')"
        ).rows -%}
            {%- do found.append(row[0]) -%}
        {%- endfor -%}
        {%- set missing = expected | reject('in', found) | list -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "Raw table " ~ missing[0] ~ " does not exist"
                ~ (" (nor " ~ (missing | length - 1) ~ " more: " ~ missing[1:6] | join(', ')
                    ~ (', ...' if missing | length > 6 else '') ~ ")" if missing | length > 1 else '')
                ~ " on target " ~ target.name ~ ". Run `make provision` (python -m ecom_analytics"
                ~ " provision) to create the raw tables before dbt, with the same target and vars."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
