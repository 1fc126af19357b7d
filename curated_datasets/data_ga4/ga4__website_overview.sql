{#- One row per GA4 property and day: users, sessions, page views and engagement.
    The newest read of a key wins (version _loaded_at), so a day GA4 restates replaces its
    earlier figures. The raw 'YYYYMMDD' text stays in the key, so a row with a garbage date
    is kept (date null, flagged) instead of colliding with others. -#}
{{
    config(
        engine='ReplacingMergeTree(_loaded_at)',
        order_by='(source_relation, property_id, date_text)',
    )
}}

{% call ga4_report('website_overview') %}
{{ ga4_report_metrics() }}
{% endcall %}
