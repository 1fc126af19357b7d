{#- SQL expression: the row's backfill day (its time column as a date; NULL as 1970-01-01). -#}
{% macro backfill_day(target) -%}
    toDate32(assumeNotNull(`{{ target.time_column }}`))
{%- endmacro %}
