{#- The Shopify product of each product handle, for matching GA4 page paths
    (`/products/<handle>`) to products: renders a SELECT of handle, product_id and
    product_title from a relation of current Shopify products. Handles are unique within a
    shop; when several shops of one deployment use one handle, the smallest product id wins
    (documented on the models that use it). -#}
{% macro shopify_product_handles(products) -%}
    select
        assumeNotNull(handle) as handle,
        min(id) as product_id,
        argMin(title, id) as product_title
    from (
        select
            handle,
            title,
            product_id as id
        from {{ products }}
        where handle is not null
    )
    group by handle
{%- endmacro %}
