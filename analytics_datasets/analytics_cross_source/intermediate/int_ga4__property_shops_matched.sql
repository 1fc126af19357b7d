{#- Which Shopify shop each GA4 property of the BigQuery export measures, and since when: the
    shop whose products the property's product pages show most (pages matched to products by
    handle, as shop_page_engagement does; product ids are unique across shops), and the
    property's first day with page events. The one place cross-source models pair a property
    with a shop. A view: it follows ga4_page_engagement and the catalogue at once. -#}
{{ config(materialized='view') }}

with

product_pages as (
    select * from {{ ref('shop_page_engagement') }}
),

products as (
    select * from {{ current(ref('shopify__products')) }}
),

property_shop_views as (
    select
        product_pages.property_id as property_id,
        products.source_relation as source_relation,
        sum(product_pages.page_views) as product_page_views
    from product_pages
    inner join products
        on product_pages.product_id = products.product_id
    group by product_pages.property_id, products.source_relation
),

property_first_days as (
    select
        property_id,
        min(activity_date) as first_export_date
    from product_pages
    group by property_id
),

final as (
    select
        property_shop_views.property_id as property_id,
        {# the most product page views; the shop's name settles a tie #}
        argMax(
            property_shop_views.source_relation,
            tuple(property_shop_views.product_page_views, property_shop_views.source_relation)
        ) as source_relation,
        any(property_first_days.first_export_date) as first_export_date
    from property_shop_views
    inner join property_first_days
        on property_shop_views.property_id = property_first_days.property_id
    group by property_shop_views.property_id
)

select * from final
