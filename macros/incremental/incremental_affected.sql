{#- A condition: the row is to be recomputed by this refresh, every row while the state is
    empty (`incremental_is_full`), else the rows whose `keys` are among the keys of the CTE
    `affected` (`incremental_keys_in`). -#}
{% macro incremental_affected(keys, affected) -%}
    ({{ incremental_is_full() }} or {{ incremental_keys_in(keys, affected) }})
{%- endmacro %}
