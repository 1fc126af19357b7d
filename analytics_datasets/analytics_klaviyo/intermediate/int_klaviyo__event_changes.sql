{#- The change log of the Klaviyo events state: one row per curated event inserted (every
    delivery of it), with its day in the reporting time zone, and one per metric inserted
    (event_id and event_date null), with when it was inserted. Insert-triggered on the curated
    tables, so int_klaviyo__events_named_state finds the events new rows touch, and the events
    of a metric that arrived or was renamed, without reading the curated events. Not backfilled
    (config backfill: false): a backfill's partition swap inserts nothing, so `make backfill`
    ends with a full recompute of the analytics. -#}
{{ config(**incremental_log_config()) }}

--events:begin
select
    source_relation,
    toNullable(id) as event_id,
    toNullable(toDate(occurred_at, {{ reporting_timezone() }})) as event_date,
    coalesce(metric_id, '') as metric_id,
    now64(3, 'UTC') as _changed_at
from {{ ref('klaviyo__events') }}
--events:end
union all
--metrics:begin
select
    source_relation,
    cast(null as Nullable(String)) as event_id,
    cast(null as Nullable(Date)) as event_date,
    id as metric_id,
    now64(3, 'UTC') as _changed_at
from {{ ref('klaviyo__metrics') }}
--metrics:end
