{#- What Airbyte delivered, per raw table and minute of loading: rows and the newest
    `_airbyte_extracted_at`, counted as the rows arrive (one materialized view per raw table
    and database), so data_freshness answers in milliseconds instead of scanning every raw
    table. Every delivery counts, re-deliveries and superseded versions included (what
    Airbyte's sync reports count): raw collapses those later, so this log cannot be recomputed
    from raw and is not backfilled (config backfill: false). At creation it is filled from what
    raw holds then. Read with max(last_loaded_at) and sum(rows_loaded) grouped by the key. -#}
{{
    config(
        materialized='materialized_view',
        engine='AggregatingMergeTree()',
        order_by='(source_name, source_database, source_table, loaded_minute)',
        partition_by='toYYYYMM(loaded_minute)',
        catchup=true,
        on_schema_change='fail',
        backfill=false,
    )
}}

{%- set raw_tables = [] -%}
{%- for source_name in ['shopify', 'klaviyo', 'ga4'] if execute -%}
    {%- set sources = graph.sources.values() | selectattr('source_name', 'eq', source_name) -%}
    {%- for table in sources | map(attribute='identifier') | sort -%}
        {%- for database in raw_databases(source_name) -%}
            {%- do raw_tables.append((source_name, database, table)) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endfor -%}

{%- for source_name, database, table in raw_tables %}
    {% if not loop.first %}union all{% endif %}
    --{{ database }}__{{ table }}:begin
    select
        '{{ source_name }}' as source_name,
        '{{ database }}' as source_database,
        '{{ table }}' as source_table,
        toStartOfMinute(toTimeZone(_airbyte_extracted_at, 'UTC')) as loaded_minute,
        cast(
            max(toTimeZone(_airbyte_extracted_at, 'UTC'))
            as SimpleAggregateFunction(max, DateTime64(3, 'UTC'))  -- noqa: LT01
        ) as last_loaded_at,
        cast(count() as SimpleAggregateFunction(sum, UInt64)) as rows_loaded  -- noqa: LT01
    from {{ database }}.{{ table }}
    group by
        source_name,
        source_database,
        source_table,
        loaded_minute
--{{ database }}__{{ table }}:end
{%- endfor %}
