{#- True for a row that reached its table after the state's last refresh, less an overlap
    (var `analytics_incremental_overlap_seconds`) for inserts that were not yet committed when
    that refresh read: `column` holds the insert time (a change log's `_changed_at`, an
    upstream state's `_computed_at`). Never true in a unit test (every key is recomputed). -#}
{% macro incremental_new(column) -%}
    {%- set overlap = var('analytics_incremental_overlap_seconds') | int -%}
    {%- if model.resource_type == 'unit_test' -%}
        false
    {%- else -%}
        {{ column }} > (select max(_computed_at) from {{ incremental_previous() }}) - toIntervalSecond({{ overlap }})
    {%- endif -%}
{%- endmacro %}
