{#- True when a record or array column of a GA4 export row could not be read: in the Airbyte
    layout, JSON text that is not valid JSON of the expected type ('Array' or 'Object', see
    json_is_malformed; absent values are not malformed); in the Parquet layout the file's
    schema types the column, so never. For `_dq_issues` checks. -#}
{% macro ga4_export_is_malformed(column, json_type='Array') -%}
    {%- if ga4_export_layout() == 'airbyte' -%}
        {{ json_is_malformed(column, json_type) }}
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}
