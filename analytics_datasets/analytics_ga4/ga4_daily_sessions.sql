{#- GA4 sessions of the BigQuery export per property, day (the session's start day),
    default channel group and device category: sessions, engaged sessions, engagement rate,
    users, new users, page views, key events, purchases and revenue. Users are distinct
    clients of the row and never add up across rows (a client with sessions on two days or
    devices is in both). A refreshable materialized view over ga4_sessions, refreshed after
    it. -#}
{{
    config(
        materialized='materialized_view',
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, property_id, session_date, default_channel_group, device_category)',
    )
}}

with

sessions as (
    {{ ga4_dated_sessions(ref('ga4_sessions')) }}
),

final as (
    select
        source_relation,
        property_id,
        session_date,
        default_channel_group,
        device_category,
        count() as sessions,
        countIf(is_engaged) as engaged_sessions,
        engaged_sessions / sessions as engagement_rate,
        uniqExact(client_key) as users,  -- noqa: RF04
        countIf(is_new_user) as new_users,
        sum(page_views) as page_views,
        sum(key_events) as key_events,
        sum(purchases) as purchases,
        toDecimal128(sum(purchase_revenue), 9) as purchase_revenue
    from sessions
    group by source_relation, property_id, session_date, default_channel_group, device_category
)

select * from final
