{#- Events per day (reporting time zone), account and metric, from the current curated events.
    A view: the current rows of the incremental state int_klaviyo__daily_event_summary_state,
    which each analytics refresh brings up to date for the days whose events changed. -#}
{{ config(materialized='view') }}

with

daily_events as (
    {{ incremental_current(ref('int_klaviyo__daily_event_summary_state')) }}
),

final as (
    select
        source_relation,
        event_date,
        metric_name,
        events,  -- noqa: RF04
        unique_profiles,
        value  -- noqa: RF04
    from daily_events
)

select * from final
