{#- The log of the sessions int_ga4__session_facts_state recomputed: one row per row its
    refreshes append (tombstones included), with when it was appended. Insert-triggered on the
    state, so int_ga4__sessions_state re-attributes the sessions of exactly the clients whose
    sessions changed since its own last refresh, whenever the two states' refreshes fall, and
    int_ga4__page_engagement_state recomputes every day the changed sessions span. Not
    backfilled (config backfill: false): a backfill ends with a full recompute. -#}
{{ config(**incremental_log_config()) }}

select
    source_relation,
    property_id,
    client_key,
    first_event_day,
    last_event_day,
    now64(3, 'UTC') as _changed_at
from {{ ref('int_ga4__session_facts_state') }}
