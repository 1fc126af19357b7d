{#- The column of a source's raw tables that says when a row was loaded: `_airbyte_extracted_at`
    (Airbyte), or `_loaded_at` for the GA4 export in its Parquet layout (var
    ga4_export_layout), which the loader fills. Freshness, the load log and the curated
    models' `_loaded_at` read it. -#}
{% macro raw_loaded_at_field(source_name) -%}
    {%- if source_name == 'ga4_export' and var('ga4_export_layout') == 'parquet' -%}
        {{ return('_loaded_at') }}
    {%- endif -%}
    {{ return('_airbyte_extracted_at') }}
{%- endmacro %}
