{#- GA4's engagement figures of a report row: GA4 defines bounce rate as 1 − engagement rate,
    so engaged sessions are sessions × (1 − bounce rate). -#}
{% macro ga4_engagement_measures(sessions, bounce_rate) -%}
    1 - {{ bounce_rate }} as engagement_rate,
    toInt64(round({{ sessions }} * (1 - {{ bounce_rate }}))) as engaged_sessions
{%- endmacro %}
