{#- GA4 traffic per property, day, device category, operating system and browser (the devices
    report's own grain, so users stay exact), with engagement figures. A view over the curated
    report, so a restated day shows at once. -#}
with

devices as (
    select * from {{ current(ref('ga4__devices')) }}
    where date is not null
),

final as (
    select
        source_relation,
        property_id,
        assumeNotNull(date) as activity_date,
        device_category,
        operating_system,
        browser,
        total_users as users,  -- noqa: RF04
        new_users,
        sessions,
        screen_page_views as page_views,
        average_session_duration_seconds,
        bounce_rate,
        {{ ga4_engagement_measures('sessions', 'bounce_rate') }}
    from devices
)

select * from final
