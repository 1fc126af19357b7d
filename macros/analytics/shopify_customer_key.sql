{#- The customer a Shopify order belongs to, over the curated orders' columns: the customer id
    as text, else `email:` and the lowercased email (a guest), else empty (neither). -#}
{% macro shopify_customer_key() -%}
    assumeNotNull(multiIf(
        customer_id is not null, toString(customer_id),
        coalesce(email, '') != '', concat('email:', lower(email)),
        ''
    ))
{%- endmacro %}
