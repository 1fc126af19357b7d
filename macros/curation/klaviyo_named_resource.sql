{#- The curated model of a Klaviyo resource stream keyed by `id` with a name in `attributes`
    (flows, lists, metrics): one row per id, with its name, creation and update times, the
    load time and the data-quality flags every such stream shares. The call block supplies the
    stream's own columns, SQL over `attributes_json` (the raw `attributes`, '' when NULL),
    each followed by a comma; they come after `name`.

        {% call klaviyo_named_resource('lists') %}
            nullIf(JSONExtractString(attributes_json, 'opt_in_process'), '') as opt_in_process,
        {% endcall %}
-#}
{% macro klaviyo_named_resource(table_name) -%}
{%- set resource_columns = caller() -%}
{% call(raw) for_each_raw_database('klaviyo', table_name) %}
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
        {{ resource_columns | trim }}
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
{%- endmacro %}
