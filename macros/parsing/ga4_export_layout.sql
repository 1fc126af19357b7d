{#- The layout of the GA4 BigQuery export's raw tables, from the var `ga4_export_layout`:
    'parquet' (the export's Parquet files loaded as they are: records as named Tuples, repeated
    fields as Arrays) or 'airbyte' (Airbyte's BigQuery source: records and arrays as JSON text).
    Anything else stops the run before it reaches SQL. -#}
{% macro ga4_export_layout() -%}
    {%- set layout = var('ga4_export_layout') -%}
    {%- if layout not in ['parquet', 'airbyte'] -%}
        {{ exceptions.raise_compiler_error("var ga4_export_layout must be 'parquet' or 'airbyte', got: " ~ layout) }}
    {%- endif -%}
    {{ return(layout) }}
{%- endmacro %}
