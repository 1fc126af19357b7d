{#- Baseline for the benchmark, not a definition. The end of the daily-sales baselines:
    Shopify's measures per day from a `ledger` CTE of orders and refunds (sales_date, orders,
    gross, discounts, returns, shipping, taxes), as the model shopify_daily_sales sums them
    (macros/analytics/shopify_sales_measures.sql). -#}
select
    sales_date,
    sum(orders) as orders,
    sum(gross) - sum(discounts) - sum(returns) as net_sales,
    if(orders = 0, null, (sum(gross) - sum(discounts)) / orders) as average_order_value,
    net_sales + sum(shipping) + sum(taxes) as total_sales
from ledger
where sales_date >= %(start)s and sales_date < %(end)s
group by sales_date
order by sales_date
