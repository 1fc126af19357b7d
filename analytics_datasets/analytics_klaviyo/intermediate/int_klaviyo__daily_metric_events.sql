{#- Distinct events and profiles per day (reporting time zone) and metric, aggregated in real
    time on every raw insert into an AggregatingMergeTree. It reads the raw events directly
    (one materialized view per raw database, like the curated layer) and keeps uniqExact states
    of the event id, never counts or sums: a re-delivered event carries the same id and an
    unchanged datetime (Klaviyo events are immutable), so it lands on the same day and metric
    and adds nothing to the state. Counting rows instead would count every re-delivery.
    Read with uniqExactMerge(...) grouped by the key columns. -#}
{{
    config(
        engine='AggregatingMergeTree()',
        order_by='(source_relation, event_date, metric_id)',
        partition_by='toYYYYMM(event_date)',
        backfill_time_column='event_date',
    )
}}

{% call(raw) for_each_raw_database('klaviyo', 'events') %}
with

events as (
    {# rows without an id have no key (klaviyo__unkeyed_rows lists them) #}
    select *
    from {{ raw }}
    where id != ''
),

final as (
    select
        '{{ raw.schema }}' as source_relation,
        toDate(datetime, {{ reporting_timezone() }}) as event_date,
        JSONExtractString(coalesce(relationships, ''), 'metric', 'data', 'id') as metric_id,
        uniqExactState(id) as events_state,
        uniqExactState(nullIf(JSONExtractString(coalesce(relationships, ''), 'profile', 'data', 'id'), '')) as profiles_state
    from events
    group by
        source_relation,
        event_date,
        metric_id
)

select * from final
{% endcall %}
