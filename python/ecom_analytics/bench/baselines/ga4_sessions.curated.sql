{#- Baseline for the benchmark, not a definition: the typical question of the model
    ga4_sessions (the definition) answered from the curated GA4-export events, to time what
    the analytics layer saves a reader: every session of the month rebuilt from its events. -#}
with
{% include '_ga4_export_sessions.sql' %}
final as (
    select landing_page_path, count() as sessions,
        countIf(is_engaged) / sessions as engagement_rate
    from sessions
    group by landing_page_path
)
select * from final order by sessions desc, landing_page_path limit 20
