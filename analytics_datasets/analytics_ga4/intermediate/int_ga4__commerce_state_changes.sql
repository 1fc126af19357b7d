{#- The log of the ecommerce events int_ga4__commerce_events_state recomputed: one row per row
    its refreshes append (tombstones included), with when it was appended. Insert-triggered on
    the state, so int_ga4__commerce_items_state recomputes the items of exactly the events whose
    rows changed since its own last refresh, whenever the two states' refreshes fall. Not
    backfilled (config backfill: false): a backfill ends with a full recompute. -#}
{{ config(**incremental_log_config()) }}

select
    source_relation,
    property_id,
    event_name,
    event_date,
    event_key,
    now64(3, 'UTC') as _changed_at
from {{ ref('int_ga4__commerce_events_state') }}
