{#- Baseline for the benchmark, not a definition: the typical question of the model
    ga4_daily_sessions (the definition) answered from the curated GA4-export events, to time
    what the analytics layer saves a reader: every session of the month rebuilt from its
    events, then summed per default channel group. -#}
with
{% include '_ga4_export_sessions.sql' %}
final as (
    select default_channel_group, count() as sessions,
        countIf(is_engaged) as engaged_sessions, sum(purchase_revenue) as revenue
    from sessions
    group by default_channel_group
)
select * from final order by sessions desc, default_channel_group
