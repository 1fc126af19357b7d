{#- A UTC DateTime64(3) from text that may carry any offset or be garbage: NULL instead of
    an error, so a materialized view never fails the raw insert. -#}
{% macro parse_timestamp(text_expression) -%}
    parseDateTime64BestEffortOrNull(nullIf({{ text_expression }}, ''), 3, 'UTC')
{%- endmacro %}
