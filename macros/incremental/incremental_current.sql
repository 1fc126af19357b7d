{#- The current rows of an incremental state, as its readers see them under the model's
    contract name: FINAL (the newest row per key, tombstoned keys left out), without the state's
    own columns. -#}
{% macro incremental_current(relation) -%}
    select * except (_computed_at, _is_deleted)
    from {{ current(relation) }}
{%- endmacro %}
