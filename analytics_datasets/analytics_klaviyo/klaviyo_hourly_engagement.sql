{#- Email receipts by day of week and hour they arrived (reporting time zone), and how many of
    them were opened and clicked later, so the best send time can be read off. -#}
{{
    config(
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, day_of_week, hour)',
    )
}}

with

{# the three metrics the receipts count: the events' key starts with the metric name #}
named_events as (
    select * from {{ ref('int_klaviyo__events_named') }}
    where
        metric_name in ('Received Email', 'Opened Email', 'Clicked Email')
        and message_id != ''
        and profile_id != ''
),

{# one row per (profile, message) receipt, with whether it was opened or clicked afterwards #}
receipts as (
    select
        source_relation,
        profile_id,
        message_id,
        minIf(occurred_at, metric_name = 'Received Email') as received_at,
        countIf(metric_name = 'Opened Email') > 0 as opened,
        countIf(metric_name = 'Clicked Email') > 0 as clicked
    from named_events
    group by source_relation, profile_id, message_id
    having countIf(metric_name = 'Received Email') > 0
),

final as (
    select
        source_relation,
        toDayOfWeek(received_at, 0, {{ reporting_timezone() }}) as day_of_week,
        toHour(received_at, {{ reporting_timezone() }}) as hour,  -- noqa: RF04
        count() as sends,  -- noqa: RF04
        countIf(opened) as unique_opens,
        countIf(clicked) as unique_clicks,
        unique_opens / sends as open_rate,
        unique_clicks / sends as click_rate
    from receipts
    group by source_relation, day_of_week, hour
)

select * from final
