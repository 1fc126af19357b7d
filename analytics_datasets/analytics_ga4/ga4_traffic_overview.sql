{#- GA4's website overview per property and day, with the engagement figures GA4 derives from
    it. A view over the curated report (one row per day), so a restated day shows at once. -#}
with

overview as (
    select * from {{ current(ref('ga4__website_overview')) }}
    where date is not null
),

final as (
    select
        source_relation,
        property_id,
        assumeNotNull(date) as activity_date,
        total_users as users,  -- noqa: RF04
        new_users,
        sessions,
        screen_page_views as page_views,
        sessions_per_user,
        screen_page_views_per_session as page_views_per_session,
        average_session_duration_seconds,
        bounce_rate,
        {{ ga4_engagement_measures('sessions', 'bounce_rate') }}
    from overview
)

select * from final
