{#- SQL condition: the row's backfill time column falls in [chunk_start, chunk_end) (dates). -#}
{% macro backfill_time_filter(target, chunk_start, chunk_end) -%}
    {{ backfill_day(target) }} >= toDate32('{{ chunk_start }}')
    and {{ backfill_day(target) }} < toDate32('{{ chunk_end }}')
{%- endmacro %}
