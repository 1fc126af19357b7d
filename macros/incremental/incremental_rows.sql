{#- The rows an incremental state's refresh appends: for every affected key (`affected`, and
    every key of `recomputed`), its recomputed row, or a tombstone (`_is_deleted` = 1, other
    columns empty) when it has none any more; all stamped with the refresh's `_computed_at`.
    Keys come first, then `recomputed`'s other columns in their order. In a unit test, just
    `recomputed`. -#}
{% macro incremental_rows(recomputed, affected, keys) -%}
    {%- if model.resource_type == 'unit_test' -%}
    select * from {{ recomputed }}
    {%- else -%}
    select
        * except (_present),
        toUInt8(not _present) as _is_deleted,
        now64(3, 'UTC') as _computed_at
    from (
        select {{ keys | join(', ') }} from {{ affected }}
        union distinct
        select {{ keys | join(', ') }} from {{ recomputed }}
    ) as affected_keys
    left join (select *, true as _present from {{ recomputed }}) as recomputed_rows
        using ({{ keys | join(', ') }})
    settings join_use_nulls = 0
    {%- endif -%}
{%- endmacro %}
