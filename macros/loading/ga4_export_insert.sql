{#- The INSERT ... SELECT that loads one Parquet file of the GA4 export into a raw `events`
    table of the Parquet layout: the export's columns as they are, with the property, the
    export table the file came from and the load time. Re-running it is a re-delivery: the rows
    are appended again and the curated layer deduplicates them. load_ga4_export issues it for
    every file; the sample-data generator issues the same statement. -#}
{% macro ga4_export_insert(path, columns, property_id, export_type, database, loaded_at=none) -%}
    {%- set names = columns | map(attribute=0) | list -%}
    {%- set structure = columns | map('join', ' ') | join(', ') -%}
    {%- set loaded = "toDateTime64('" ~ loaded_at ~ "', 3)" if loaded_at else 'now64(3)' -%}
    {{ return(
        'insert into `' ~ database ~ '`.`events` (property_id, export_type, _loaded_at, '
        ~ names | join(', ') ~ ")\nselect '" ~ property_id ~ "', '" ~ export_type ~ "', "
        ~ loaded ~ ', ' ~ names | join(', ') ~ '\nfrom ' ~ ga4_export_reader(path, structure)
        ~ '\nsettings input_format_parquet_allow_missing_columns = 1'
    ) }}
{%- endmacro %}
