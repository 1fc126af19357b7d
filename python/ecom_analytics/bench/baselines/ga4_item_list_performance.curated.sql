{#- Baseline for the benchmark, not a definition: the typical question of the model
    ga4_item_list_performance (the definition) answered from the curated GA4-export event
    items, to time what the analytics layer saves a reader: the month's list impressions and
    clicks per list position and session (an event without a session a unit of its own), and
    the carts that followed each item's first click in a session, credited to the position
    clicked, then per list and position with the click-through rate (macro safe_share). -#}
with
{% include '_ga4_export_commerce_items.sql' %}
list_items as (
    select * from commerce_items
    where not is_repeated_purchase and event_name in ('view_item_list', 'select_item')
),
session_positions as (
    select
        item_list_name,
        item_list_index,
        session_unit,
        countIf(event_name = 'view_item_list') as unit_impressions,
        countIf(event_name = 'select_item') as unit_clicks
    from list_items
    where event_date >= %(start)s and event_date < %(end)s
    group by event_date, item_list_name, item_list_index, session_unit
),
positions as (
    select
        item_list_name,
        item_list_index,
        sum(unit_impressions) as impressions,
        sum(unit_clicks) as clicks,
        {{ safe_share('countIf(unit_impressions > 0 and unit_clicks > 0)',
            'countIf(unit_impressions > 0)') }} as ctr
    from session_positions
    group by item_list_name, item_list_index
),
first_selects as (
    select
        session_unit,
        item_id,
        min(event_order) as selected_order,
        argMin(tuple(event_date, item_list_name, item_list_index), event_order) as selected_from
    from list_items
    where event_name = 'select_item'
    group by session_unit, item_id
),
credited as (
    select
        f.selected_from.2 as item_list_name,
        f.selected_from.3 as item_list_index,
        countIf(c.event_name = 'add_to_cart') as add_to_carts
    from first_selects as f
    inner join commerce_items as c
        on f.session_unit = c.session_unit and f.item_id = c.item_id
    where c.event_name = 'add_to_cart' and c.event_order > f.selected_order
        and f.selected_from.1 >= %(start)s and f.selected_from.1 < %(end)s
    group by item_list_name, item_list_index
),
final as (
    select
        p.item_list_name as item_list_name,
        p.item_list_index as item_list_index,
        p.impressions as impressions,
        p.clicks as clicks,
        coalesce(c.add_to_carts, 0) as add_to_carts,
        p.ctr as ctr
    from positions as p
    left join credited as c
        on p.item_list_name = c.item_list_name
        and p.item_list_index is not distinct from c.item_list_index
    settings join_use_nulls = 1
)
select * from final order by item_list_name, item_list_index
