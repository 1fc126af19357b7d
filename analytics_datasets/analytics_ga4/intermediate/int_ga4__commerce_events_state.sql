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
        order_by='(source_relation, property_id, event_name, event_key)',
        incremental_columns='source_relation String, property_id String, event_name String, event_key String, event_date Nullable(Date), transaction_id Nullable(String)',
        **incremental_state_config(),
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
        and ({{ incremental_is_full() }} or {{ ga4_event_keys_in('affected') }})
),

ordered as (
    select
        *,
        {{ ga4_event_order() }} as event_order
    from events
),

{# each transaction's first purchase event, by event order (the event key breaks ties), over
   the events read once: every purchase of a recomputed transaction is recomputed
   (ga4_commerce_affected_events) #}
first_purchases as (
    select
        *,
        event_name = 'purchase' and transaction_id is not null as is_transaction_purchase,
        argMinIf(event_key, tuple(event_order, event_key), is_transaction_purchase) over (
            partition by source_relation, property_id, transaction_id
        ) as first_event_key
    from ordered
),

recomputed as (
    select
        source_relation,
        property_id,
        event_key,
        event_at,
        event_date,
        event_order,
        client_key,
        session_key,
        transaction_id,
        purchase_revenue,
        assumeNotNull(event_name) as event_name,
        is_transaction_purchase and event_key != first_event_key as is_repeated_purchase
    from first_purchases
),

final as (
    {{ incremental_rows('recomputed', 'affected', 'changes') }}
)

select * from final
