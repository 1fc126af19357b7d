{#- Runs one backfill statement, or in a dry run only prints it. -#}
{% macro backfill_execute(sql, dry_run) -%}
    {%- if dry_run -%}
        {{ log('      ' ~ sql | replace('\n', '\n      '), info=True) }}
    {%- else -%}
        {%- do run_query(sql) -%}
    {%- endif -%}
{%- endmacro %}
