{#- The ecommerce events an incremental GA4 commerce state recomputes, as (source_relation,
    property_id, event_name, event_date, event_key): those of `changes` (change-log rows), and
    every purchase event `state` (a table with those columns and transaction_id) holds, in any
    version, for a transaction a changed purchase event names now or named before. A
    transaction's first purchase event decides which of its purchases repeat it, so a changed
    purchase reaches its transaction's other purchases; reading every version only recomputes a
    few keys more.
    `event_name in ('purchase')`, not `=`: through a Merge table, ClickHouse 26.9 keeps only a
    set in the primary key condition of a string key column; and the keys travel as arrays
    (incremental_keys_in), or the state is read whole. -#}
{% macro ga4_commerce_affected_events(changes, state) -%}
    with changed_transactions as (
        select source_relation, property_id, transaction_id
        from {{ changes }}
        where event_name = 'purchase' and transaction_id is not null
        union distinct
        select source_relation, property_id, transaction_id
        from {{ state }}
        where
            event_name in ('purchase')
            and transaction_id is not null
            and {{ incremental_keys_in(['source_relation', 'property_id', 'event_name', 'event_key'], changes) }}
    )

    select source_relation, property_id, event_name, event_date, event_key
    from {{ changes }}
    union distinct
    select source_relation, property_id, event_name, event_date, event_key
    from {{ state }}
    where
        event_name in ('purchase')
        and {{ incremental_keys_in(['source_relation', 'property_id', 'transaction_id'], 'changed_transactions') }}
{%- endmacro %}
