{#- One row per GA4 session of the BigQuery export (session_key, as dbt-ga4 keys it), built
    from the deduplicated events: start and end, landing and exit pages, engagement by GA4's
    definition, the session's source / medium / campaign and channel group, last non-direct
    attribution within a lookback, key events and purchases. A session that crosses midnight
    is one session (on the day it started). Events without ga_session_id belong to no session.
    A refreshable materialized view, recomputed every analytics_refresh_minutes. -#}
{{
    config(
        materialized='materialized_view',
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, property_id, session_key)',
    )
}}

{#- the lookback of last non-direct attribution, in seconds before a session's start -#}
{%- set lookback_seconds = (number_var('ga4_session_lookback_days', 1, 3650) | int) * 86400 %}

with

events as (
    select * from {{ current(ref('ga4__events')) }}
    where session_key is not null
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

grouped as (
    select
        session_sources.*,
        coalesce(channel_groups.default_channel_group, 'Unassigned') as channel_group,
        session_sources.session_source = '(direct)' as is_direct,
        toInt64(toUnixTimestamp(coalesce(session_sources.started_at, toDateTime64(0, 6, 'UTC')))) as started_second
    from session_sources
    left join channel_groups
        on
            session_sources.session_source = channel_groups.session_source
            and session_sources.session_medium = channel_groups.session_medium
    settings join_use_nulls = 1
),

{# last non-direct: the client's latest session within the lookback (this one included)
   whose source is not direct; a direct session inherits it, as GA4 and dbt-ga4 attribute #}
attributed as (
    select
        *,
        argMaxIf(tuple(session_source, session_medium, channel_group), started_second, not is_direct) over (
            partition by source_relation, property_id, session_client_key
            order by started_second
            range between {{ lookback_seconds }} preceding and current row
        ) as last_non_direct,
        countIf(not is_direct) over (
            partition by source_relation, property_id, session_client_key
            order by started_second
            range between {{ lookback_seconds }} preceding and current row
        ) as non_direct_in_lookback
    from grouped
),

measures as (
    select
        *,
        engaged_seconds > 10 or page_view_count >= 2 or key_event_count > 0 or flagged_engaged as engaged,
        has_first_visit or coalesce(min_session_number = 1, false) as new_user,
        if(non_direct_in_lookback > 0, last_non_direct.1, '(direct)') as attributed_source,
        if(non_direct_in_lookback > 0, last_non_direct.2, '(none)') as attributed_medium,
        if(non_direct_in_lookback > 0, last_non_direct.3, 'Direct') as attributed_channel_group,
        assumeNotNull(session_key) as known_session_key,
        toFloat64(engaged_seconds) as engaged_seconds_float,
        toDecimal128(purchase_revenue_sum, 9) as purchase_revenue_decimal
    from attributed
),

final as (
    select
        source_relation,
        property_id,
        known_session_key as session_key,
        session_client_key as client_key,
        latest_user_id as user_id,
        started_at as session_start_at,
        ended_at as session_end_at,
        first_event_date as session_date,
        first_page_path as landing_page_path,
        last_page_path as exit_page_path,
        page_view_count as page_views,
        event_count as events,  -- noqa: RF04
        engaged_seconds_float as engagement_time_seconds,
        engaged as is_engaged,
        min_session_number as ga_session_number,
        new_user as is_new_user,
        session_source,
        session_medium,
        session_campaign,
        channel_group as default_channel_group,
        attributed_source as last_non_direct_source,
        attributed_medium as last_non_direct_medium,
        attributed_channel_group as last_non_direct_channel_group,
        first_device_category as device_category,
        first_country as country,
        key_event_count as key_events,
        purchase_count as purchases,
        purchase_revenue_decimal as purchase_revenue
    from measures
)

select * from final
