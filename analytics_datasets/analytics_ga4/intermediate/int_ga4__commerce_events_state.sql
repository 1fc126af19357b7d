{#- The incremental state behind int_ga4__commerce_events: one row per ecommerce event of the
    GA4 export (item lists, item views, cart, checkout, payment, purchase), with the event's
    order within its session (the order ga4_sessions uses) and whether a purchase repeats a
    transaction an earlier purchase event already sent (a reloaded thank-you page). A repeated
    purchase is kept and flagged here; the models count each transaction once. A purchase
    without transaction_id cannot be told from another and always counts. Each refresh
    recomputes only the events inserted since the last one and the purchases of their
    transactions (int_ga4__commerce_changes). -#}
{{
    config(
        materialized='materialized_view',
        refreshable=incremental_refresh(),
        engine=incremental_engine(),
        order_by='(source_relation, property_id, event_name, event_key)',
        incremental_columns='source_relation String, property_id String, event_name String, event_key String, transaction_id Nullable(String)',
        settings=incremental_table_settings(),
        **incremental_state_hooks(),
    )
}}

with

changes as (
    select * from {{ ref('int_ga4__commerce_changes') }}
    where {{ incremental_new('_changed_at') }}
),

affected as (
    {{ ga4_commerce_affected_events('changes', incremental_previous()) }}
),

events as (
    select * from {{ current(ref('ga4__events')) }}
    where
        event_name in {{ ga4_commerce_events() }}
        and {{ incremental_affected(['source_relation', 'property_id', 'event_key'], 'affected') }}
),

ordered as (
    select
        *,
        {{ ga4_event_order() }} as event_order
    from events
),

{# each transaction's first purchase event, by event order (the event key breaks ties): every
   purchase of a recomputed transaction is recomputed (ga4_commerce_affected_events) #}
first_purchases as (
    select
        source_relation,
        property_id,
        transaction_id,
        argMin(event_key, tuple(event_order, event_key)) as first_event_key
    from ordered
    where event_name = 'purchase' and transaction_id is not null
    group by source_relation, property_id, transaction_id
),

recomputed as (
    select
        ordered.source_relation as source_relation,
        ordered.property_id as property_id,
        ordered.event_key as event_key,
        ordered.event_at as event_at,
        ordered.event_date as event_date,
        ordered.event_order as event_order,
        ordered.client_key as client_key,
        ordered.session_key as session_key,
        ordered.transaction_id as transaction_id,
        assumeNotNull(ordered.event_name) as event_name,
        coalesce(
            ordered.event_name = 'purchase' and ordered.event_key != first_purchases.first_event_key,
            false
        ) as is_repeated_purchase
    from ordered
    left join first_purchases
        on
            ordered.source_relation = first_purchases.source_relation
            and ordered.property_id = first_purchases.property_id
            and ordered.transaction_id = first_purchases.transaction_id
    settings join_use_nulls = 1
),

final as (
    {{ incremental_rows('recomputed', 'affected', 'changes') }}
)

select * from final
