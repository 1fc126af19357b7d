{#- The eight metrics GA4's standard reports share (website_overview, devices, locations,
    traffic_sources), renamed to snake_case: one definition for every report that carries them. -#}
{% macro ga4_report_metrics() -%}
        totalUsers as total_users,
        newUsers as new_users,
        sessions,
        sessionsPerUser as sessions_per_user,
        averageSessionDuration as average_session_duration_seconds,
        screenPageViews as screen_page_views,
        screenPageViewsPerSession as screen_page_views_per_session,
        bounceRate as bounce_rate,
{%- endmacro %}
