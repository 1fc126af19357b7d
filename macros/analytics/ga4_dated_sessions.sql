{#- The GA4 export's sessions as the daily models group them: those with a day (an event whose
    date does not parse has none), the day not nullable, an unknown device '(not set)'. Renders
    a SELECT over a relation of ga4_sessions rows. -#}
{% macro ga4_dated_sessions(sessions) -%}
    select
        * except (session_date, device_category),
        assumeNotNull(session_date) as session_date,
        coalesce(device_category, '(not set)') as device_category
    from {{ sessions }}
    where session_date is not null
{%- endmacro %}
