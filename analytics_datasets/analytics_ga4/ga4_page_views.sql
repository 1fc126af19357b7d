{#- GA4 page views per property, day, host and page path (query strings folded in), with the
    product handle of a product page. A view over the curated pages report, so a restated day
    shows at once. Which Shopify product a page shows is cross-source work:
    shop_page_performance (analytics_cross_source) adds it. -#}
{{ config(materialized='view') }}

with

pages as (
    select * from {{ current(ref('ga4__pages')) }}
    where date is not null
),

page_days as (
    select
        source_relation,
        property_id,
        assumeNotNull(date) as activity_date,
        host_name,
        page_path,
        any(product_handle) as product_handle,
        sum(screen_page_views) as page_views,
        {# GA4 gives each query-string variant its own bounce rate: weigh them by views #}
        if(page_views = 0, null, sum(bounce_rate * screen_page_views) / page_views) as bounce_rate,
        count() as query_string_variants
    from pages
    group by source_relation, property_id, activity_date, host_name, page_path
),

final as (
    select
        source_relation,
        property_id,
        activity_date,
        host_name,
        page_path,
        product_handle,
        page_views,
        bounce_rate,
        query_string_variants,
        product_handle is not null as is_product_page
    from page_days
)

select * from final
