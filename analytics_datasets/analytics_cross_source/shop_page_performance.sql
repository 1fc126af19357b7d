{#- GA4 page views per property, day, host and page path (ga4_page_views), with the Shopify
    product a product page shows (matched by handle). A view, so a restated day or a new
    product shows at once. -#}
{{ config(materialized='view') }}

with

page_views as (
    select * from {{ ref('ga4_page_views') }}
),

products as (
    select * from {{ current(ref('shopify__products')) }}
),

product_handles as (
    {{ shopify_product_handles('products') }}
),

final as (
    select
        page_views.source_relation as source_relation,
        page_views.property_id as property_id,
        page_views.activity_date as activity_date,
        page_views.host_name as host_name,
        page_views.page_path as page_path,
        page_views.product_handle as product_handle,
        product_handles.product_id as product_id,
        page_views.page_views as page_views,
        page_views.bounce_rate as bounce_rate,
        page_views.query_string_variants as query_string_variants,
        page_views.is_product_page as is_product_page
    from page_views
    left join product_handles
        on page_views.product_handle = product_handles.handle
    settings join_use_nulls = 1
)

select * from final
