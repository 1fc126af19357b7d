{#- The change log of the GA4 export's sessions: one row per session and day of the curated
    events each insert brings (every delivery of them), with when it was inserted.
    Insert-triggered on data_ga4.events, so int_ga4__session_facts_state finds the sessions new
    rows touch, and the days their events fell on, without reading the curated events. An
    event's session never changes (its session's parts are in the event's key). Not
    backfilled (config backfill: false): a backfill's partition swap inserts nothing, so
    `make backfill` ends with a full recompute of the analytics. -#}
{{ config(**incremental_log_config()) }}

select distinct
    source_relation,
    property_id,
    event_date,
    assumeNotNull(client_key) as client_key,
    assumeNotNull(session_key) as session_key,
    now64(3, 'UTC') as _changed_at
from {{ ref('ga4__events') }}
{# a session key is made of the client key, so a session always has a client #}
where session_key is not null
