{#- The partition ids a query returns in its column `partition_id` (the settings clause, if any,
    applies to the whole statement), as a sorted list of text. Each id is
    wrapped in brackets inside SQL and unwrapped here, so the result table never turns an id
    such as 202605 into a number; ids are checked before they are ever put back into SQL. -#}
{% macro backfill_partition_ids(sql, settings='') -%}
    {%- set ids = [] -%}
    {%- for row in run_query("select distinct concat('[', toString(partition_id), ']') from (" ~ sql ~ ") order by 1 " ~ settings).rows -%}
        {%- set id = row[0][1:-1] -%}
        {%- if not modules.re.fullmatch('[A-Za-z0-9_-]+', id) -%}
            {{ exceptions.raise_compiler_error("backfill: unexpected partition id " ~ id) }}
        {%- endif -%}
        {%- do ids.append(id) -%}
    {%- endfor -%}
    {{ return(ids) }}
{%- endmacro %}
