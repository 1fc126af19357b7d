{#- The curated model of one of GA4's active-users reports (daily, weekly, four-weekly): one
    row per property and raw 'YYYYMMDD' date text, the date parsed (NULL and flagged
    `unparsable_date` when it is not a date) and the report's active-users column renamed
    `active_users`. The model states its engine and key.

        {{ ga4_active_users_report('weekly_active_users', 'active7DayUsers') }}
-#}
{% macro ga4_active_users_report(table_name, active_users_column) -%}
{% call(raw) for_each_raw_database('ga4', table_name) %}
with

source as (
    select
        *,
        date as date_text
    from {{ raw }}
),

final as (
    select
        '{{ raw.schema }}' as source_relation,
        property_id,
        {{ parse_yyyymmdd('date_text') }} as date,
        date_text,
        {{ active_users_column }} as active_users,
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        {{ dq_issues([
            ['unparsable_date', 'date is null'],
        ]) }} as _dq_issues
    from source
)

select * from final
{% endcall %}
{%- endmacro %}
