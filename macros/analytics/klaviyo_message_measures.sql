{#- The delivery, engagement and attribution measures of int_klaviyo__message_performance, as the
    campaign and flow performance views select them. -#}
{% macro klaviyo_message_measures(relation) -%}
    {%- for column in [
        'recipients', 'bounces', 'delivered', 'opens', 'unique_opens', 'clicks', 'unique_clicks',
        'unsubscribes', 'spam_complaints', 'open_rate', 'click_rate', 'click_to_open_rate',
        'unsubscribe_rate', 'attributed_orders', 'attributed_revenue', 'revenue_per_recipient',
    ] %}
    {{ relation }}.{{ column }} as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
