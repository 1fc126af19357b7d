{#- Baseline for the benchmark, not a definition: the typical question of the model
    ga4_cart_abandonment_daily (the definition) answered from the curated tables, to time what
    the analytics layer saves a reader: every session of the month rebuilt from its events,
    whether it held a cart (add_to_cart or begin_checkout) without a purchase (repeated
    purchase events of a transaction left out), the cart's value (its add_to_cart items, else
    its last begin_checkout's), whether the client bought within the var
    checkout_recovery_days (macro number_var) of the session's start, per day beside the
    shop's abandoned Shopify checkouts created that day. -#}
with
{% include '_ga4_export_sessions.sql' %}
{% include '_ga4_export_commerce_items.sql' %}
session_carts as (
    select
        e.session_key as session_key,
        countIf(e.event_name in ('add_to_cart', 'begin_checkout')) > 0 as has_cart,
        countIf(e.event_name = 'purchase' and coalesce(e.event_key = p.first_event_key, true))
            > 0 as has_purchase
    from session_events as e
    left join first_purchases as p on e.transaction_id = p.transaction_id
    group by e.session_key
    settings join_use_nulls = 1
),
checkout_values as (
    select session_key, event_key, any(event_order) as checkout_order,
        sum(item_value) as checkout_value
    from commerce_items
    where event_name = 'begin_checkout' and session_key is not null
    group by session_key, event_key
),
cart_values as (
    select
        session_key,
        sum(item_value) as added_value
    from commerce_items
    where event_name = 'add_to_cart' and session_key is not null
    group by session_key
),
last_checkouts as (
    select session_key, argMax(checkout_value, checkout_order) as checkout_value
    from checkout_values
    group by session_key
),
client_purchases as (
    select e.client_key as client_key, e.event_at as event_at
    from data_ga4.events as e final
    left join first_purchases as p on e.transaction_id = p.transaction_id
    where e.source_relation = %(export_property)s and e.event_name = 'purchase'
        and e.client_key is not null and e.event_at is not null
        and coalesce(e.event_key = p.first_event_key, true)
    settings join_use_nulls = 1
),
abandoned as (
    select s.session_key as session_key, s.client_key as client_key,
        s.session_start_at as session_start_at
    from sessions as s
    inner join session_carts as c on s.session_key = c.session_key
    where c.has_cart and not c.has_purchase
),
recovered as (
    select distinct a.session_key as session_key
    from abandoned as a
    inner join client_purchases as p on a.client_key = p.client_key
    where p.event_at >= a.session_start_at
        and p.event_at < a.session_start_at
            + toIntervalDay({{ number_var('checkout_recovery_days', 1, 365) }})
),
outcomes as (
    select
        s.session_date as session_date,
        coalesce(c.has_cart, false) as is_cart,
        is_cart and not coalesce(c.has_purchase, false) as is_abandoned,
        coalesce(v.added_value, l.checkout_value, 0) as cart_value,
        r.session_key is not null as is_recovered
    from sessions as s
    left join session_carts as c on s.session_key = c.session_key
    left join cart_values as v on s.session_key = v.session_key
    left join last_checkouts as l on s.session_key = l.session_key
    left join recovered as r on s.session_key = r.session_key
    settings join_use_nulls = 1
),
shopify_days as (
    select toDate(created_at, %(timezone)s) as checkout_date, count() as checkouts
    from data_shopify.abandoned_checkouts final
    where source_relation = %(shop)s and created_at is not null
    group by checkout_date
),
final as (
    select
        o.session_date as session_date,
        countIf(o.is_cart) as cart_sessions,
        countIf(o.is_abandoned) as abandoned_sessions,
        sumIf(o.cart_value, o.is_abandoned) as abandoned_cart_value,
        countIf(o.is_abandoned and o.is_recovered) as recovered_sessions,
        coalesce(any(d.checkouts), 0) as shopify_abandoned_checkouts
    from outcomes as o
    left join shopify_days as d on o.session_date = d.checkout_date
    group by session_date
    settings join_use_nulls = 1
)
select * from final order by session_date
