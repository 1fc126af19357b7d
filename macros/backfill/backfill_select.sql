{#- The model's SELECT (the UNION ALL of its materialized views' SELECTs, exactly as deployed)
    over the rows whose time column falls in [chunk_start, chunk_end), or over every row when
    both are none. Which source rows it reads (before or after the cutoff) is set by the
    statement's backfill_cutoff_settings. -#}
{% macro backfill_select(target, chunk_start, chunk_end) -%}
select {{ target.column_list }}
from (
    {%- for view in target.views %}
    select * from ({{ view[1] }})
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)
{%- if chunk_start is not none %}
where {{ backfill_time_filter(target, chunk_start, chunk_end) }}
{%- endif %}
{%- endmacro %}
