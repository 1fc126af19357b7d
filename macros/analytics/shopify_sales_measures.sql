{#- Shopify's sales-report measures summed over rows that carry orders, units, units_returned,
    gross_sales, discounts, returns, shipping, taxes, new_customer_orders and
    new_customer_net_sales (a ledger of orders and refunds, or daily rows). One definition for every grain: day, month, hour. -#}
{% macro shopify_sales_measures() -%}
    sum(orders) as orders,
    sum(units) as units,
    sum(units_returned) as units_returned,
    sum(gross_sales) as gross_sales,
    sum(discounts) as discounts,
    sum(returns) as returns,
    gross_sales - discounts - returns as net_sales,
    sum(shipping) as shipping,
    sum(taxes) as taxes,
    net_sales + shipping + taxes as total_sales,
    if(orders = 0, null, toDecimal128((gross_sales - discounts) / orders, 9)) as average_order_value,
    sum(new_customer_orders) as new_customer_orders,
    orders - new_customer_orders as returning_customer_orders,
    sum(new_customer_net_sales) as new_customer_net_sales,
    net_sales - new_customer_net_sales as returning_customer_net_sales
{%- endmacro %}
