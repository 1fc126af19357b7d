{#- True when an incremental state recomputes every key: while it is empty (its first build,
    and a full recompute: `ecom refresh --full` empties it first), and when its last refresh is
    older than the change log keeps rows (var `analytics_incremental_log_days`, less the
    overlap): the log may have lost changes since. Reads the watermark row only. In a unit test,
    always. -#}
{% macro incremental_is_full() -%}
    {%- if model.resource_type == 'unit_test' -%}
        true
    {%- else -%}
        ({{ incremental_watermark() }} <= now64(3, 'UTC') - toIntervalDay({{ var('analytics_incremental_log_days') | int }}) + toIntervalSecond({{ var('analytics_incremental_overlap_seconds') | int }}))
    {%- endif -%}
{%- endmacro %}
