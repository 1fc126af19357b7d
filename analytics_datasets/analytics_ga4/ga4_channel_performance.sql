{#- GA4 traffic per property, day and default channel group, summed over the traffic-sources
    report's source / medium rows of each group (channel groups resolved from the seed when
    read, see ga4__traffic_source_channels). A view, so a restated day or an edited rule shows
    at once. -#}
with

traffic as (
    select
        source_relation,
        property_id,
        sessions as row_sessions,
        new_users as row_new_users,
        total_users as row_users,
        screen_page_views as row_page_views,
        assumeNotNull(date) as activity_date,
        coalesce(default_channel_group, 'Unassigned') as channel_group,
        {# bad raw figures (a rate outside 0-1, a duration beyond 30 years) give NULLs, not an
           overflow error when the view is read #}
        sessions * (1 - if(bounce_rate between 0 and 1, bounce_rate, null)) as row_engaged_sessions,
        sessions * if(abs(average_session_duration_seconds) < 1e9, average_session_duration_seconds, null)
            as row_session_seconds
    from {{ ref('ga4__traffic_source_channels') }}
    where date is not null
),

final as (
    select
        source_relation,
        property_id,
        activity_date,
        channel_group as default_channel_group,
        sum(row_sessions) as sessions,
        sum(row_new_users) as new_users,
        {# a person who came by two sources of a group that day is in both rows #}
        sum(row_users) as users_upper_bound,
        sum(row_page_views) as page_views,
        {{ rounded_int64('sum(row_engaged_sessions)') }} as engaged_sessions,
        if(sessions = 0, null, engaged_sessions / sessions) as engagement_rate,
        if(sessions = 0, null, 1 - engagement_rate) as bounce_rate,
        if(sessions = 0, null, sum(row_session_seconds) / sessions) as average_session_duration_seconds,
        count() as source_medium_rows
    from traffic
    group by source_relation, property_id, activity_date, channel_group
)

select * from final
