{#- The incremental state behind klaviyo_daily_event_summary: events, distinct profiles and value
    per day, account and metric. Each refresh recomputes whole days: those of the events the
    events state recomputed since the last one (int_klaviyo__events_named_changes), read from
    it by day within each metric. -#}
{{
    config(
        order_by='(source_relation, event_date, metric_name)',
        incremental_columns='source_relation String, event_date Date, metric_name String',
        **incremental_state_config(),
    )
}}

with

changes as (
    select * from {{ ref('int_klaviyo__events_named_changes') }}
    {# written only by the events state's refresh, which runs before this one, never beside it #}
    where {{ incremental_new('_changed_at', overlap_seconds=0) }}
),

changed_days as (
    select distinct
        source_relation,
        event_date
    from changes
    {# the events state's watermark row #}
    where source_relation != ''
),

named_events as (
    select * from {{ ref('int_klaviyo__events_named') }}
    where
        {{ incremental_is_full() }}
        or (
            {# a range the primary key narrows each metric's rows to; the set picks the days #}
            event_date between (select min(changed_days.event_date) from changed_days)
            and (select max(changed_days.event_date) from changed_days)
            and {{ incremental_keys_in(['source_relation', 'event_date'], 'changed_days') }}
        )
),

recomputed as (
    select
        source_relation,
        event_date,
        metric_name,
        uniqExact(event_id) as events,  -- noqa: RF04
        uniqExactIf(profile_id, profile_id != '') as unique_profiles,
        toDecimal128(sum(coalesce(value, 0)), 9) as value  -- noqa: RF04
    from named_events
    group by source_relation, event_date, metric_name
),

final as (
    {{ incremental_rows(
        'recomputed', 'changed_days', 'changes',
        affected_keys=['source_relation', 'event_date'],
    ) }}
)

select * from final
