{#- One row per Klaviyo flow (automated series such as Welcome or Abandoned Cart). -#}
{{
    config(
        engine='ReplacingMergeTree(updated_at)',
        order_by='(source_relation, id)',
    )
}}

{% call(raw) for_each_raw_database('klaviyo', 'flows') %}
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
        coalesce(attributes, '') as attributes_json
    from source
),

final as (
    select
        '{{ raw.schema }}' as source_relation,
        id,
        nullIf(JSONExtractString(attributes_json, 'name'), '') as name,
        nullIf(JSONExtractString(attributes_json, 'status'), '') as status,
        JSONExtract(attributes_json, 'archived', 'Nullable(Bool)') as archived,
        nullIf(JSONExtractString(attributes_json, 'trigger_type'), '') as trigger_type,
        {{ parse_timestamp("JSONExtractString(attributes_json, 'created')") }} as created_at,
        toTimeZone(updated, 'UTC') as updated_at,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        {{ dq_issues([
            ['missing_attributes', json_is_absent('attributes')],
            ['malformed_attributes_json', json_is_malformed('attributes', 'Object')],
            ['missing_name', 'name is null'],
        ]) }} as _dq_issues
    from fields
)

select * from final
{% endcall %}
