{#- The change log of the GA4 export's commerce models: one row per curated ecommerce event
    inserted (every delivery of it), with its day, its transaction and when it was inserted.
    Insert-triggered on data_ga4.events, so the incremental states find the events new rows
    touch without reading the curated events. An event's items arrive in the same raw row as
    the event, so a logged event also names the items to recompute. Not backfilled (config
    backfill: false): a backfill's partition swap inserts nothing, so `make backfill` ends with
    a full recompute of the analytics. -#}
{{ config(**incremental_log_config()) }}

select
    source_relation,
    property_id,
    event_date,
    event_key,
    transaction_id,
    assumeNotNull(event_name) as event_name,
    now64(3, 'UTC') as _changed_at
from {{ ref('ga4__events') }}
where event_name in {{ ga4_commerce_events() }}
