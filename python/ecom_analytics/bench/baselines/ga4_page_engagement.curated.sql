{#- Baseline for the benchmark, not a definition: the typical question of the model
    ga4_page_engagement (the definition) answered from the curated GA4-export events, to time
    what the analytics layer saves a reader: the month's product-page events summed per day
    and page, entrances and exits from the sessions rebuilt from their events (on the
    session's day, where the page has events that day), then per product handle. -#}
with
{% include '_ga4_export_sessions.sql' %}
page_days as (
    select
        event_date as activity_date,
        page_path,
        countIf(event_name = 'page_view') as page_views,
        sum(coalesce(engagement_time_msec, 0)) / 1000 as engagement_seconds
    from data_ga4.events final
    where source_relation = %(export_property)s and page_path is not null
        and event_date >= %(start)s and event_date < %(end)s
    group by activity_date, page_path
),
session_ends as (
    select session_date as activity_date, landing_page_path as page_path,
        1 as entrances, 0 as exits
    from sessions where landing_page_path is not null
    union all
    select session_date as activity_date, exit_page_path as page_path,
        0 as entrances, 1 as exits
    from sessions where exit_page_path is not null
),
page_ends as (
    select activity_date, page_path, sum(entrances) as entrances, sum(exits) as exits
    from session_ends
    group by activity_date, page_path
),
final as (
    select
        nullIf(decodeURLComponent(extract(p.page_path, '/products/([^/]+)')), '')
            as product_handle,
        sum(p.page_views) as page_views,
        sum(coalesce(e.entrances, 0)) as entrances,
        sum(coalesce(e.exits, 0)) as exits,
        sum(p.engagement_seconds) as engagement_seconds
    from page_days as p
    left join page_ends as e
        on p.activity_date = e.activity_date and p.page_path = e.page_path
    where product_handle is not null
    group by product_handle
    settings join_use_nulls = 1
)
select * from final order by page_views desc, product_handle limit 20
