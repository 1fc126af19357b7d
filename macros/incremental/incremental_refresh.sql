{#- The `refreshable` config of an incremental state: the analytics refresh schedule, in APPEND
    mode, so each refresh adds the rows of the keys it recomputed to what the state holds. -#}
{% macro incremental_refresh() -%}
    {%- set refreshable = analytics_refresh() -%}
    {%- do refreshable.update({'append': true}) -%}
    {{ return(refreshable) }}
{%- endmacro %}
