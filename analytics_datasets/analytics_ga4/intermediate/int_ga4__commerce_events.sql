{#- One row per ecommerce event of the GA4 export (item lists, item views, cart, checkout,
    payment, purchase), as the funnel, item-list and cart-abandonment models read them: the
    event's order within its session (the order ga4_sessions uses), and whether a purchase
    repeats a transaction an earlier purchase event already sent (a reloaded thank-you page).
    A repeated purchase is kept and flagged here; the models count each transaction once. A
    purchase without transaction_id cannot be told from another and always counts. Stored
    once per refresh, so the curated FINAL and the deduplication run once, not once per model. -#}
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

{# each transaction's first purchase event, by event order (the event key breaks ties) #}
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

final as (
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
)

select * from final
