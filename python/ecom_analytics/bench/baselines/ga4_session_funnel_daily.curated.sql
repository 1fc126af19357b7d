{#- Baseline for the benchmark, not a definition: the typical question of the model
    ga4_session_funnel_daily (the definition) answered from the curated GA4-export events, to
    time what the analytics layer saves a reader: every session of the month rebuilt from its
    events, each closed funnel step found as the step's first event after the step before it
    (repeated purchase events of a transaction left out), then per default channel group. -#}
with
{% include '_ga4_export_sessions.sql' %}
{% include '_ga4_export_commerce_items.sql' %}
session_steps as (
    select
        e.session_key as session_key,
        arraySort(groupArrayIf(e.event_order, e.event_name = 'view_item')) as views,
        arraySort(groupArrayIf(e.event_order, e.event_name = 'add_to_cart')) as carts,
        arraySort(groupArrayIf(e.event_order, e.event_name = 'begin_checkout')) as checkouts,
        arraySort(groupArrayIf(e.event_order, e.event_name = 'add_payment_info')) as payments,
        arraySort(groupArrayIf(e.event_order, e.event_name = 'purchase')) as purchases
    from session_events as e
    left join first_purchases as p on e.transaction_id = p.transaction_id
    where not coalesce(e.event_name = 'purchase' and e.event_key != p.first_event_key, false)
    group by e.session_key
    settings join_use_nulls = 1
),
closed_steps as (
    select
        session_key,
        notEmpty(views) as view_item,
        views[1] as view_at,
        view_item and arrayExists(x -> x > view_at, carts) as add_to_cart,
        arrayFirst(x -> x > view_at, carts) as cart_at,
        add_to_cart and arrayExists(x -> x > cart_at, checkouts) as begin_checkout,
        arrayFirst(x -> x > cart_at, checkouts) as checkout_at,
        begin_checkout and arrayExists(x -> x > checkout_at, payments) as add_payment_info,
        arrayFirst(x -> x > checkout_at, payments) as payment_at,
        add_payment_info and arrayExists(x -> x > payment_at, purchases) as purchase
    from session_steps
),
final as (
    select
        s.default_channel_group as default_channel_group,
        count() as sessions,
        countIf(c.view_item) as view_item,
        countIf(c.add_to_cart) as add_to_cart,
        countIf(c.begin_checkout) as begin_checkout,
        countIf(c.add_payment_info) as add_payment_info,
        countIf(c.purchase) as purchase
    from sessions as s
    left join closed_steps as c on s.session_key = c.session_key
    group by default_channel_group
    settings join_use_nulls = 0
)
select * from final order by sessions desc, default_channel_group
