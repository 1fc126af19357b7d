{#- The first incremental state behind ga4_sessions: one row per GA4 session of the export with
    everything that depends on the session's own events (start and end, pages, engagement, the
    session's source and channel group, key events and purchases), and the first and last day
    its events fell on. Attribution, which depends on the client's other sessions, is
    int_ga4__sessions_state's. Each refresh recomputes only the sessions whose events were
    inserted since the last one (int_ga4__event_changes), reading the days those events fell
    on and every day the sessions spanned before: the curated events are ordered by day, so a
    few sessions read the granules of a few days. -#}
{%- set session_keys = ['source_relation', 'property_id', 'client_key', 'session_key'] -%}
{{
    config(
        order_by='(source_relation, property_id, client_key, session_key)',
        incremental_columns='source_relation String, property_id String, client_key String, session_key String, first_event_day Nullable(Date), last_event_day Nullable(Date)',
        **incremental_state_config(),
    )
}}

with

changes as (
    select * from {{ ref('int_ga4__event_changes') }}
    where {{ incremental_new('_changed_at') }} and session_key is not null
),

changed_sessions as (
    select distinct
        source_relation,
        property_id,
        {# a session key is made of the client key, so a session always has a client #}
        assumeNotNull(client_key) as client_key,
        assumeNotNull(session_key) as session_key
    from changes
),

{# the days holding a changed session's events: those the log names, and every day of the
   session's span as held (its earlier events stay where they were) #}
session_days as (
    select distinct
        source_relation,
        property_id,
        assumeNotNull(event_date) as event_date
    from changes
    where event_date is not null
    union distinct
    select
        source_relation,
        property_id,
        {{ days_spanned('first_event_day', 'last_event_day') }} as event_date
    from {{ incremental_previous() }}
    where
        first_event_day is not null
        and {{ incremental_keys_in(session_keys, 'changed_sessions') }}
),

events as (
    select * from {{ current(ref('ga4__events')) }}
    where
        session_key is not null
        and (
            {{ incremental_is_full() }}
            or (
                {# an event whose date did not parse (NULL, kept and flagged) is among the undated rows #}
                (
                    {{ incremental_keys_in(['source_relation', 'property_id', 'event_date'], 'session_days') }}
                    or event_date is null
                )
                and {{ incremental_keys_in(['source_relation', 'property_id', 'session_key'], 'changed_sessions') }}
            )
        )
),

ordered_events as (
    select
        *,
        {{ ga4_event_order() }} as event_order,
        event_name = 'page_view' as is_page_view,
        {# an event-level source that says where the visit came from #}
        coalesce(event_source, '') not in ('', '(direct)') as has_event_source,
        {# the export's last-click record, where it has one (older exports do not) #}
        coalesce(last_click_source, '') != '' as has_last_click_source
    from events
),

sessions as (
    select
        source_relation,
        property_id,
        session_key,
        any(client_key) as session_client_key,
        argMaxIf(user_id, event_order, user_id is not null) as latest_user_id,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        argMin(event_date, event_order) as first_event_date,
        min(event_date) as first_event_day,
        max(event_date) as last_event_day,
        argMinIf(page_path, event_order, is_page_view) as first_page_path,
        argMaxIf(page_path, event_order, is_page_view) as last_page_path,
        countIf(is_page_view) as page_view_count,
        count() as event_count,
        sum(coalesce(engagement_time_msec, 0)) / 1000 as engaged_seconds,
        countIf(event_name in {{ ga4_key_events() }}) as key_event_count,
        max(coalesce(session_engaged, 0)) = 1 as flagged_engaged,
        min(ga_session_number) as min_session_number,
        countIf(event_name = 'first_visit') > 0 as has_first_visit,
        argMinIf(tuple(last_click_source, last_click_medium, last_click_campaign), event_order, has_last_click_source)
            as last_click,
        countIf(has_last_click_source) > 0 as has_last_click,
        argMinIf(tuple(event_source, event_medium, event_campaign), event_order, has_event_source)
            as first_event_source,
        countIf(has_event_source) > 0 as has_first_event_source,
        argMin(device_category, event_order) as first_device_category,
        argMin(geo_country, event_order) as first_country,
        countIf(event_name = 'purchase') as purchase_count,
        sumIf(coalesce(purchase_revenue, toDecimal128(0, 9)), event_name = 'purchase') as purchase_revenue_sum
    from ordered_events
    group by source_relation, property_id, session_key
),

session_sources as (
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
        ) as session_medium,
        multiIf(
            has_last_click, coalesce(last_click.3, '(not set)'),
            has_first_event_source, coalesce(first_event_source.3, '(not set)'),
            '(direct)'
        ) as session_campaign
    from sessions
),

channel_groups as (
    {{ default_channel_groups('session_sources') }}
),

recomputed as (
    select
        session_sources.source_relation as source_relation,
        session_sources.property_id as property_id,
        session_sources.latest_user_id as user_id,
        session_sources.started_at as session_start_at,
        session_sources.ended_at as session_end_at,
        session_sources.first_event_date as session_date,
        session_sources.first_event_day as first_event_day,
        session_sources.last_event_day as last_event_day,
        session_sources.first_page_path as landing_page_path,
        session_sources.last_page_path as exit_page_path,
        session_sources.page_view_count as page_views,
        session_sources.event_count as events,  -- noqa: RF04
        session_sources.min_session_number as ga_session_number,
        session_sources.session_source as session_source,
        session_sources.session_medium as session_medium,
        session_sources.session_campaign as session_campaign,
        session_sources.first_device_category as device_category,
        session_sources.first_country as country,
        session_sources.key_event_count as key_events,
        session_sources.purchase_count as purchases,
        assumeNotNull(session_sources.session_client_key) as client_key,
        assumeNotNull(session_sources.session_key) as session_key,
        toFloat64(session_sources.engaged_seconds) as engagement_time_seconds,
        session_sources.engaged_seconds > 10
        or session_sources.page_view_count >= 2
        or session_sources.key_event_count > 0
        or session_sources.flagged_engaged as is_engaged,
        session_sources.has_first_visit
        or coalesce(session_sources.min_session_number = 1, false) as is_new_user,
        coalesce(channel_groups.default_channel_group, 'Unassigned') as default_channel_group,
        toDecimal128(session_sources.purchase_revenue_sum, 9) as purchase_revenue
    from session_sources
    left join channel_groups
        on
            session_sources.session_source = channel_groups.session_source
            and session_sources.session_medium = channel_groups.session_medium
    settings join_use_nulls = 1
),

final as (
    {{ incremental_rows('recomputed', 'changed_sessions', 'changes') }}
)

select * from final
