{#- One row per GA4 property, day and event name: event counts and revenue.
    The newest read of a key wins (version _loaded_at), so a day GA4 restates replaces its
    earlier figures. The raw 'YYYYMMDD' text stays in the key, so a row with a garbage date
    is kept (date null, flagged) instead of colliding with others. -#}
{{
    config(
        engine='ReplacingMergeTree(_loaded_at)',
        order_by='(source_relation, property_id, date_text, event_name)',
    )
}}

{% call ga4_report('events_report') %}
        eventName as event_name,
        eventCount as event_count,
        totalUsers as total_users,
        eventCountPerUser as event_count_per_user,
        totalRevenue as total_revenue,
{% endcall %}
