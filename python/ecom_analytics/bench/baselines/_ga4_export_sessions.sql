{#- Baseline for the benchmark, not a definition. The start of the GA4-export session baselines:
    `session_events`, the export property's curated events (FINAL) of the days around [start,
    end) with the project's event order (macro ga4_event_order), and `sessions`, one row per
    session that started in [start, end): its day and start, landing and exit pages, engagement
    (key events by the macro ga4_key_events), purchases, source and medium (the export's last
    click, else the first event-level source) and default channel group (macro
    default_channel_groups), as the model ga4_sessions derives them. A session is read from the
    day before the range to the day after it, which holds every session of the range that lasts
    less than a day. -#}
session_events as (
    select
        *,
        {{ ga4_event_order() }} as event_order,
        event_name = 'page_view' as is_page_view,
        coalesce(event_source, '') not in ('', '(direct)') as has_event_source,
        coalesce(last_click_source, '') != '' as has_last_click_source
    from data_ga4.events final
    where source_relation = %(export_property)s and session_key is not null
        and event_date >= addDays(toDate(%(start)s), -1)
        and event_date < addDays(toDate(%(end)s), 1)
),
session_rows as (
    select
        property_id,
        session_key,
        any(client_key) as client_key,
        argMin(event_date, event_order) as session_date,
        min(event_at) as session_start_at,
        argMinIf(page_path, event_order, is_page_view) as landing_page_path,
        argMaxIf(page_path, event_order, is_page_view) as exit_page_path,
        sum(coalesce(engagement_time_msec, 0)) / 1000 > 10
            or countIf(is_page_view) >= 2
            or countIf(event_name in {{ ga4_key_events() }}) > 0
            or max(coalesce(session_engaged, 0)) = 1 as is_engaged,
        countIf(event_name = 'purchase') as purchases,
        sumIf(coalesce(purchase_revenue, toDecimal128(0, 9)), event_name = 'purchase')
            as purchase_revenue,
        argMinIf(tuple(last_click_source, last_click_medium), event_order,
            has_last_click_source) as last_click,
        countIf(has_last_click_source) > 0 as has_last_click,
        argMinIf(tuple(event_source, event_medium), event_order, has_event_source)
            as first_event_source,
        countIf(has_event_source) > 0 as has_first_event_source
    from session_events
    group by property_id, session_key
    having session_date >= %(start)s and session_date < %(end)s
),
session_pairs as (
    select
        *,
        multiIf(
            has_last_click, coalesce(last_click.1, '(direct)'),
            has_first_event_source, coalesce(first_event_source.1, '(direct)'),
            '(direct)'
        ) as session_source,
        multiIf(
            has_last_click, coalesce(last_click.2, '(none)'),
            has_first_event_source, coalesce(first_event_source.2, '(not set)'),
            '(none)'
        ) as session_medium
    from session_rows
),
session_groups as (
    {{ default_channel_groups('session_pairs') }}
),
sessions as (
    select
        s.*,
        coalesce(g.default_channel_group, 'Unassigned') as default_channel_group
    from session_pairs as s
    left join session_groups as g
        on s.session_source = g.session_source and s.session_medium = g.session_medium
    settings join_use_nulls = 1
),
