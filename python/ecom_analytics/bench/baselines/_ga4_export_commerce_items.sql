{#- Baseline for the benchmark, not a definition. The start of the GA4-export item baselines:
    `commerce_items`, the export property's curated ecommerce event items (FINAL) from the day
    before [start, end) to the day after it (the caller keeps its days), items without id or
    name as '(not set)', units (1 when unset), value (price x units) and revenue (the value when
    unset), the event's place in the project's event order (macro ga4_event_order) and whether a
    purchase event repeats its transaction (not the transaction's first purchase event over the
    whole history), as the model int_ga4__commerce_items derives them. -#}
first_purchases as (
    select
        transaction_id,
        argMin(event_key, tuple({{ ga4_event_order() }}, event_key)) as first_event_key
    from data_ga4.events final
    where source_relation = %(export_property)s and event_name = 'purchase'
        and transaction_id is not null
    group by property_id, transaction_id
),
window_events as (
    select event_key, {{ ga4_event_order() }} as event_order
    from data_ga4.events final
    where source_relation = %(export_property)s
        and event_date >= addDays(toDate(%(start)s), -1)
        and event_date < addDays(toDate(%(end)s), 1)
        and event_name in ('view_item_list', 'select_item', 'view_item', 'add_to_cart',
            'begin_checkout', 'add_payment_info', 'purchase')
),
commerce_items as (
    select
        i.event_key as event_key,
        i.event_date as event_date,
        i.event_name as event_name,
        e.event_order as event_order,
        i.session_key as session_key,
        coalesce(i.session_key, i.event_key) as session_unit,
        i.transaction_id as transaction_id,
        coalesce(nullIf(i.item_id, ''), '(not set)') as item_id,
        coalesce(nullIf(i.item_name, ''), '(not set)') as item_name,
        coalesce(nullIf(i.item_list_name, ''), '(not set)') as item_list_name,
        i.item_list_index as item_list_index,
        coalesce(i.quantity, 1) as units,
        coalesce(i.price, 0) * units as item_value,
        coalesce(i.item_revenue, item_value) as item_revenue,
        coalesce(i.event_name = 'purchase' and i.event_key != p.first_event_key, false)
            as is_repeated_purchase
    from data_ga4.event_items as i final
    inner join window_events as e on i.event_key = e.event_key
    left join first_purchases as p on i.transaction_id = p.transaction_id
    where i.source_relation = %(export_property)s
        and i.event_date >= addDays(toDate(%(start)s), -1)
        and i.event_date < addDays(toDate(%(end)s), 1)
    settings join_use_nulls = 1
),
