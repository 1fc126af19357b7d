{#- One row per Klaviyo event. Events are immutable and keep their `datetime`, so the month
    partition never moves a key between partitions (ReplacingMergeTree dedups only within one)
    and re-deliveries collapse. Metric names are not joined here: metrics may land after their
    events, so names are resolved at read time (klaviyo__events_named). -#}
{{
    config(
        engine='ReplacingMergeTree(occurred_at)',
        order_by='(source_relation, id)',
        partition_by='toYYYYMM(occurred_at)',
    )
}}

{% call(raw) for_each_raw_database('klaviyo', 'events') %}
with

source as (
    {# rows without an id have no key: they are listed in klaviyo__unkeyed_rows instead #}
    select *
    from {{ raw }}
    where id != ''
),

fields as (
    select
        id,
        datetime,
        _airbyte_extracted_at,
        attributes,
        relationships,
        coalesce(attributes, '') as attributes_json,
        coalesce(relationships, '') as relationships_json,
        JSONExtractRaw(attributes_json, 'event_properties') as properties_json
    from source
),

final as (
    select
        '{{ raw.schema }}' as source_relation,
        id,
        nullIf(JSONExtractString(relationships_json, 'metric', 'data', 'id'), '') as metric_id,
        nullIf(JSONExtractString(relationships_json, 'profile', 'data', 'id'), '') as profile_id,
        toTimeZone(datetime, 'UTC') as occurred_at,
        nullIf(JSONExtractString(attributes_json, 'uuid'), '') as event_uuid,
        {{ json_decimal('properties_json', ['$value']) }} as value,
        nullIf(JSONExtract(properties_json, '$currency_code', 'Nullable(String)'), '') as currency_code,
        nullIf(JSONExtract(properties_json, '$attributed_message', 'Nullable(String)'), '') as attributed_message_id,
        nullIf(JSONExtract(properties_json, '$attributed_flow', 'Nullable(String)'), '') as attributed_flow_id,
        nullIf(JSONExtract(properties_json, '$attributed_channel', 'Nullable(String)'), '') as attributed_channel,
        arrayFilter(
            attribution_id -> attribution_id != '',
            arrayMap(
                attribution -> JSONExtractString(attribution, 'id'),
                JSONExtractArrayRaw(relationships_json, 'attributions', 'data')
            )
        ) as attribution_ids,
        nullIf(JSONExtract(properties_json, '$message', 'Nullable(String)'), '') as message_id,
        nullIf(JSONExtract(properties_json, '$flow', 'Nullable(String)'), '') as flow_id,
        nullIf(JSONExtract(properties_json, '$event_id', 'Nullable(String)'), '') as source_event_id,
        nullIf(
            coalesce(
                JSONExtract(properties_json, 'OrderId', 'Nullable(String)'),
                JSONExtract(properties_json, 'order_id', 'Nullable(String)'),
                JSONExtract(properties_json, '$extra', 'order_id', 'Nullable(String)')
            ),
            ''
        ) as order_id,
        nullIf(properties_json, '') as event_properties,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        {{ dq_issues([
            ['missing_attributes', json_is_absent('attributes')],
            ['malformed_attributes_json', json_is_malformed('attributes', 'Object')],
            ['malformed_relationships_json', json_is_malformed('relationships', 'Object')],
            ['missing_metric_id', 'metric_id is null'],
            ['missing_profile_id', 'profile_id is null'],
            [
                'unparsable_attributes_datetime',
                "JSONExtractString(attributes_json, 'datetime') != ''
                and " ~ parse_timestamp("JSONExtractString(attributes_json, 'datetime')") ~ " is null",
            ],
            ['unparsable_value', "JSONType(properties_json, '$value') != 'Null' and value is null"],
        ]) }} as _dq_issues
    from fields
)

select * from final
{% endcall %}
