{#- A Date from 'YYYYMMDD' text (GA4's `date` dimension): NULL for anything else, including
    impossible dates such as 20240230, so a materialized view never fails the raw insert. -#}
{% macro parse_yyyymmdd(text_expression) -%}
    toDate(parseDateTimeOrNull({{ text_expression }}, '%Y%m%d', 'UTC'))
{%- endmacro %}
