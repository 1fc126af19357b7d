{#- One row per GA4 property, day, device category, operating system and browser.
    The newest read of a key wins (version _loaded_at), so a day GA4 restates replaces its
    earlier figures. The raw 'YYYYMMDD' text stays in the key, so a row with a garbage date
    is kept (date null, flagged) instead of colliding with others. -#}
{{
    config(
        engine='ReplacingMergeTree(_loaded_at)',
        order_by='(source_relation, property_id, date_text, device_category, operating_system, browser)',
    )
}}

{% call ga4_report('devices') %}
        deviceCategory as device_category,
        operatingSystem as operating_system,
        browser,
        {{ ga4_report_metrics() }}
{% endcall %}
