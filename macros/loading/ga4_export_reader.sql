{#- The table function that reads GA4 export Parquet files at `path` with the columns
    `structure`: s3() for s3:// and https:// URLs, gcs() for gs:// URLs (keys from the
    environment when set, else the server's own credentials), file() for anything else (on
    the embedded engine a path relative to the working directory, on a server one under its
    user_files_path). Missing columns and record fields read as NULL (older exports lack
    session_traffic_source_last_click), and fields the table does not list are skipped. -#}
{% macro ga4_export_reader(path, structure) -%}
    {%- set quoted_path = "'" ~ path | replace("\\", "\\\\") | replace("'", "\\'") ~ "'" -%}
    {%- set tail = "'Parquet', '" ~ structure | replace("'", "\\'") ~ "'" -%}
    {%- if path.startswith('s3://') or path.startswith('https://') or path.startswith('gs://') -%}
        {%- set gcs = path.startswith('gs://') -%}
        {%- if path.startswith('s3://') -%}
            {%- set bucket, key = (path[5:] ~ '/').split('/', 1) -%}
            {%- set quoted_path = "'https://" ~ bucket ~ ".s3.amazonaws.com/" ~ key[:-1] | replace("'", "\\'") ~ "'" -%}
        {%- elif gcs -%}
            {%- set quoted_path = "'https://storage.googleapis.com/" ~ path[5:] | replace("'", "\\'") ~ "'" -%}
        {%- endif -%}
        {%- set key_id = env_var('GA4_EXPORT_ACCESS_KEY_ID', '') -%}
        {%- set secret = env_var('GA4_EXPORT_SECRET_ACCESS_KEY', '') -%}
        {%- set credentials = ("'" ~ key_id ~ "', '" ~ secret ~ "', ") if key_id and secret else '' -%}
        {{ return(('gcs' if gcs else 's3') ~ '(' ~ quoted_path ~ ', ' ~ credentials ~ tail ~ ')') }}
    {%- endif -%}
    {{ return('file(' ~ quoted_path ~ ', ' ~ tail ~ ')') }}
{%- endmacro %}
