{#- One row per GA4 session of the BigQuery export (session_key, as dbt-ga4 keys it), built
    from the deduplicated events: start and end, landing and exit pages, engagement by GA4's
    definition, the session's source / medium / campaign and channel group, last non-direct
    attribution within a lookback, key events and purchases. A session that crosses midnight
    is one session (on the day it started). Events without ga_session_id belong to no session.
    A view: the current rows of the incremental state int_ga4__sessions_state, which each
    analytics refresh brings up to date for the sessions new events touched. -#}
{{ config(materialized='view') }}

with

sessions as (
    {{ incremental_current(ref('int_ga4__sessions_state')) }}
),

final as (
    select
        source_relation,
        property_id,
        session_key,
        {# the state keys sessions by client (never missing); the column stays as it was #}
        toNullable(client_key) as client_key,
        user_id,
        session_start_at,
        session_end_at,
        session_date,
        landing_page_path,
        exit_page_path,
        page_views,
        events,  -- noqa: RF04
        engagement_time_seconds,
        is_engaged,
        ga_session_number,
        is_new_user,
        session_source,
        session_medium,
        session_campaign,
        default_channel_group,
        last_non_direct_source,
        last_non_direct_medium,
        last_non_direct_channel_group,
        device_category,
        country,
        key_events,
        purchases,
        purchase_revenue
    from sessions
)

select * from final
