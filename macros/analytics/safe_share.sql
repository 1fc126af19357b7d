{#- A rate as a share: part / base, NULL when the base is 0 (no sessions, no impressions: no
    rate, rather than 0 or a division error). The part must count a subset of what the base
    counts, so the share stays within 0-1. -#}
{% macro safe_share(part, base) -%}
    if(({{ base }}) = 0, null, ({{ part }}) / ({{ base }}))
{%- endmacro %}
