{#- Baseline for the benchmark, not a definition: the typical question of the model
    ga4_active_users (the definition) answered from raw, to time what the analytics layer
    saves a reader. -#}
with
daily as (
    select property_id, date, active1DayUsers as users
    from raw_ga4.daily_active_users final
),
weekly as (
    select property_id, date, active7DayUsers as users
    from raw_ga4.weekly_active_users final
),
monthly as (
    select property_id, date, active28DayUsers as users
    from raw_ga4.four_weekly_active_users final
)
select toDate(parseDateTimeOrNull(d.date, '%%Y%%m%%d')) as activity_date,
    d.users as daily_active_users, w.users as weekly_active_users,
    m.users as monthly_active_users,
    if(m.users > 0, d.users / m.users, null) as stickiness
from daily as d
left join weekly as w on d.property_id = w.property_id and d.date = w.date
left join monthly as m on d.property_id = m.property_id and d.date = m.date
where activity_date >= %(start)s and activity_date < %(end)s
order by activity_date
settings join_use_nulls = 1
