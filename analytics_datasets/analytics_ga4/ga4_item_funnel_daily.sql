{#- The GA4 item funnel per property, day and item: how often an item was shown in lists,
    clicked there, viewed, added to the cart, taken to checkout and bought, from the export's
    ecommerce events, and the step rates. A transaction counts once however often its purchase
    event was sent; a purchase without transaction_id counts as sent (it cannot be told from
    another) and is counted apart. The rates are shares of sessions (part of the base), so
    they stay within 0-1 however the events were sent. A refreshable materialized view,
    recomputed every analytics_refresh_minutes. -#}
{{
    config(
        materialized='materialized_view',
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, property_id, activity_date, item_id, item_name)',
    )
}}

with

commerce_items as (
    select * from {{ ref('int_ga4__commerce_items') }}
    where
        event_date is not null
        and not is_repeated_purchase
        and event_name in ('view_item_list', 'select_item', 'view_item', 'add_to_cart', 'begin_checkout', 'purchase')
),

{# the item's events in one session (an event without a session is a unit of its own) #}
session_items as (
    select
        source_relation,
        property_id,
        item_id,
        item_name,
        assumeNotNull(event_date) as activity_date,
        coalesce(session_key, event_key) as session_unit,
        countIf(event_name = 'view_item_list') as unit_impressions,
        countIf(event_name = 'select_item') as unit_clicks,
        countIf(event_name = 'view_item') as unit_views,
        countIf(event_name = 'add_to_cart') as unit_carts,
        countIf(event_name = 'begin_checkout') as unit_checkouts,
        uniqExactIf(event_key, event_name = 'purchase') as unit_purchases,
        uniqExactIf(event_key, event_name = 'purchase' and transaction_id is null) as unit_untracked_purchases,
        sumIf(units, event_name = 'purchase') as unit_units,
        sumIf(item_revenue, event_name = 'purchase') as unit_revenue
    from commerce_items
    group by source_relation, property_id, activity_date, item_id, item_name, session_unit
),

final as (
    select
        source_relation,
        property_id,
        activity_date,
        item_id,
        item_name,
        sum(unit_impressions) as list_impressions,
        sum(unit_clicks) as list_clicks,
        sum(unit_views) as item_views,
        sum(unit_carts) as add_to_carts,
        sum(unit_checkouts) as checkouts,
        sum(unit_purchases) as purchases,
        sum(unit_untracked_purchases) as purchases_without_transaction_id,
        sum(unit_units) as units_purchased,
        toDecimal128(sum(unit_revenue), 9) as item_revenue,
        countIf(unit_impressions > 0) as listed_sessions,
        countIf(unit_impressions > 0 and unit_clicks > 0) as listed_clicked_sessions,
        countIf(unit_views > 0) as viewed_sessions,
        countIf(unit_views > 0 and unit_carts > 0) as viewed_carted_sessions,
        countIf(unit_carts > 0) as carted_sessions,
        countIf(unit_carts > 0 and unit_purchases > 0) as carted_purchased_sessions,
        countIf(unit_views > 0 and unit_purchases > 0) as viewed_purchased_sessions,
        {{ safe_share('listed_clicked_sessions', 'listed_sessions') }} as list_ctr,
        {{ safe_share('viewed_carted_sessions', 'viewed_sessions') }} as view_to_cart_rate,
        {{ safe_share('carted_purchased_sessions', 'carted_sessions') }} as cart_to_purchase_rate,
        {{ safe_share('viewed_purchased_sessions', 'viewed_sessions') }} as view_to_purchase_rate
    from session_items
    group by source_relation, property_id, activity_date, item_id, item_name
)

select * from final
