{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, customer_id)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'customers') %}
with

customers as (
    select * from {{ raw }}
),

final as (
    select
        id as customer_id,
        lower(trimBoth(email)) as email,
        first_name,
        last_name,
        state,
        verified_email,
        nullIf(JSONExtractString(coalesce(email_marketing_consent, ''), 'state'), '') as email_marketing_state,
        nullIf(JSONExtractString(coalesce(email_marketing_consent, ''), 'opt_in_level'), '') as email_marketing_opt_in_level,
        {{ parse_timestamp("JSONExtractString(coalesce(email_marketing_consent, ''), 'consent_updated_at')") }}
            as email_marketing_consent_updated_at,
        orders_count,
        total_spent,
        currency,
        tags,
        nullIf(JSONExtractString(coalesce(default_address, ''), 'country_code'), '') as country_code,
        nullIf(JSONExtractString(coalesce(default_address, ''), 'province_code'), '') as province_code,
        nullIf(JSONExtractString(coalesce(default_address, ''), 'city'), '') as city,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_customer_id', 'id = 0'],
            ['invalid_created_at', timestamp_is_invalid('created_at')],
            ['malformed_email_marketing_consent_json', json_is_malformed('email_marketing_consent', 'Object')],
            ['malformed_default_address_json', json_is_malformed('default_address', 'Object')],
            [
                'unparsable_email_marketing_consent_updated_at',
                "email_marketing_consent_updated_at is null"
                ~ " and JSONExtractString(coalesce(email_marketing_consent, ''), 'consent_updated_at') != ''",
            ],
        ]) }} as _dq_issues
    from customers
)

select * from final
{% endcall %}
