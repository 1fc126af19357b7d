{#- The rows an incremental state's refresh appends, all stamped with the refresh's
    `_computed_at`: every row of `recomputed`; a tombstone (`_is_deleted` = 1, other columns
    empty) for each key of `affected` the state holds that has no recomputed row any more; and,
    whenever the log had news (`changes` is not empty) or every key is recomputed, the
    watermark row (`incremental_watermark_row`, a tombstone too). `recomputed` is read once and
    `affected` only as a set (`in`), which ClickHouse builds once per query. `affected` names
    whole keys, or, with `affected_keys` (a leading part of the keys), every held key that
    starts with one of its rows (an event's items). Keys (the config `order_by`) come first,
    then `recomputed`'s other columns in their order. In a unit test, just `recomputed`. -#}
{% macro incremental_rows(recomputed, affected, changes, affected_keys=none) -%}
    {%- set keys = incremental_keys() | map(attribute=0) | list -%}
    {%- if model.resource_type == 'unit_test' -%}
    select * from {{ recomputed }}
    {%- else -%}
    select
        * except (_present),
        toUInt8(not _present) as _is_deleted,
        now64(3, 'UTC') as _computed_at
    from (
        select distinct {{ keys | join(', ') }} from {{ incremental_previous() }}
        where {{ incremental_affected(affected_keys or keys, affected) }}
        union distinct
        select {{ incremental_watermark_row() }}
        where {{ incremental_is_full() }} or (select count() from (select 1 from {{ changes }} limit 1)) > 0
    ) as held_keys
    full join (select *, true as _present from {{ recomputed }}) as recomputed_rows
        using ({{ keys | join(', ') }})
    settings join_use_nulls = 0
    {%- endif -%}
{%- endmacro %}
