{#- One row per Klaviyo campaign (a one-off send to lists and segments). Its messages are in
    klaviyo__campaign_messages. -#}
{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, id)',
    )
}}

{% call(raw) for_each_raw_database('klaviyo', 'campaigns') %}
with

source as (
    {# rows without an id have no key: they are listed in klaviyo__unkeyed_rows instead #}
    select *
    from {{ raw }}
    where id != ''
),

fields as (
    select
        *,
        coalesce(attributes, '') as attributes_json,
        JSONExtractArrayRaw(attributes_json, 'tracking_options', 'utm_params') as utm_params_json
    from source
),

final as (
    select
        '{{ raw.schema }}' as source_relation,
        id,
        nullIf(JSONExtractString(attributes_json, 'name'), '') as name,
        nullIf(JSONExtractString(attributes_json, 'status'), '') as status,
        nullIf(
            coalesce(
                nullIf(JSONExtractString(attributes_json, 'channel'), ''),
                JSONExtractString(attributes_json, 'send_channel')
            ),
            ''
        ) as channel,
        {# the campaigns stream names its (single) message here; events' `$message` is this id #}
        nullIf(JSONExtractString(attributes_json, 'message'), '') as message_id,
        JSONExtract(attributes_json, 'archived', 'Nullable(Bool)') as archived,
        JSONExtract(attributes_json, 'audiences', 'included', 'Array(String)') as included_audience_ids,
        JSONExtract(attributes_json, 'audiences', 'excluded', 'Array(String)') as excluded_audience_ids,
        nullIf(JSONExtractString(attributes_json, 'send_strategy', 'method'), '') as send_strategy,
        JSONExtract(attributes_json, 'send_options', 'use_smart_sending', 'Nullable(Bool)') as uses_smart_sending,
        coalesce(
            JSONExtract(attributes_json, 'tracking_options', 'add_tracking_params', 'Nullable(Bool)'),
            JSONExtract(attributes_json, 'tracking_options', 'is_add_utm', 'Nullable(Bool)')
        ) as adds_utm_parameters,
        mapFromArrays(
            arrayMap(param -> JSONExtractString(param, 'name'), utm_params_json),
            arrayMap(param -> JSONExtract(param, 'value', 'Nullable(String)'), utm_params_json)
        ) as utm_parameters,
        {{ parse_timestamp("JSONExtractString(attributes_json, 'send_time')") }} as send_time,
        {{ parse_timestamp("JSONExtractString(attributes_json, 'scheduled_at')") }} as scheduled_at,
        {{ parse_timestamp("JSONExtractString(attributes_json, 'created_at')") }} as created_at,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        {{ dq_issues([
            ['missing_attributes', json_is_absent('attributes')],
            ['malformed_attributes_json', json_is_malformed('attributes', 'Object')],
            ['missing_name', 'name is null'],
            ['unparsable_send_time', "JSONExtractString(attributes_json, 'send_time') != '' and send_time is null"],
        ]) }} as _dq_issues
    from fields
)

select * from final
{% endcall %}
