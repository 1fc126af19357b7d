{#- The incremental state behind int_ga4__commerce_items: one row per item of an ecommerce event
    of the GA4 export (int_ga4__commerce_events), with the event's order, session and purchase
    flags beside the item. GA4 reports an item without id or name as '(not set)' and an item
    without quantity as one unit; so does this. Each refresh recomputes the items of the events
    whose rows int_ga4__commerce_events_state appended since the last one
    (int_ga4__commerce_state_changes): an event's items arrive with it, and a change of its
    purchase flag reaches them. -#}
{{
    config(
        order_by='(source_relation, property_id, event_name, event_key, item_position)',
        incremental_columns='source_relation String, property_id String, event_name String, event_key String, item_position UInt32',
        **incremental_state_config(),
    )
}}

with

changes as (
    select * from {{ ref('int_ga4__commerce_state_changes') }}
    {# written only by the events state's refresh, which runs before this one, never beside it #}
    where {{ incremental_new('_changed_at', overlap_seconds=0) }}
),

affected as (
    select distinct
        source_relation,
        property_id,
        event_name,
        event_date,
        event_key
    from changes
),

commerce_events as (
    select * from {{ ref('int_ga4__commerce_events') }}
    where {{ incremental_affected(['source_relation', 'property_id', 'event_name', 'event_key'], 'affected') }}
),

event_items as (
    select * from {{ current(ref('ga4__event_items')) }}
    where {{ incremental_is_full() }} or {{ ga4_event_keys_in('affected') }}
),

recomputed as (
    select
        commerce_events.source_relation as source_relation,
        commerce_events.property_id as property_id,
        commerce_events.event_key as event_key,
        event_items.item_position as item_position,
        commerce_events.event_name as event_name,
        commerce_events.event_date as event_date,
        commerce_events.event_order as event_order,
        commerce_events.client_key as client_key,
        commerce_events.session_key as session_key,
        commerce_events.transaction_id as transaction_id,
        commerce_events.is_repeated_purchase as is_repeated_purchase,
        event_items.item_list_index as item_list_index,
        event_items.price as price,
        coalesce(nullIf(event_items.item_id, ''), '(not set)') as item_id,
        coalesce(nullIf(event_items.item_name, ''), '(not set)') as item_name,
        coalesce(nullIf(event_items.item_list_name, ''), '(not set)') as item_list_name,
        coalesce(event_items.quantity, 1) as units,
        toDecimal128(coalesce(event_items.price, 0) * units, 9) as item_value,
        toDecimal128(coalesce(event_items.item_revenue, item_value), 9) as item_revenue
    from commerce_events
    inner join event_items
        on
            commerce_events.source_relation = event_items.source_relation
            and commerce_events.property_id = event_items.property_id
            and commerce_events.event_key = event_items.event_key
),

final as (
    {# an affected event's items, whatever their positions #}
    {{ incremental_rows(
        'recomputed', 'affected', 'changes',
        affected_keys=['source_relation', 'property_id', 'event_name', 'event_key'],
    ) }}
)

select * from final
