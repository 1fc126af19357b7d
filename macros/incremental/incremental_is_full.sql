{#- True while an incremental state is empty: its first build, and a full recompute (`ecom
    refresh --full` empties it first), recompute every key. Reads one row at most. In a unit
    test, always. -#}
{% macro incremental_is_full() -%}
    {%- if model.resource_type == 'unit_test' -%}
        true
    {%- else -%}
        ((select count() from (select 1 from {{ incremental_previous() }} limit 1)) = 0)
    {%- endif -%}
{%- endmacro %}
