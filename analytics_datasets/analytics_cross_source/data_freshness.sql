{#- One row per raw table of every raw database: when Airbyte last loaded it and whether that
    is fresh, late or stale by the same thresholds dbt's source freshness uses. A plain view,
    so it is exact whenever it is read (a freshness monitor must never be stale itself), over
    int_raw__table_loads, which counts deliveries as they arrive, and the raw tables' active parts:
    it reads no raw row. -#}
{{ config(materialized='view') }}

{%- set sources = source_names() -%}
{%- set databases = {} -%}
{%- for source_name in sources -%}
    {%- do databases.update({source_name: raw_databases(source_name)}) -%}
{%- endfor -%}
{%- set all_databases = databases.values() | sum(start=[]) -%}
{%- set warn_hours = {} -%}
{%- set error_hours = {} -%}
{%- for source_name in sources -%}
    {%- do warn_hours.update({source_name: number_var('freshness_warn_hours', 0, key=source_name) | trim}) -%}
    {%- do error_hours.update({source_name: number_var('freshness_error_hours', 0, key=source_name) | trim}) -%}
{%- endfor %}

with

raw_tables as (
    select
        database as source_database,
        name as source_table,
        multiIf(
            {%- for source_name in sources %}
                database in ('{{ databases[source_name] | join("', '") }}'),
                '{{ source_name }}',
            {%- endfor %}
            ''
        ) as source_name
    from system.tables
    where
        database in ({{ "'" ~ all_databases | join("', '") ~ "'" }})
        and engine like '%MergeTree'
        and not startsWith(name, '.')
),

{# the load log, counted as rows arrived: no scan of raw #}
loads as (
    select
        source_database,
        source_table,
        max(last_loaded_at) as last_loaded_at,
        sumIf(rows_loaded, loaded_minute >= toStartOfMinute(now64(3, 'UTC') - toIntervalHour(24))) as rows_last_24h
    from {{ ref('int_raw__table_loads') }}
    group by
        source_database,
        source_table
),

{# count() of a table without FINAL is the rows of its active parts #}
table_rows as (
    select
        database as source_database,
        table as source_table,
        sum(`rows`) as total_rows
    from system.parts
    where
        active
        and database in ({{ "'" ~ all_databases | join("', '") ~ "'" }})
    group by
        source_database,
        source_table
),

thresholds as (
    select
        raw_tables.source_name as source_name,
        raw_tables.source_database as source_database,
        raw_tables.source_table as source_table,
        multiIf(
            {%- for source_name in sources %}
                raw_tables.source_name = '{{ source_name }}', {{ warn_hours[source_name] }},
            {%- endfor %}
            0
        ) as warn_after_hours,
        multiIf(
            {%- for source_name in sources %}
                raw_tables.source_name = '{{ source_name }}', {{ error_hours[source_name] }},
            {%- endfor %}
            0
        ) as error_after_hours
    from raw_tables
),

final as (
    select
        thresholds.source_name as source_name,
        thresholds.source_database as source_database,
        thresholds.source_table as source_table,
        {# a table never loaded has no load time #}
        thresholds.warn_after_hours as warn_after_hours,
        thresholds.error_after_hours as error_after_hours,
        if(coalesce(table_rows.total_rows, 0) > 0, loads.last_loaded_at, null) as last_loaded_at,
        now64(3, 'UTC') as checked_at,
        round(dateDiff('millisecond', last_loaded_at, checked_at) / 60000, 1) as lag_minutes,
        coalesce(loads.rows_last_24h, 0) as rows_last_24h,
        coalesce(table_rows.total_rows, 0) as total_rows,
        {# dbt's rule: error (stale) past error_after, warn (late) past warn_after #}
        multiIf(
            last_loaded_at is null, 'stale',
            lag_minutes > error_after_hours * 60, 'stale',
            lag_minutes > warn_after_hours * 60, 'late',
            'fresh'
        ) as status
    from thresholds
    left join loads
        on
            thresholds.source_database = loads.source_database
            and thresholds.source_table = loads.source_table
    left join table_rows
        on
            thresholds.source_database = table_rows.source_database
            and thresholds.source_table = table_rows.source_table
    settings join_use_nulls = 1
)

select * from final
