{#- True while an incremental state is empty: its first build, and a full recompute (`ecom
    refresh --full` empties it first), recompute every key. In a unit test, always. -#}
{% macro incremental_is_full() -%}
    {%- if model.resource_type == 'unit_test' -%}
        true
    {%- else -%}
        ((select count() from {{ incremental_previous() }}) = 0)
    {%- endif -%}
{%- endmacro %}
