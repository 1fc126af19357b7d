{#- Events per day (reporting time zone), account and metric, from the current curated events. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, event_date, metric_name)',
    )
}}

with

named_events as (
    select * from {{ ref('int_klaviyo__events_named') }}
),

final as (
    select
        source_relation,
        event_date,
        metric_name,
        uniqExact(event_id) as events,  -- noqa: RF04
        uniqExactIf(profile_id, profile_id != '') as unique_profiles,
        toDecimal128(sum(coalesce(value, 0)), 9) as value  -- noqa: RF04
    from named_events
    group by source_relation, event_date, metric_name
)

select * from final
