{#- GA4 item lists per property, day, list and position: impressions and clicks of the
    position, its click-through rate, and the add-to-carts and purchases of items a session
    first selected from that position (credited to the day of that click). A transaction
    counts once however often its purchase event was sent. A refreshable materialized view,
    recomputed every analytics_refresh_minutes. -#}
{{
    config(
        materialized='materialized_view',
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, property_id, activity_date, item_list_name)',
    )
}}

with

commerce_items as (
    select
        *,
        coalesce(session_key, event_key) as session_unit
    from {{ ref('int_ga4__commerce_items') }}
    where not is_repeated_purchase
),

list_items as (
    select * from commerce_items
    where event_name in ('view_item_list', 'select_item') and event_date is not null
),

{# the position's impressions and clicks in one session (an event without a session is a unit
   of its own) #}
session_positions as (
    select
        source_relation,
        property_id,
        item_list_name,
        item_list_index,
        session_unit,
        assumeNotNull(event_date) as activity_date,
        countIf(event_name = 'view_item_list') as unit_impressions,
        countIf(event_name = 'select_item') as unit_clicks
    from list_items
    group by source_relation, property_id, activity_date, item_list_name, item_list_index, session_unit
),

{# each item's first click in a session: the list position its later cart and purchase credit #}
first_selects as (
    select
        source_relation,
        property_id,
        session_unit,
        item_id,
        min(event_order) as selected_order,
        argMin(tuple(assumeNotNull(event_date), item_list_name, item_list_index), event_order) as selected_from
    from list_items
    where event_name = 'select_item'
    group by source_relation, property_id, session_unit, item_id
),

credited as (
    select
        first_selects.source_relation as source_relation,
        first_selects.property_id as property_id,
        first_selects.selected_from.1 as activity_date,
        first_selects.selected_from.2 as item_list_name,
        first_selects.selected_from.3 as item_list_index,
        countIf(commerce_items.event_name = 'add_to_cart') as credited_add_to_carts,
        countIf(commerce_items.event_name = 'purchase') as credited_purchases
    from first_selects
    inner join commerce_items
        on
            first_selects.source_relation = commerce_items.source_relation
            and first_selects.property_id = commerce_items.property_id
            and first_selects.session_unit = commerce_items.session_unit
            and first_selects.item_id = commerce_items.item_id
    where
        commerce_items.event_name in ('add_to_cart', 'purchase')
        and commerce_items.event_order > first_selects.selected_order
    group by source_relation, property_id, activity_date, item_list_name, item_list_index
),

positions as (
    select
        source_relation,
        property_id,
        activity_date,
        item_list_name,
        item_list_index,
        sum(unit_impressions) as impressions,
        sum(unit_clicks) as clicks,
        countIf(unit_impressions > 0) as impression_sessions,
        countIf(unit_impressions > 0 and unit_clicks > 0) as clicked_impression_sessions
    from session_positions
    group by source_relation, property_id, activity_date, item_list_name, item_list_index
),

final as (
    select
        positions.source_relation as source_relation,
        positions.property_id as property_id,
        positions.activity_date as activity_date,
        positions.item_list_name as item_list_name,
        positions.item_list_index as item_list_index,
        positions.impressions as impressions,
        positions.clicks as clicks,
        positions.impression_sessions as impression_sessions,
        positions.clicked_impression_sessions as clicked_impression_sessions,
        {{ safe_share('positions.clicked_impression_sessions', 'positions.impression_sessions') }} as ctr,
        coalesce(credited.credited_add_to_carts, 0) as add_to_carts,
        coalesce(credited.credited_purchases, 0) as purchases
    from positions
    left join credited
        on
            positions.source_relation = credited.source_relation
            and positions.property_id = credited.property_id
            and positions.activity_date = credited.activity_date
            and positions.item_list_name = credited.item_list_name
            and positions.item_list_index is not distinct from credited.item_list_index
    settings join_use_nulls = 1
)

select * from final
