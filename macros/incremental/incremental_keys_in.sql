{#- A condition: the row's `keys` are among the rows of the CTE `keys_of` (which has them as
    columns, under the same names). The keys travel as one array, a scalar subquery: ClickHouse
    inlines a CTE wherever it is named and builds an `in` set per place, but evaluates identical
    scalar subqueries once per query, so a CTE of keys named in several filters is computed once;
    the set still filters through the primary key. -#}
{% macro incremental_keys_in(keys, keys_of) -%}
    ({{ keys | join(', ') }}) in (
        select {% for key in keys %}tupleElement(_key, {{ loop.index }}){{ ', ' if not loop.last }}{% endfor %}
        from (select arrayJoin((select groupArray(tuple({{ keys | join(', ') }})) from {{ keys_of }})) as _key)
    )
{%- endmacro %}
