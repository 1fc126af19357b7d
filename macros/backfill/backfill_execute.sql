{#- Runs one backfill statement; a dry run does not, and prints it only with show_sql. -#}
{% macro backfill_execute(sql, run) -%}
    {%- if run.dry_run -%}
        {%- if run.show_sql -%}
            {{ log('      ' ~ sql | replace('\n', '\n      '), info=True) }}
        {%- endif -%}
    {%- else -%}
        {%- do run_query(sql) -%}
    {%- endif -%}
{%- endmacro %}
