{#- Today's date in the reporting time zone, the end of every "last N days" window. One macro,
    so a dbt unit test can pin it (`overrides: macros: {reporting_today: ...}`). -#}
{% macro reporting_today() -%}
    toDate(now(), {{ reporting_timezone() }})
{%- endmacro %}
