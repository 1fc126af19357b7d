{#- SETTINGS clause that makes a statement read only the source rows loaded before the cutoff
    (operator '<') or at and after it ('>='). It filters every table the model's views read,
    through `additional_table_filters`, so the views' own SQL runs unchanged. -#}
{% macro backfill_cutoff_settings(target, operator, cutoff) -%}
    {%- set filters = [] -%}
    {%- for table, load_time in target.load_times.items() -%}
        {%- do filters.append(
            "'" ~ table ~ "': '" ~ load_time ~ " " ~ operator ~ " toDateTime64(''" ~ cutoff ~ "'', 3, ''UTC'')'"
        ) -%}
    {%- endfor -%}
settings additional_table_filters = { {{- filters | join(', ') -}} }
{%- endmacro %}
