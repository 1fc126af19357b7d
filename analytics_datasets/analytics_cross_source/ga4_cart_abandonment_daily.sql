{#- GA4 cart abandonment per property, day (the session's start day), default channel group and
    device category: sessions that added to the cart or began a checkout and bought nothing,
    what their carts held, and how many the same client recovered by a purchase within
    checkout_recovery_days; beside them the property's shop's own abandoned checkouts of the day
    (shopify_abandoned_checkout_recovery), so the two views of abandonment sit side by side.
    It lands in the GA4 analytics database and lives here because it shows Shopify figures:
    the GA4 folder reads GA4 only. A refreshable materialized view, refreshed after the views
    it reads. -#}
{{
    config(
        schema='analytics_ga4',
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, property_id, session_date, default_channel_group, device_category)',
    )
}}

{%- set recovery_days = number_var('checkout_recovery_days', 1, 365) | int %}

with

sessions as (
    {{ ga4_dated_sessions(ref('ga4_sessions')) }}
),

{# the events that make a cart or end it; the event name leads the state's key #}
commerce_events as (
    select * from {{ ref('int_ga4__commerce_events') }}
    where event_name in ('add_to_cart', 'begin_checkout', 'purchase') and not is_repeated_purchase
),

commerce_items as (
    select * from {{ ref('int_ga4__commerce_items') }}
    where session_key is not null and event_name in ('add_to_cart', 'begin_checkout')
),

purchases as (
    select * from commerce_events
    where event_name = 'purchase' and client_key is not null and event_at is not null
),

shopify_checkouts as (
    select * from {{ ref('shopify_abandoned_checkout_recovery') }}
),

property_shops as (
    select * from {{ ref('int_ga4__property_shops_matched') }}
),

session_carts as (
    select
        source_relation,
        property_id,
        assumeNotNull(session_key) as session_key,
        countIf(event_name in ('add_to_cart', 'begin_checkout')) > 0 as has_cart,
        countIf(event_name = 'purchase') > 0 as has_purchase
    from commerce_events
    where session_key is not null
    group by source_relation, property_id, session_key
),

{# a cart's value: its add_to_cart items; a session that only began a checkout (its cart
   filled in an earlier session), the items of its last begin_checkout #}
added_values as (
    select
        source_relation,
        property_id,
        session_key,
        sum(item_value) as added_value
    from commerce_items
    where event_name = 'add_to_cart'
    group by source_relation, property_id, session_key
),

checkout_values as (
    select
        source_relation,
        property_id,
        session_key,
        event_key,
        any(event_order) as checkout_order,
        sum(item_value) as checkout_value
    from commerce_items
    where event_name = 'begin_checkout'
    group by source_relation, property_id, session_key, event_key
),

last_checkout_values as (
    select
        source_relation,
        property_id,
        session_key,
        argMax(checkout_value, checkout_order) as last_checkout_value
    from checkout_values
    group by source_relation, property_id, session_key
),

cart_values as (
    select
        coalesce(added_values.source_relation, last_checkout_values.source_relation) as source_relation,
        coalesce(added_values.property_id, last_checkout_values.property_id) as property_id,
        assumeNotNull(coalesce(added_values.session_key, last_checkout_values.session_key)) as session_key,
        if(
            added_values.session_key is not null,
            added_values.added_value,
            last_checkout_values.last_checkout_value
        ) as cart_value
    from added_values
    full outer join last_checkout_values
        on
            added_values.source_relation = last_checkout_values.source_relation
            and added_values.property_id = last_checkout_values.property_id
            and added_values.session_key = last_checkout_values.session_key
    settings join_use_nulls = 1
),

abandoned as (
    select
        sessions.source_relation as source_relation,
        sessions.property_id as property_id,
        sessions.session_key as session_key,
        sessions.client_key as client_key,
        sessions.session_start_at as session_start_at
    from sessions
    inner join session_carts
        on
            sessions.source_relation = session_carts.source_relation
            and sessions.property_id = session_carts.property_id
            and sessions.session_key = session_carts.session_key
    where session_carts.has_cart and not session_carts.has_purchase
),

{# recovered: the same client bought within checkout_recovery_days of the session's start #}
recovered as (
    select distinct
        abandoned.source_relation as source_relation,
        abandoned.property_id as property_id,
        abandoned.session_key as session_key
    from abandoned
    inner join purchases
        on
            abandoned.source_relation = purchases.source_relation
            and abandoned.property_id = purchases.property_id
            and abandoned.client_key = purchases.client_key
    where
        purchases.event_at >= abandoned.session_start_at
        and purchases.event_at < abandoned.session_start_at + toIntervalDay({{ recovery_days }})
),

session_outcomes as (
    select
        sessions.source_relation as source_relation,
        sessions.property_id as property_id,
        sessions.session_date as session_date,
        sessions.default_channel_group as default_channel_group,
        sessions.device_category as device_category,
        coalesce(session_carts.has_cart, false) as is_cart,
        is_cart and not coalesce(session_carts.has_purchase, false) as is_abandoned,
        coalesce(cart_values.cart_value, 0) as cart_value,
        recovered.session_key is not null as is_recovered
    from sessions
    left join session_carts
        on
            sessions.source_relation = session_carts.source_relation
            and sessions.property_id = session_carts.property_id
            and sessions.session_key = session_carts.session_key
    left join cart_values
        on
            sessions.source_relation = cart_values.source_relation
            and sessions.property_id = cart_values.property_id
            and sessions.session_key = cart_values.session_key
    left join recovered
        on
            sessions.source_relation = recovered.source_relation
            and sessions.property_id = recovered.property_id
            and sessions.session_key = recovered.session_key
    settings join_use_nulls = 1
),

ga4_days as (
    select
        source_relation,
        property_id,
        session_date,
        default_channel_group,
        device_category,
        count() as sessions,
        countIf(is_cart) as cart_sessions,
        countIf(is_abandoned) as abandoned_sessions,
        {{ safe_share('abandoned_sessions', 'cart_sessions') }} as abandonment_rate,
        toDecimal128(sumIf(cart_value, is_abandoned), 9) as abandoned_cart_value,
        countIf(is_abandoned and is_recovered) as recovered_sessions,
        {{ safe_share('recovered_sessions', 'abandoned_sessions') }} as recovery_rate
    from session_outcomes
    group by source_relation, property_id, session_date, default_channel_group, device_category
),

{# Shopify's abandoned checkouts per shop and day; a property shows its own shop's
   (int_ga4__property_shops_matched, the one pairing of properties with shops) #}
shopify_days as (
    select
        source_relation as shop_source_relation,
        checkout_date,
        sum(checkouts) as abandoned_checkouts,
        sum(recovered) as recovered_checkouts,
        toDecimal128(sum(revenue_lost), 9) as revenue_lost
    from shopify_checkouts
    group by source_relation, checkout_date
),

final as (
    select
        ga4_days.source_relation as source_relation,
        ga4_days.property_id as property_id,
        ga4_days.session_date as session_date,
        ga4_days.default_channel_group as default_channel_group,
        ga4_days.device_category as device_category,
        ga4_days.sessions as sessions,
        ga4_days.cart_sessions as cart_sessions,
        ga4_days.abandoned_sessions as abandoned_sessions,
        ga4_days.abandonment_rate as abandonment_rate,
        ga4_days.abandoned_cart_value as abandoned_cart_value,
        ga4_days.recovered_sessions as recovered_sessions,
        ga4_days.recovery_rate as recovery_rate,
        coalesce(shopify_days.abandoned_checkouts, 0) as shopify_abandoned_checkouts,
        coalesce(shopify_days.recovered_checkouts, 0) as shopify_recovered_checkouts,
        {{ safe_share('shopify_recovered_checkouts', 'shopify_abandoned_checkouts') }} as shopify_recovery_rate,
        coalesce(shopify_days.revenue_lost, toDecimal128(0, 9)) as shopify_revenue_lost
    from ga4_days
    left join property_shops
        on ga4_days.property_id = property_shops.property_id
    left join shopify_days
        on
            property_shops.source_relation = shopify_days.shop_source_relation
            and ga4_days.session_date = shopify_days.checkout_date
    settings join_use_nulls = 1
)

select * from final
