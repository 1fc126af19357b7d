{#- The change log of the GA4 export's sessions and day models: one row per day, client and
    session of the curated events each insert brings (every delivery of them), with when it was
    inserted. Insert-triggered on data_ga4.events, so the incremental states find the sessions
    and days new rows touch without reading the curated events. An event's session never
    changes (its session's parts are in the event's key). Not backfilled (config backfill:
    false): a backfill's partition swap inserts nothing, so `make backfill` ends with a full
    recompute of the analytics. -#}
{{ config(**incremental_log_config()) }}

select distinct
    source_relation,
    property_id,
    event_date,
    client_key,
    session_key,
    now64(3, 'UTC') as _changed_at
from {{ ref('ga4__events') }}
