{#- A condition: the row's `keys` are among the rows of the CTE `keys_of` (which has them as
    columns, under the same names). -#}
{% macro incremental_keys_in(keys, keys_of) -%}
    ({{ keys | join(', ') }}) in (select {{ keys | join(', ') }} from {{ keys_of }})
{%- endmacro %}
