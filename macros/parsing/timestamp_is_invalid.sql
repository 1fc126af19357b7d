{#- True when a raw timestamp is missing or implausible (before 2000, e.g. a zero date an
    upstream parser produced): such rows are kept and flagged in _dq_issues. -#}
{% macro timestamp_is_invalid(column) -%}
    ({{ column }} is null or toYear({{ column }}) < 2000)
{%- endmacro %}
