{#- Validates the range arguments shared by backfill and backfill_all, before anything runs.
    Dates are YYYY-MM-DD (real calendar dates), `end` is exclusive, the chunk size is one of
    day/week/month, dry_run is a boolean and the optional cutoff a UTC timestamp
    'YYYY-MM-DD HH:MM:SS[.fff]', show_sql a boolean. Nothing unchecked reaches SQL. Without a cutoff, the
    database's current time is taken once here, so every chunk and model of the run shares it.
    Returns a dict: start, end (datetime.date), chunk, dry_run, show_sql, cutoff (text), chunks. -#}
{% macro backfill_parse_arguments(start, end, chunk, dry_run, cutoff, show_sql=false) -%}
    {%- set re = modules.re -%}
    {%- set dates = {} -%}
    {%- for name, value in [['start', start], ['end', end]] -%}
        {%- if value is none -%}
            {{ exceptions.raise_compiler_error("backfill: argument '" ~ name ~ "' is required (a date, YYYY-MM-DD)") }}
        {%- endif -%}
        {%- set text = value | string -%}
        {%- if not re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
            {{ exceptions.raise_compiler_error("backfill: argument '" ~ name ~ "' must be a date YYYY-MM-DD, got: " ~ text) }}
        {%- endif -%}
        {%- set year, month, day = text.split('-') | map('int') -%}
        {%- if not backfill_is_calendar_date(year, month, day) -%}
            {{ exceptions.raise_compiler_error("backfill: argument '" ~ name ~ "' is not a valid calendar date (1900-2299): " ~ text) }}
        {%- endif -%}
        {%- do dates.update({name: modules.datetime.date(year, month, day)}) -%}
    {%- endfor -%}
    {%- if dates['end'] <= dates['start'] -%}
        {{ exceptions.raise_compiler_error(
            "backfill: 'end' (" ~ dates['end'] ~ ", exclusive) must be after 'start' (" ~ dates['start'] ~ ")"
        ) }}
    {%- endif -%}
    {%- if chunk not in ['day', 'week', 'month'] -%}
        {{ exceptions.raise_compiler_error("backfill: argument 'chunk' must be one of day, week, month; got: " ~ chunk) }}
    {%- endif -%}
    {%- for name, value in [['dry_run', dry_run], ['show_sql', show_sql]] -%}
        {%- if value is not sameas true and value is not sameas false -%}
            {{ exceptions.raise_compiler_error("backfill: argument '" ~ name ~ "' must be true or false, got: " ~ value) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if cutoff is none -%}
        {%- set cutoff_text = run_query("select toString(now64(3, 'UTC'))").columns[0].values()[0] | string -%}
    {%- else -%}
        {%- set cutoff_text = cutoff | string -%}
        {%- set parts = re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})([.][0-9]{1,3})?', cutoff_text) -%}
        {%- if not parts
            or not backfill_is_calendar_date(parts.group(1) | int, parts.group(2) | int, parts.group(3) | int)
            or parts.group(4) | int > 23 or parts.group(5) | int > 59 or parts.group(6) | int > 59 -%}
            {{ exceptions.raise_compiler_error("backfill: argument 'cutoff' must be a UTC timestamp 'YYYY-MM-DD HH:MM:SS[.fff]', got: " ~ cutoff_text) }}
        {%- endif -%}
    {%- endif -%}
    {{ return({
        'start': dates['start'],
        'end': dates['end'],
        'chunk': chunk,
        'dry_run': dry_run,
        'show_sql': show_sql,
        'cutoff': cutoff_text,
        'chunks': backfill_chunks(dates['start'], dates['end'], chunk),
    }) }}
{%- endmacro %}
