{#- Daily, weekly and 28-day active users per GA4 property and day, side by side, from the
    three active-user reports. A view over the curated reports (one small row per day each),
    so a restated day shows at once. -#}
with

daily as (
    select * from {{ current(ref('ga4__daily_active_users')) }}
    where date is not null
),

weekly as (
    select * from {{ current(ref('ga4__weekly_active_users')) }}
    where date is not null
),

four_weekly as (
    select * from {{ current(ref('ga4__four_weekly_active_users')) }}
    where date is not null
),

reports as (
    select
        source_relation,
        property_id,
        assumeNotNull(date) as activity_date,
        'daily' as report,
        active_users
    from daily
    union all
    select
        source_relation,
        property_id,
        assumeNotNull(date) as activity_date,
        'weekly' as report,
        active_users
    from weekly
    union all
    select
        source_relation,
        property_id,
        assumeNotNull(date) as activity_date,
        'four_weekly' as report,
        active_users
    from four_weekly
),

final as (
    select
        source_relation,
        property_id,
        activity_date,
        {# one row per report and day (curated keys), so any() picks that row; NULL when the
           report has no row for the day #}
        anyIf(toNullable(active_users), report = 'daily') as daily_active_users,
        anyIf(toNullable(active_users), report = 'weekly') as weekly_active_users,
        anyIf(toNullable(active_users), report = 'four_weekly') as monthly_active_users,
        if(monthly_active_users > 0, daily_active_users / monthly_active_users, null) as stickiness,
        if(weekly_active_users > 0, daily_active_users / weekly_active_users, null) as daily_to_weekly_ratio
    from reports
    group by source_relation, property_id, activity_date
)

select * from final
