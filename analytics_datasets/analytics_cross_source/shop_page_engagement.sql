{#- GA4 page engagement of the BigQuery export per property, day and page path
    (ga4_page_engagement), with the Shopify product a product page shows (matched by handle).
    A view, so a new product shows at once; its figures refresh with ga4_page_engagement. -#}
{{ config(materialized='view') }}

with

pages as (
    select * from {{ ref('ga4_page_engagement') }}
),

products as (
    select * from {{ current(ref('shopify__products')) }}
),

product_handles as (
    {{ shopify_product_handles('products') }}
),

final as (
    select
        pages.source_relation as source_relation,
        pages.property_id as property_id,
        pages.activity_date as activity_date,
        pages.page_path as page_path,
        pages.product_handle as product_handle,
        product_handles.product_id as product_id,
        product_handles.product_title as product_title,
        pages.page_views as page_views,
        pages.users as users,  -- noqa: RF04
        pages.entrances as entrances,
        pages.exits as exits,
        pages.engagement_time_seconds as engagement_time_seconds,
        pages.is_product_page as is_product_page
    from pages
    left join product_handles
        on pages.product_handle = product_handles.handle
    settings join_use_nulls = 1
)

select * from final
