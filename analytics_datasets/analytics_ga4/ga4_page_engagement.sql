{#- GA4 pages of the BigQuery export per property, day (the export's event_date) and page
    path: page views, distinct clients, entrances and exits (sessions that landed on or left
    from the page, counted on the session's day), engagement time, and the product handle of
    a product page. Which Shopify product that is, is cross-source work: shop_page_engagement
    (analytics_cross_source) adds it. A refreshable materialized view, refreshed after
    ga4_sessions. -#}
{{
    config(
        materialized='materialized_view',
        refreshable=analytics_refresh(),
        engine='MergeTree()',
        order_by='(source_relation, property_id, activity_date, page_path)',
    )
}}

with

events as (
    select * from {{ current(ref('ga4__events')) }}
    where event_date is not null and page_path is not null
),

sessions as (
    select * from {{ ref('ga4_sessions') }}
    where session_date is not null
),

page_events as (
    select
        source_relation,
        property_id,
        assumeNotNull(event_date) as activity_date,
        assumeNotNull(page_path) as page_path,
        countIf(event_name = 'page_view') as page_views,
        uniqExactIf(client_key, event_name = 'page_view') as clients,
        sum(coalesce(engagement_time_msec, 0)) / 1000 as engagement_time_seconds
    from events
    group by source_relation, property_id, activity_date, page_path
),

session_ends as (
    select
        source_relation,
        property_id,
        assumeNotNull(session_date) as activity_date,
        assumeNotNull(landing_page_path) as page_path,
        toUInt64(1) as entrances,
        toUInt64(0) as exits
    from sessions
    where landing_page_path is not null
    union all
    select
        source_relation,
        property_id,
        assumeNotNull(session_date) as activity_date,
        assumeNotNull(exit_page_path) as page_path,
        toUInt64(0) as entrances,
        toUInt64(1) as exits
    from sessions
    where exit_page_path is not null
),

page_sessions as (
    select
        source_relation,
        property_id,
        activity_date,
        page_path,
        sum(entrances) as entrance_count,
        sum(exits) as exit_count
    from session_ends
    group by source_relation, property_id, activity_date, page_path
),

final as (
    select
        page_events.source_relation as source_relation,
        page_events.property_id as property_id,
        page_events.activity_date as activity_date,
        page_events.page_path as page_path,
        page_events.page_views as page_views,
        page_events.clients as users,  -- noqa: RF04
        coalesce(page_sessions.entrance_count, 0) as entrances,
        coalesce(page_sessions.exit_count, 0) as exits,
        toFloat64(page_events.engagement_time_seconds) as engagement_time_seconds,
        nullIf(decodeURLComponent(extract(page_events.page_path, '/products/([^/]+)')), '') as product_handle,
        product_handle is not null as is_product_page
    from page_events
    left join page_sessions
        on
            page_events.source_relation = page_sessions.source_relation
            and page_events.property_id = page_sessions.property_id
            and page_events.activity_date = page_sessions.activity_date
            and page_events.page_path = page_sessions.page_path
    settings join_use_nulls = 1
)

select * from final
