{#- ga4_event_param over each case's event params (JSON text in the Airbyte layout, the typed
    array in the Parquet layout), read through ga4_export_field, for their unit tests. -#}
with

cases as (
    select
        case_name,
        input_text,
        {{ ga4_export_field('event_params', 'input_text') }} as event_params
    from {{ ref('macro_test_text') }}
),

final as (
    select
        {# the lambdas' `param.key` read as qualified references to the linter #}
        case_name,  -- noqa: RF03
        {{ ga4_event_param('event_params', 'ga_session_id', 'int') }} as ga_session_id,
        {{ ga4_event_param('event_params', 'session_engaged', 'int') }} as session_engaged,
        {{ ga4_event_param('event_params', 'page_location') }} as page_location,
        {{ ga4_event_param('event_params', 'source', 'lower_string') }} as event_source,
        {{ ga4_event_param('event_params', 'engagement_time_msec', 'number') }} as engagement_time_msec,
        {{ ga4_export_is_malformed('input_text') }} as is_malformed
    from cases
)

select * from final
