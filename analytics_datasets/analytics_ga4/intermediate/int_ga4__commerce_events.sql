{#- One row per ecommerce event of the GA4 export (item lists, item views, cart, checkout,
    payment, purchase), as the funnel, item-list and cart-abandonment models read them: the
    event's order within its session (the order ga4_sessions uses), and whether a purchase
    repeats a transaction an earlier purchase event already sent (a reloaded thank-you page).
    A repeated purchase is kept and flagged here; the models count each transaction once. A
    purchase without transaction_id cannot be told from another and always counts. Stored
    once per refresh, so the curated FINAL and the window run once, not once per model. -#}
{{
    config(
        materialized='materialized_view',
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, property_id, event_name, event_key)',
    )
}}

with

events as (
    select * from {{ current(ref('ga4__events')) }}
    where event_name in (
        'view_item_list', 'select_item', 'view_item', 'add_to_cart', 'begin_checkout', 'add_payment_info', 'purchase'
    )
),

ordered as (
    select
        *,
        {{ ga4_event_order() }} as event_order
    from events
),

ranked as (
    select
        *,
        {# the transaction's first purchase event comes first (the event key breaks ties); an
           event without transaction_id is a partition of its own #}
        row_number() over (
            partition by source_relation, property_id, event_name, coalesce(transaction_id, event_key)
            order by event_order, event_key
        ) as transaction_event_number
    from ordered
),

final as (
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
        assumeNotNull(event_name) as event_name,
        event_name = 'purchase' and transaction_event_number > 1 as is_repeated_purchase
    from ranked
)

select * from final
