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

{#- The ledger row of one order from int_shopify__order_sales, in the columns
    shopify_sales_measures sums: the order's sales with no returns (those land on their
    refund's day). -#}
{% macro shopify_order_ledger_columns() -%}
    toUInt64(1) as orders,
    toInt64(units) as units,
    toInt64(0) as units_returned,
    gross_sales,
    discounts,
    toDecimal128(0, 9) as returns,  -- noqa: RF04
    shipping_charged as shipping,
    tax_charged as taxes,
    toUInt64(is_first_order) as new_customer_orders,
    if(is_first_order, gross_sales - discounts, toDecimal128(0, 9)) as new_customer_net_sales
{%- endmacro %}
