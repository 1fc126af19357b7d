{#- The curated model of one GA4 Data API report (website_overview, devices, locations,
    traffic_sources, events_report, the three active-users reports): one materialized view per
    raw GA4 database selecting source_relation, property_id, the parsed `date` (NULL and flagged
    `unparsable_date` when the raw 'YYYYMMDD' text is not a date) and the raw `date_text`,
    then the report's own columns from the call block (each followed by a comma), `_loaded_at`
    and `_dq_issues`. The model states its engine and key.

        {% call ga4_report('weekly_active_users') %}
            active7DayUsers as active_users,
        {% endcall %}
-#}
{% macro ga4_report(table_name) -%}
{%- set report_columns = caller() -%}
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
        {{ report_columns }}
        toTimeZone(_airbyte_extracted_at, 'UTC') as _loaded_at,
        {{ dq_issues([
            ['unparsable_date', 'date is null'],
        ]) }} as _dq_issues
    from source
)

select * from final
{% endcall %}
{%- endmacro %}
