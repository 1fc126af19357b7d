{#- GA4's engagement figures of a report row: GA4 defines bounce rate as 1 − engagement rate,
    so engaged sessions are sessions × (1 − bounce rate). A bounce rate outside 0–1 is no share
    (bad raw input) and gives NULLs, and a count beyond Int64 gives NULL: a dashboard reading
    the view never gets an overflow error instead of its rows. -#}
{% macro ga4_engagement_measures(sessions, bounce_rate) -%}
    1 - if({{ bounce_rate }} between 0 and 1, {{ bounce_rate }}, null) as engagement_rate,
    {{ rounded_int64(sessions ~ ' * engagement_rate') }} as engaged_sessions
{%- endmacro %}
