{#- The log of the days int_klaviyo__events_named_state recomputed: one row per row its
    refreshes append (tombstones included, which keep their day in the key), with when it was
    appended. Insert-triggered on the state, so int_klaviyo__daily_event_summary_state
    recomputes exactly the days whose events changed since its own last refresh. Not
    backfilled (config backfill: false): a backfill ends with a full recompute. -#}
{{ config(**incremental_log_config()) }}

select
    source_relation,
    event_date,
    now64(3, 'UTC') as _changed_at
from {{ ref('int_klaviyo__events_named_state') }}
