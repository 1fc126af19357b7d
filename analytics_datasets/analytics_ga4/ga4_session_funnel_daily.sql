{#- The GA4 checkout funnel per property, day (the session's start day), default channel group
    and device category: sessions, and the sessions that reached each step view_item ->
    add_to_cart -> begin_checkout -> add_payment_info -> purchase, open (the step at all) and
    closed (the step after every earlier one, in event order, the order ga4_sessions uses).
    A purchase repeating an earlier event's transaction does not count. The rates follow the
    closed funnel, so each is a share of the step before. A refreshable materialized view over
    ga4_sessions, refreshed after it. -#}
{{
    config(
        materialized='materialized_view',
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, property_id, session_date, default_channel_group, device_category)',
    )
}}

with

sessions as (
    {{ ga4_dated_sessions(ref('ga4_sessions')) }}
),

{# the funnel's steps; the event name leads the state's key #}
commerce_events as (
    select * from {{ ref('int_ga4__commerce_events') }}
    where
        event_name in ('view_item', 'add_to_cart', 'begin_checkout', 'add_payment_info', 'purchase')
        and session_key is not null
        and not is_repeated_purchase
),

{# each step's events in the session, in event order #}
session_steps as (
    select
        source_relation,
        property_id,
        assumeNotNull(session_key) as session_key,
        arraySort(groupArrayIf(event_order, event_name = 'view_item')) as view_item_orders,
        arraySort(groupArrayIf(event_order, event_name = 'add_to_cart')) as add_to_cart_orders,
        arraySort(groupArrayIf(event_order, event_name = 'begin_checkout')) as begin_checkout_orders,
        arraySort(groupArrayIf(event_order, event_name = 'add_payment_info')) as add_payment_info_orders,
        arraySort(groupArrayIf(event_order, event_name = 'purchase')) as purchase_orders
    from commerce_events
    group by source_relation, property_id, session_key
),

{# closed: each step's earliest event after the one found for the step before (arrays are
   sorted, so arrayFirst finds it); a step not reached leaves every later step unreached #}
closed_steps as (
    select
        *,
        notEmpty(view_item_orders) as view_item_closed,
        view_item_orders[1] as view_item_at,
        view_item_closed and arrayExists(x -> x > view_item_at, add_to_cart_orders) as add_to_cart_closed,
        arrayFirst(x -> x > view_item_at, add_to_cart_orders) as add_to_cart_at,
        add_to_cart_closed and arrayExists(x -> x > add_to_cart_at, begin_checkout_orders) as begin_checkout_closed,
        arrayFirst(x -> x > add_to_cart_at, begin_checkout_orders) as begin_checkout_at,
        begin_checkout_closed
        and arrayExists(x -> x > begin_checkout_at, add_payment_info_orders) as add_payment_info_closed,
        arrayFirst(x -> x > begin_checkout_at, add_payment_info_orders) as add_payment_info_at,
        add_payment_info_closed and arrayExists(x -> x > add_payment_info_at, purchase_orders) as purchase_closed
    from session_steps
),

session_funnels as (
    select
        sessions.source_relation as source_relation,
        sessions.property_id as property_id,
        sessions.session_date as session_date,
        sessions.default_channel_group as default_channel_group,
        sessions.device_category as device_category,
        closed_steps.view_item_closed as reached_view_item_closed,
        closed_steps.add_to_cart_closed as reached_add_to_cart_closed,
        closed_steps.begin_checkout_closed as reached_begin_checkout_closed,
        closed_steps.add_payment_info_closed as reached_add_payment_info_closed,
        closed_steps.purchase_closed as reached_purchase_closed,
        notEmpty(closed_steps.view_item_orders) as reached_view_item,
        notEmpty(closed_steps.add_to_cart_orders) as reached_add_to_cart,
        notEmpty(closed_steps.begin_checkout_orders) as reached_begin_checkout,
        notEmpty(closed_steps.add_payment_info_orders) as reached_add_payment_info,
        notEmpty(closed_steps.purchase_orders) as reached_purchase
    from sessions
    left join closed_steps
        on
            sessions.source_relation = closed_steps.source_relation
            and sessions.property_id = closed_steps.property_id
            and sessions.session_key = closed_steps.session_key
    settings join_use_nulls = 0
),

final as (
    select
        source_relation,
        property_id,
        session_date,
        default_channel_group,
        device_category,
        count() as sessions,
        countIf(reached_view_item) as view_item_sessions_open,
        countIf(reached_add_to_cart) as add_to_cart_sessions_open,
        countIf(reached_begin_checkout) as begin_checkout_sessions_open,
        countIf(reached_add_payment_info) as add_payment_info_sessions_open,
        countIf(reached_purchase) as purchase_sessions_open,
        countIf(reached_view_item_closed) as view_item_sessions_closed,
        countIf(reached_add_to_cart_closed) as add_to_cart_sessions_closed,
        countIf(reached_begin_checkout_closed) as begin_checkout_sessions_closed,
        countIf(reached_add_payment_info_closed) as add_payment_info_sessions_closed,
        countIf(reached_purchase_closed) as purchase_sessions_closed,
        {{ safe_share('view_item_sessions_closed', 'sessions') }} as view_item_rate,
        {{ safe_share('add_to_cart_sessions_closed', 'view_item_sessions_closed') }} as view_to_cart_rate,
        {{ safe_share('begin_checkout_sessions_closed', 'add_to_cart_sessions_closed') }} as cart_to_checkout_rate,
        {{ safe_share('add_payment_info_sessions_closed', 'begin_checkout_sessions_closed') }}
            as checkout_to_payment_rate,
        {{ safe_share('purchase_sessions_closed', 'add_payment_info_sessions_closed') }} as payment_to_purchase_rate,
        {{ safe_share('purchase_sessions_closed', 'sessions') }} as conversion_rate_closed,
        {{ safe_share('purchase_sessions_open', 'sessions') }} as conversion_rate_open
    from session_funnels
    group by source_relation, property_id, session_date, default_channel_group, device_category
)

select * from final
