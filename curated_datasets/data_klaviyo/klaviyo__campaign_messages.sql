{#- One row per campaign x message of campaigns_detailed, from either shape the connector
    delivers: the array `campaign_messages` or the single object `campaign_message` (connector
    2.x). Both the older (`attributes.content`) and newer (`attributes.definition.content`)
    message shapes of the Klaviyo API are read. -#}
{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, campaign_id, message_id)',
    )
}}

{% call(raw) for_each_raw_database('klaviyo', 'campaigns_detailed') %}
with

source as (
    {# rows without an id have no key: they are listed in klaviyo__unkeyed_rows instead #}
    select *
    from {{ raw }}
    where id != ''
),

messages as (
    select
        id as campaign_id,
        updated_at,
        _airbyte_extracted_at,
        message_json,
        JSONExtractRaw(message_json, 'attributes') as attributes_json,
        if(
            JSONHas(attributes_json, 'definition'),
            JSONExtractRaw(attributes_json, 'definition'),
            attributes_json
        ) as definition_json
    from source
    array join arrayConcat(
        JSONExtractArrayRaw(coalesce(campaign_messages, '')),
        if(JSONType(coalesce(campaign_message, '')) = 'Object', [assumeNotNull(campaign_message)], [])
    ) as message_json
    {# messages without an id have no key: they are listed in klaviyo__unkeyed_rows instead #}
    where JSONExtractString(message_json, 'id') != ''
),

final as (
    select
        '{{ raw.schema }}' as source_relation,
        campaign_id,
        JSONExtractString(message_json, 'id') as message_id,
        nullIf(JSONExtractString(definition_json, 'label'), '') as label,
        nullIf(JSONExtractString(definition_json, 'channel'), '') as channel,
        nullIf(JSONExtractString(definition_json, 'content', 'subject'), '') as subject,
        nullIf(JSONExtractString(definition_json, 'content', 'preview_text'), '') as preview_text,
        nullIf(JSONExtractString(definition_json, 'content', 'from_email'), '') as from_email,
        nullIf(JSONExtractString(definition_json, 'content', 'from_label'), '') as from_label,
        nullIf(JSONExtractString(definition_json, 'content', 'body'), '') as sms_body,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        {{ dq_issues([
            ['missing_attributes', "attributes_json = ''"],
            ['missing_channel', 'channel is null'],
        ]) }} as _dq_issues
    from messages
)

select * from final
{% endcall %}
