{#- GA4 page views per property, day, host and page path (query strings folded in), with the
    Shopify product a product page shows (matched by handle). A view over the curated pages
    report, so a restated day shows at once. -#}
{{ config(materialized='view') }}

with

pages as (
    select * from {{ current(ref('ga4__pages')) }}
    where date is not null
),

products as (
    select * from {{ current(ref('shopify__products')) }}
    where handle is not null
),

{# one product per handle: handles are unique within a shop; when several shops use one
   handle, the smallest product id (documented) #}
product_handles as (
    select
        assumeNotNull(handle) as handle,
        min(product_id) as product_id
    from products
    group by handle
),

page_days as (
    select
        source_relation,
        property_id,
        host_name,
        page_path,
        assumeNotNull(date) as activity_date,
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
        page_days.source_relation as source_relation,
        page_days.property_id as property_id,
        page_days.activity_date as activity_date,
        page_days.host_name as host_name,
        page_days.page_path as page_path,
        page_days.product_handle as product_handle,
        product_handles.product_id as product_id,
        page_days.page_views as page_views,
        page_days.bounce_rate as bounce_rate,
        page_days.query_string_variants as query_string_variants,
        page_days.product_handle is not null as is_product_page
    from page_days
    left join product_handles
        on page_days.product_handle = product_handles.handle
    settings join_use_nulls = 1
)

select * from final
