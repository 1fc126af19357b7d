{#- `dbt run-operation load_ga4_export --args '{path: ..., property_id: ..., export_type: daily}'`:
    load the GA4 export's Parquet files at `path` (a file, a glob, or a folder ending in `/`;
    local, s3://, https:// or gs://) into the raw table `events` of the Parquet layout, one
    INSERT ... SELECT per file, so a failure leaves whole files loaded. Safe to re-run: a re-run
    is a re-delivery (rows appended; the curated layer deduplicates). -#}
{% macro load_ga4_export(path, property_id, export_type='daily', database=none, loaded_at=none) -%}
    {%- set export_types = ['daily', 'intraday', 'fresh'] -%}
    {%- if export_type not in export_types -%}
        {{ exceptions.raise_compiler_error(
            "load_ga4_export: export_type must be one of " ~ export_types | join(', ')
            ~ " (the export table the files came from: events_, events_intraday_ or events_fresh_), got: " ~ export_type
        ) }}
    {%- endif -%}
    {%- if property_id is not string and property_id is number -%}
        {%- set property_id = property_id | string -%}
    {%- endif -%}
    {%- if property_id is not string or not modules.re.fullmatch('[A-Za-z0-9_./-]+', property_id) -%}
        {{ exceptions.raise_compiler_error(
            "load_ga4_export: property_id must be the GA4 property id (letters, digits, _ . / -), got: " ~ property_id
        ) }}
    {%- endif -%}
    {%- if path is not string or not path.strip() -%}
        {{ exceptions.raise_compiler_error("load_ga4_export: path must name the Parquet files to load, got: " ~ path) }}
    {%- endif -%}
    {%- if var('ga4_export_layout') != 'parquet' -%}
        {{ exceptions.raise_compiler_error(
            "load_ga4_export loads the Parquet layout, but var ga4_export_layout is '"
            ~ var('ga4_export_layout') ~ "' (Airbyte loads that layout itself)"
        ) }}
    {%- endif -%}
    {%- set databases = raw_databases('ga4_export') -%}
    {%- set database = database or databases[0] -%}
    {%- if database not in databases -%}
        {{ exceptions.raise_compiler_error(
            "load_ga4_export: database " ~ database ~ " is not in var ga4_export_raw_databases " ~ databases
        ) }}
    {%- endif -%}
    {%- if loaded_at and not modules.re.fullmatch('\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?', loaded_at | string) -%}
        {{ exceptions.raise_compiler_error(
            "load_ga4_export: loaded_at must be 'YYYY-MM-DD hh:mm:ss[.fff]' (UTC), got: " ~ loaded_at
        ) }}
    {%- endif -%}
    {%- if execute -%}
        {%- set columns = run_query(
            "select name, type from system.columns where database = '" ~ database
            ~ "' and table = 'events' and name not in ('property_id', 'export_type', '_loaded_at')"
            ~ " order by position"
        ).rows | map('list') | list -%}
        {%- set has_loaded_at = run_query(
            "select count() from system.columns where database = '" ~ database
            ~ "' and table = 'events' and name = '_loaded_at'"
        ).rows[0][0] -%}
        {%- if not columns or not has_loaded_at -%}
            {{ exceptions.raise_compiler_error(
                "load_ga4_export: " ~ database ~ ".events does not exist in the Parquet layout on target "
                ~ target.name ~ ". Run `make provision` with var ga4_export_layout: parquet first."
            ) }}
        {%- endif -%}
        {#- a glob even for one file, so a missing file lists nothing instead of failing -#}
        {%- set pattern = path ~ '*.parquet' if path.endswith('/') else path -%}
        {%- if not modules.re.search('[*?{]', pattern) -%}
            {%- set folder, name = ('/' ~ pattern).rsplit('/', 1) -%}
            {%- set pattern = (folder[1:] ~ '/' if folder else '') ~ '{' ~ name ~ '}' -%}
        {%- endif -%}
        {%- set local = not modules.re.match('(s3|gs|https)://', pattern) -%}
        {%- set folder = pattern.rsplit('/', 1)[0] ~ '/' if '/' in pattern else '' -%}
        {%- if not local and modules.re.search('[*?{]', folder) -%}
            {{ exceptions.raise_compiler_error(
                "load_ga4_export: put wildcards of a bucket URL in the file name only (one INSERT per file needs each file's URL): " ~ path
            ) }}
        {%- endif -%}
        {%- set files = run_query(
            "select " ~ ("_path" if local else "_file") ~ ", count() from "
            ~ ga4_export_reader(pattern, 'event_name Nullable(String)')
            ~ " group by all order by 1"
        ).rows -%}
        {%- if not files -%}
            {{ exceptions.raise_compiler_error(
                "load_ga4_export: no Parquet file with events at '" ~ path ~ "'"
                ~ (" (a relative path is read from the directory dbt runs in on the embedded engine, from the server's user_files_path on a server)" if local else "")
            ) }}
        {%- endif -%}
        {%- set loaded = namespace(rows=0) -%}
        {%- for file, rows in files -%}
            {%- do run_query(ga4_export_insert(
                file if local else folder ~ file, columns, property_id, export_type, database, loaded_at
            )) -%}
            {%- set loaded.rows = loaded.rows + rows -%}
        {%- endfor -%}
        {{ log(
            "load_ga4_export: " ~ loaded.rows ~ " events from " ~ files | length ~ " file(s) into "
            ~ database ~ ".events (property " ~ property_id ~ ", " ~ export_type ~ ")", info=True
        ) }}
    {%- endif -%}
{%- endmacro %}
