{#- One row per GA4 property, day, session source and session medium. The default channel
    group is resolved at read time in ga4__traffic_source_channels.
    The newest read of a key wins (version _loaded_at), so a day GA4 restates replaces its
    earlier figures. The raw 'YYYYMMDD' text stays in the key, so a row with a garbage date
    is kept (date null, flagged) instead of colliding with others. -#}
{{
    config(
        engine='ReplacingMergeTree(_loaded_at)',
        order_by='(source_relation, property_id, date_text, session_source, session_medium)',
    )
}}

{% call ga4_report('traffic_sources') %}
        sessionSource as session_source,
        sessionMedium as session_medium,
        {{ ga4_report_metrics() }}
{% endcall %}
