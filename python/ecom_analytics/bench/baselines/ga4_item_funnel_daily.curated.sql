{#- Baseline for the benchmark, not a definition: the typical question of the model
    ga4_item_funnel_daily (the definition) answered from the curated GA4-export event items,
    to time what the analytics layer saves a reader: the month's item events counted per day,
    item and session (an event without a session a unit of its own), repeated purchase events
    of a transaction left out, then per item with the step rates (macro safe_share). -#}
with
{% include '_ga4_export_commerce_items.sql' %}
session_items as (
    select
        item_id,
        item_name,
        event_date,
        session_unit,
        countIf(event_name = 'view_item_list') as unit_impressions,
        countIf(event_name = 'select_item') as unit_clicks,
        countIf(event_name = 'view_item') as unit_views,
        countIf(event_name = 'add_to_cart') as unit_carts,
        uniqExactIf(event_key, event_name = 'purchase') as unit_purchases,
        sumIf(item_revenue, event_name = 'purchase') as unit_revenue
    from commerce_items
    where not is_repeated_purchase and event_date >= %(start)s and event_date < %(end)s
    group by item_id, item_name, event_date, session_unit
),
final as (
    select
        item_id,
        any(item_name) as item_name,
        sum(unit_impressions) as impressions,
        sum(unit_views) as views,
        sum(unit_carts) as add_to_carts,
        sum(unit_purchases) as purchases,
        sum(unit_revenue) as revenue,
        {{ safe_share('countIf(unit_impressions > 0 and unit_clicks > 0)',
            'countIf(unit_impressions > 0)') }} as list_ctr,
        {{ safe_share('countIf(unit_views > 0 and unit_carts > 0)', 'countIf(unit_views > 0)') }}
            as view_to_cart_rate
    from session_items
    group by item_id
)
select * from final order by revenue desc, item_id limit 20
