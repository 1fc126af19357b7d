{#- The product catalogue as pages name it: each product's title beside its id and handle, so
    a dashboard shows "Merino Crew Sweater", not a URL handle or a numeric id. A view: a
    renamed product shows its new title at once. -#}
{{ config(materialized='view') }}

with

products as (
    select * from {{ current(ref('shopify__products')) }}
),

final as (
    select
        source_relation,
        product_id,
        title,
        handle,
        product_type,
        status
    from products
)

select * from final
