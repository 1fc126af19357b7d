{#- Raw Klaviyo rows (and campaign messages) that no curated table can hold because they
    carry no usable key. With the curated tables they account for every raw row: the distinct
    keys of a raw table are the curated rows, and the rest are listed here. -#}
{{
    config(
        materialized='view',
    )
}}

{%- set streams = ['events', 'campaigns', 'campaigns_detailed', 'flows', 'profiles', 'metrics', 'lists'] %}

with

{% for stream in streams %}
{{ stream }}_unkeyed as (
    {% call(raw) for_each_raw_database('klaviyo', stream) %}
    select
        '{{ raw.schema }}' as source_relation,
        '{{ stream }}' as stream,
        _airbyte_raw_id,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        'missing_id' as reason
    from {{ raw }}
    where id = ''
    {% endcall %}
),
{% endfor %}

campaign_messages_unkeyed as (
    {% call(raw) for_each_raw_database('klaviyo', 'campaigns_detailed') %}
    select
        '{{ raw.schema }}' as source_relation,
        'campaigns_detailed.campaign_messages' as stream,
        _airbyte_raw_id,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        if(
            JSONType(message_json) = 'Object',
            'missing_campaign_message_id',
            'malformed_campaign_message'
        ) as reason
    from {{ raw }}
    array join JSONExtractArrayRaw(coalesce(campaign_messages, '')) as message_json
    where id != '' and JSONExtractString(message_json, 'id') = ''
    union all
    select
        '{{ raw.schema }}' as source_relation,
        'campaigns_detailed.campaign_messages' as stream,
        _airbyte_raw_id,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        'malformed_campaign_messages_json' as reason
    from {{ raw }}
    where id != '' and {{ json_is_malformed('campaign_messages', 'Array') }}
    union all
    {# the single-object shape (connector 2.x): present but not an object with an id #}
    select
        '{{ raw.schema }}' as source_relation,
        'campaigns_detailed.campaign_message' as stream,
        _airbyte_raw_id,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        if(
            JSONType(coalesce(campaign_message, '')) = 'Object',
            'missing_campaign_message_id',
            'malformed_campaign_message'
        ) as reason
    from {{ raw }}
    where
        id != ''
        and not {{ json_is_absent('campaign_message') }}
        and JSONExtractString(coalesce(campaign_message, ''), 'id') = ''
    {% endcall %}
),

final as (
    {% for stream in streams %}
    select * from {{ stream }}_unkeyed
    union all
    {% endfor %}
    select * from campaign_messages_unkeyed
)

select * from final
