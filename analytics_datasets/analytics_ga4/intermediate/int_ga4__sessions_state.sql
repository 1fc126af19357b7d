{#- The incremental state behind ga4_sessions: the sessions of int_ga4__session_facts_state with
    last non-direct attribution within the lookback (var ga4_session_lookback_days), as GA4 and
    dbt-ga4 attribute: a direct session inherits the source of the client's latest non-direct
    session within the lookback before it. Which session that is depends on the client's other
    sessions, so each refresh recomputes every session of the clients whose sessions the facts
    state recomputed since the last one (int_ga4__session_facts_changes); both states are
    ordered by client, so a client's sessions sit together. -#}
{{
    config(
        order_by='(source_relation, property_id, client_key, session_key)',
        incremental_columns='source_relation String, property_id String, client_key String, session_key String',
        **incremental_state_config(),
    )
}}

{#- the lookback of last non-direct attribution, in seconds before a session's start -#}
{%- set lookback_seconds = (number_var('ga4_session_lookback_days', 1, 3650) | int) * 86400 %}

with

changes as (
    select * from {{ ref('int_ga4__session_facts_changes') }}
    {# written only by the facts state's refresh, which runs before this one, never beside it #}
    where {{ incremental_new('_changed_at', overlap_seconds=0) }}
),

changed_clients as (
    select distinct
        source_relation,
        property_id,
        client_key
    from changes
),

session_facts as (
    select * from {{ current(ref('int_ga4__session_facts_state')) }}
    where {{ incremental_affected(['source_relation', 'property_id', 'client_key'], 'changed_clients') }}
),

sourced as (
    select
        *,
        session_source = '(direct)' as is_direct,
        toInt64(toUnixTimestamp(coalesce(session_start_at, toDateTime64(0, 6, 'UTC')))) as started_second
    from session_facts
),

{# last non-direct: the client's latest session within the lookback (this one included)
   whose source is not direct; a direct session inherits it #}
attributed as (
    select
        *,
        argMaxIf(tuple(session_source, session_medium, default_channel_group), started_second, not is_direct) over (
            partition by source_relation, property_id, client_key
            order by started_second
            range between {{ lookback_seconds }} preceding and current row
        ) as last_non_direct,
        countIf(not is_direct) over (
            partition by source_relation, property_id, client_key
            order by started_second
            range between {{ lookback_seconds }} preceding and current row
        ) as non_direct_in_lookback
    from sourced
),

recomputed as (
    select
        source_relation,
        property_id,
        client_key,
        session_key,
        user_id,
        session_start_at,
        session_end_at,
        session_date,
        landing_page_path,
        exit_page_path,
        page_views,
        events,  -- noqa: RF04
        engagement_time_seconds,
        is_engaged,
        ga_session_number,
        is_new_user,
        session_source,
        session_medium,
        session_campaign,
        default_channel_group,
        device_category,
        country,
        key_events,
        purchases,
        purchase_revenue,
        if(non_direct_in_lookback > 0, last_non_direct.1, '(direct)') as last_non_direct_source,
        if(non_direct_in_lookback > 0, last_non_direct.2, '(none)') as last_non_direct_medium,
        if(non_direct_in_lookback > 0, last_non_direct.3, 'Direct') as last_non_direct_channel_group
    from attributed
),

final as (
    {{ incremental_rows(
        'recomputed', 'changed_clients', 'changes',
        affected_keys=['source_relation', 'property_id', 'client_key'],
    ) }}
)

select * from final
