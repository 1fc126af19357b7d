{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, discount_code_id)',
    )
}}

{% call(raw) for_each_raw_database('shopify', 'discount_codes') %}
with

discount_codes as (
    select * from {{ raw }}
),

final as (
    select
        id as discount_code_id,
        price_rule_id,
        code,
        title,
        status,
        discount_type,
        usage_count,
        toTimeZone(starts_at, 'UTC') as starts_at,
        toTimeZone(ends_at, 'UTC') as ends_at,
        toTimeZone(created_at, 'UTC') as created_at,
        toTimeZone(updated_at, 'UTC') as updated_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        '{{ raw.schema }}' as source_relation,
        {{ dq_issues([
            ['missing_discount_code_id', 'id = 0'],
            ['missing_code', "coalesce(code, '') = ''"],
        ]) }} as _dq_issues
    from discount_codes
)

select * from final
{% endcall %}
