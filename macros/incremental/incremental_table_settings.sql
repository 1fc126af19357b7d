{#- The table settings of an incremental state and its change log (config `settings`): granules
    of 256 rows instead of 8,192, so a refresh that reads a few keys, the watermark row or the
    log's newest rows through the primary key reads about that many rows per part. -#}
{% macro incremental_table_settings() -%}
    {{ return({'index_granularity': 256}) }}
{%- endmacro %}
