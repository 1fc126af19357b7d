{#- When an order's sale is recorded, UTC: processed_at, else created_at, else (both missing,
    flagged in curated) its last change. Nullable: the caller asserts or keeps the NULL. -#}
{% macro shopify_ordered_at() -%}
    coalesce(processed_at, created_at, updated_at)
{%- endmacro %}
