{#- True for a row that reached its table after the state's last refresh that found news (its
    watermark, `incremental_watermark`), less an overlap (var
    `analytics_incremental_overlap_seconds`) for inserts that were not yet committed when that
    refresh read: `column` holds the insert time (a change log's `_changed_at`, an upstream
    state's `_computed_at`). `overlap_seconds` instead of the var: 0 for a log that only an
    upstream state's refresh writes, which never runs beside this one (DEPENDS ON, and
    `ecom refresh` runs one view at a time), so nothing it logged was uncommitted. Never true
    while the state recomputes every key (`incremental_is_full`: there is nothing to select),
    nor in a unit test. -#}
{% macro incremental_new(column, overlap_seconds=none) -%}
    {%- set overlap = (var('analytics_incremental_overlap_seconds') if overlap_seconds is none else overlap_seconds) | int -%}
    {%- if model.resource_type == 'unit_test' -%}
        false
    {%- else -%}
        not {{ incremental_is_full() }} and {{ column }} > {{ incremental_watermark() }} - toIntervalSecond({{ overlap }})
    {%- endif -%}
{%- endmacro %}
