{#- Baseline for the benchmark, not a definition: the typical question of the model
    ga4_active_users (the definition) answered from the curated tables, to time what the
    analytics layer saves a reader. -#}
select d.date as activity_date, d.active_users as daily_active_users,
    w.active_users as weekly_active_users, m.active_users as monthly_active_users,
    if(m.active_users > 0, d.active_users / m.active_users, null) as stickiness
from data_ga4.daily_active_users as d final
left join data_ga4.weekly_active_users as w final
    on d.property_id = w.property_id and d.date_text = w.date_text
    and w.source_relation = %(property)s
left join data_ga4.four_weekly_active_users as m final
    on d.property_id = m.property_id and d.date_text = m.date_text
    and m.source_relation = %(property)s
where d.source_relation = %(property)s and d.date >= %(start)s and d.date < %(end)s
order by activity_date
settings join_use_nulls = 1
