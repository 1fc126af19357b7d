{#- What was delivered, per raw table and minute of loading: rows and the newest load time
    (`_airbyte_extracted_at`, or `_loaded_at` for the GA4 export's Parquet layout), counted as the rows arrive (one materialized view per raw table
    and database), so data_freshness answers in milliseconds instead of scanning every raw
    table. Every delivery counts, re-deliveries and superseded versions included (what
    Airbyte's sync reports count): raw collapses those later, so this log cannot be recomputed
    from raw and is not backfilled (config backfill: false). At creation it is filled from what
    raw holds then. Read with max(last_loaded_at) and sum(rows_loaded) grouped by the key. -#}
{{
    config(
        engine='AggregatingMergeTree()',
        order_by='(source_name, source_database, source_table, loaded_minute)',
        partition_by='toYYYYMM(loaded_minute)',
        backfill=false,
    )
}}

{#- The raw tables, read through source() so the lineage shows each one. dbt resolves source()
    when it parses a model, before it knows the sources, so the tables are listed here; at run
    time the list is checked against the sources and a difference stops the build. -#}
{%- set logged_tables = {
    'shopify': [
        'abandoned_checkouts', 'customers', 'discount_codes', 'fulfillments', 'inventory_items',
        'inventory_levels', 'order_refunds', 'orders', 'product_variants', 'products',
        'transactions',
    ],
    'klaviyo': ['campaigns', 'campaigns_detailed', 'events', 'flows', 'lists', 'metrics', 'profiles'],
    'ga4': [
        'daily_active_users', 'devices', 'ecommerce_purchases_item_name_report', 'events_report',
        'four_weekly_active_users', 'locations', 'pages', 'traffic_sources', 'website_overview',
        'weekly_active_users',
    ],
    'ga4_export': ['events'],
} -%}
{%- if execute -%}
    {%- set declared = {} -%}
    {%- for node in graph.sources.values() -%}
        {%- do declared.setdefault(node.source_name, []).append(node.name) -%}
    {%- endfor -%}
    {%- for source_name in (declared.keys() | list) + (logged_tables.keys() | list) -%}
        {%- if (declared.get(source_name, []) | sort) != (logged_tables.get(source_name, []) | sort) -%}
            {{ exceptions.raise_compiler_error(
                "int_raw__table_loads lists the raw " ~ source_name ~ " tables "
                ~ (logged_tables.get(source_name, []) | sort) ~ " but the dbt sources declare "
                ~ (declared.get(source_name, []) | sort) ~ ": make its list match the sources"
            ) }}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}

{%- set raw_tables = [] -%}
{%- for source_name, tables in logged_tables.items() -%}
    {%- for table in tables -%}
        {#- source() for lineage and freshness; it points at the first raw database -#}
        {%- set first = source(source_name, table) -%}
        {%- for database in raw_databases(source_name) -%}
            {%- set relation = first if loop.first
                else api.Relation.create(schema=database, identifier=first.identifier) -%}
            {%- do raw_tables.append((source_name, database, table, relation, raw_loaded_at_field(source_name))) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endfor -%}

{%- for source_name, database, table, relation, loaded_at in raw_tables %}
    {% if not loop.first %}union all{% endif %}
    --{{ database }}__{{ table }}:begin
    select
        '{{ source_name }}' as source_name,
        '{{ database }}' as source_database,
        '{{ table }}' as source_table,
        toStartOfMinute(toTimeZone({{ loaded_at }}, 'UTC')) as loaded_minute,
        cast(
            max(toTimeZone({{ loaded_at }}, 'UTC'))
            as SimpleAggregateFunction(max, DateTime64(3, 'UTC'))  -- noqa: LT01
        ) as last_loaded_at,
        cast(count() as SimpleAggregateFunction(sum, UInt64)) as rows_loaded  -- noqa: LT01
    from {{ relation }}
    group by
        source_name,
        source_database,
        source_table,
        loaded_minute
--{{ database }}__{{ table }}:end
{%- endfor %}
