{#- GA4 traffic per property, day, country, region and city (the locations report's own grain,
    so users stay exact), with engagement figures. A view over the curated report, so a
    restated day shows at once. -#}
with

locations as (
    select * from {{ current(ref('ga4__locations')) }}
    where date is not null
),

final as (
    select
        source_relation,
        property_id,
        assumeNotNull(date) as activity_date,
        country,
        region,
        city,
        total_users as users,  -- noqa: RF04
        new_users,
        sessions,
        screen_page_views as page_views,
        average_session_duration_seconds,
        bounce_rate,
        {{ ga4_engagement_measures('sessions', 'bounce_rate') }}
    from locations
)

select * from final
