{#- SQL condition: the row's backfill time column falls in [chunk_start, chunk_end) (dates). -#}
{% macro backfill_time_filter(target, chunk_start, chunk_end) -%}
    toDate32(assumeNotNull(`{{ target.time_column }}`)) >= toDate32('{{ chunk_start }}')
    and toDate32(assumeNotNull(`{{ target.time_column }}`)) < toDate32('{{ chunk_end }}')
{%- endmacro %}
