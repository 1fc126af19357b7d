{#- The incremental state behind ga4_page_engagement: one row per property, day and page path.
    A day's row depends on that day's events and on the sessions that started that day, so
    each refresh recomputes whole days: those of the events inserted since the last one
    (int_ga4__event_changes), and every day a session the session state recomputed spans
    (int_ga4__session_facts_changes), since a session's new event can move its start, landing
    or exit page to another of its days. Both the curated events and the days read are
    looked up by day. -#}
{{
    config(
        order_by='(source_relation, property_id, activity_date, page_path)',
        incremental_columns='source_relation String, property_id String, activity_date Date, page_path String',
        **incremental_state_config(),
    )
}}

with

event_changes as (
    select * from {{ ref('int_ga4__event_changes') }}
    where {{ incremental_new('_changed_at') }}
),

session_changes as (
    select * from {{ ref('int_ga4__session_facts_changes') }}
    {# written only by the session state's refresh, which runs before this one, never beside it #}
    where {{ incremental_new('_changed_at', overlap_seconds=0) }}
),

changes as (
    select _changed_at from event_changes
    union all
    select _changed_at from session_changes
),

affected_days as (
    select distinct
        source_relation,
        property_id,
        assumeNotNull(event_date) as activity_date
    from event_changes
    where event_date is not null
    union distinct
    select
        source_relation,
        property_id,
        {{ days_spanned('first_event_day', 'last_event_day') }} as activity_date
    from session_changes
    where first_event_day is not null
),

{# the same days under the names of the columns they look up #}
event_days as (
    select
        source_relation,
        property_id,
        activity_date as event_date
    from affected_days
),

session_days as (
    select
        source_relation,
        property_id,
        activity_date as session_date
    from affected_days
),

events as (
    select * from {{ current(ref('ga4__events')) }}
    where
        event_date is not null
        and page_path is not null
        and {{ incremental_affected(['source_relation', 'property_id', 'event_date'], 'event_days') }}
),

sessions as (
    select * from {{ ref('ga4_sessions') }}
    where
        session_date is not null
        and {{ incremental_affected(['source_relation', 'property_id', 'session_date'], 'session_days') }}
),

page_events as (
    select
        source_relation,
        property_id,
        assumeNotNull(event_date) as activity_date,
        assumeNotNull(page_path) as page_path,
        countIf(event_name = 'page_view') as page_views,
        uniqExactIf(client_key, event_name = 'page_view') as clients,
        sum(coalesce(engagement_time_msec, 0)) / 1000 as engagement_time_seconds
    from events
    group by source_relation, property_id, activity_date, page_path
),

session_ends as (
    select
        source_relation,
        property_id,
        assumeNotNull(session_date) as activity_date,
        assumeNotNull(landing_page_path) as page_path,
        toUInt64(1) as entrances,
        toUInt64(0) as exits
    from sessions
    where landing_page_path is not null
    union all
    select
        source_relation,
        property_id,
        assumeNotNull(session_date) as activity_date,
        assumeNotNull(exit_page_path) as page_path,
        toUInt64(0) as entrances,
        toUInt64(1) as exits
    from sessions
    where exit_page_path is not null
),

page_sessions as (
    select
        source_relation,
        property_id,
        activity_date,
        page_path,
        sum(entrances) as entrance_count,
        sum(exits) as exit_count
    from session_ends
    group by source_relation, property_id, activity_date, page_path
),

recomputed as (
    select
        page_events.source_relation as source_relation,
        page_events.property_id as property_id,
        page_events.activity_date as activity_date,
        page_events.page_path as page_path,
        page_events.page_views as page_views,
        page_events.clients as users,  -- noqa: RF04
        coalesce(page_sessions.entrance_count, 0) as entrances,
        coalesce(page_sessions.exit_count, 0) as exits,
        toFloat64(page_events.engagement_time_seconds) as engagement_time_seconds,
        nullIf(decodeURLComponent(extract(page_events.page_path, '/products/([^/]+)')), '') as product_handle,
        product_handle is not null as is_product_page
    from page_events
    left join page_sessions
        on
            page_events.source_relation = page_sessions.source_relation
            and page_events.property_id = page_sessions.property_id
            and page_events.activity_date = page_sessions.activity_date
            and page_events.page_path = page_sessions.page_path
    settings join_use_nulls = 1
),

final as (
    {{ incremental_rows(
        'recomputed', 'affected_days', 'changes',
        affected_keys=['source_relation', 'property_id', 'activity_date'],
    ) }}
)

select * from final
