{#- GA4 traffic sources with their default channel group, resolved when read from the seed
    ga4_default_channel_groups: editing the seed (and `dbt seed`) re-labels every day at once,
    which a materialized view could not do (it would freeze the rules of the day a row was
    inserted). The rules are matched once per distinct source and medium, not per row. -#}
{{
    config(
        materialized='view',
    )
}}

with

traffic_sources as (
    select * from {{ ref('ga4__traffic_sources') }} final
),

channel_groups as (
    {{ default_channel_groups('traffic_sources') }}
),

final as (
    select
        traffic_sources.source_relation,
        traffic_sources.property_id,
        traffic_sources.date,
        traffic_sources.date_text,
        traffic_sources.session_source,
        traffic_sources.session_medium,
        channel_groups.default_channel_group,
        traffic_sources.total_users,
        traffic_sources.new_users,
        traffic_sources.sessions,
        traffic_sources.sessions_per_user,
        traffic_sources.average_session_duration_seconds,
        traffic_sources.screen_page_views,
        traffic_sources.screen_page_views_per_session,
        traffic_sources.bounce_rate,
        traffic_sources._loaded_at,
        traffic_sources._dq_issues
    from traffic_sources
    left join channel_groups
        on
            traffic_sources.session_source = channel_groups.session_source
            and traffic_sources.session_medium = channel_groups.session_medium
)

select * from final
