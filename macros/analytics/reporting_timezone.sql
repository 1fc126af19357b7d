{#- The reporting time zone (var `reporting_timezone`) as a quoted SQL literal. The var reaches
    SQL text, so anything that is not an IANA zone name is refused before it gets there. -#}
{% macro reporting_timezone() -%}
    {%- set zone = var('reporting_timezone') | string -%}
    {%- if not modules.re.fullmatch('[A-Za-z][A-Za-z0-9_+/-]{0,63}', zone) -%}
        {{ exceptions.raise_compiler_error("var reporting_timezone must be a time zone name such as UTC or Europe/Berlin, got: " ~ zone) }}
    {%- endif -%}
    '{{ zone }}'
{%- endmacro %}
