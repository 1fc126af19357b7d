{#- The GA4 ecommerce events the funnel, item-list and cart-abandonment models read, as an SQL
    tuple of names: item lists, item views, cart, checkout, payment and purchase. -#}
{% macro ga4_commerce_events() -%}
    ('view_item_list', 'select_item', 'view_item', 'add_to_cart', 'begin_checkout', 'add_payment_info', 'purchase')
{%- endmacro %}
