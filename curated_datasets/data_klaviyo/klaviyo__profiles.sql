{#- One row per Klaviyo profile (a person), with consent and Klaviyo's predictive analytics.
    List and segment ids are kept as arrays replaced with the whole profile, so memberships
    a profile leaves disappear (klaviyo__profile_memberships unnests them at read time). -#}
{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, id)',
    )
}}

{% call(raw) for_each_raw_database('klaviyo', 'profiles') %}
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
        coalesce(relationships, '') as relationships_json,
        JSONExtractRaw(attributes_json, 'location') as location_json,
        JSONExtractRaw(attributes_json, 'predictive_analytics') as predictive_json,
        JSONExtractRaw(attributes_json, 'subscriptions') as subscriptions_json
    from source
),

final as (
    select
        '{{ raw.schema }}' as source_relation,
        id,
        nullIf(lower(trim(JSONExtractString(attributes_json, 'email'))), '') as email,
        nullIf(JSONExtractString(attributes_json, 'phone_number'), '') as phone_number,
        nullIf(JSONExtract(attributes_json, 'external_id', 'Nullable(String)'), '') as external_id,
        nullIf(JSONExtractString(attributes_json, 'first_name'), '') as first_name,
        nullIf(JSONExtractString(attributes_json, 'last_name'), '') as last_name,
        nullIf(JSONExtractString(attributes_json, 'organization'), '') as organization,
        nullIf(JSONExtractString(location_json, 'city'), '') as city,
        nullIf(JSONExtractString(location_json, 'region'), '') as region,
        nullIf(JSONExtractString(location_json, 'country'), '') as country,
        nullIf(JSONExtract(location_json, 'zip', 'Nullable(String)'), '') as zip,
        nullIf(JSONExtractString(location_json, 'timezone'), '') as timezone,
        nullIf(JSONExtractString(subscriptions_json, 'email', 'marketing', 'consent'), '') as email_marketing_consent,
        JSONExtract(
            subscriptions_json, 'email', 'marketing', 'can_receive_email_marketing', 'Nullable(Bool)'
        ) as can_receive_email_marketing,
        nullIf(JSONExtractString(subscriptions_json, 'sms', 'marketing', 'consent'), '') as sms_marketing_consent,
        {{ json_decimal('predictive_json', ['historic_clv']) }} as historic_clv,
        {{ json_decimal('predictive_json', ['predicted_clv']) }} as predicted_clv,
        {{ json_decimal('predictive_json', ['total_clv']) }} as total_clv,
        {{ json_decimal('predictive_json', ['historic_number_of_orders']) }} as historic_number_of_orders,
        {{ json_decimal('predictive_json', ['predicted_number_of_orders']) }} as predicted_number_of_orders,
        {{ json_decimal('predictive_json', ['average_order_value']) }} as average_order_value,
        {{ json_decimal('predictive_json', ['average_days_between_orders']) }} as average_days_between_orders,
        JSONExtract(predictive_json, 'churn_probability', 'Nullable(Float64)') as churn_probability,
        {{ parse_timestamp("JSONExtractString(predictive_json, 'expected_date_of_next_order')") }}
            as expected_next_order_at,
        arrayFilter(
            list_id -> list_id != '',
            arrayMap(list -> JSONExtractString(list, 'id'), JSONExtractArrayRaw(relationships_json, 'lists', 'data'))
        ) as list_ids,
        arrayFilter(
            segment_id -> segment_id != '',
            arrayMap(
                segment -> JSONExtractString(segment, 'id'),
                JSONExtractArrayRaw(relationships_json, 'segments', 'data')
            )
        ) as segment_ids,
        nullIf(JSONExtractRaw(attributes_json, 'properties'), '') as custom_properties,
        {{ parse_timestamp("JSONExtractString(attributes_json, 'created')") }} as created_at,
        toTimeZone(updated, 'UTC') as updated_at,
        {{ parse_timestamp("JSONExtractString(attributes_json, 'last_event_date')") }} as last_event_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        {{ dq_issues([
            ['missing_attributes', json_is_absent('attributes')],
            ['malformed_attributes_json', json_is_malformed('attributes', 'Object')],
            ['malformed_relationships_json', json_is_malformed('relationships', 'Object')],
            ['invalid_email', "email is not null and not match(email, '^[^@ ]+@[^@ ]+[.][^@ ]+$')"],
            ['unparsable_predicted_clv', "JSONType(predictive_json, 'predicted_clv') != 'Null' and predicted_clv is null"],
            ['unparsable_historic_clv', "JSONType(predictive_json, 'historic_clv') != 'Null' and historic_clv is null"],
        ]) }} as _dq_issues
    from fields
)

select * from final
{% endcall %}
