{#- The config of a change log (`config(**incremental_log_config())`): an insert-triggered
    MergeTree ordered by insert time `_changed_at`, so a state reads its newest rows through the
    primary key; rows kept `analytics_incremental_log_days` days (TTL); nothing read from
    before its creation (catchup) and nothing backfilled (backfill: false: a backfill's
    partition swap inserts nothing, so `make backfill` ends with a full recompute). -#}
{% macro incremental_log_config() -%}
    {{ return({
        'materialized': 'materialized_view',
        'engine': 'MergeTree()',
        'order_by': '_changed_at',
        'ttl': 'toDateTime(_changed_at) + toIntervalDay(' ~ var('analytics_incremental_log_days') ~ ')',
        'settings': incremental_table_settings(),
        'catchup': false,
        'backfill': false,
    }) }}
{%- endmacro %}
