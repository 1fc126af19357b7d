{#- When a refund is recorded, UTC: processed_at, else created_at; NULL when it has neither (it
    cannot be placed on a day, curated flags it). -#}
{% macro shopify_refunded_at() -%}
    coalesce(processed_at, created_at)
{%- endmacro %}
