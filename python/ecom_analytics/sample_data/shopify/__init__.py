"""Shopify streams, one module per part of the shop:

- orders.py: what each order is (items, amounts, attribution, life): typed records, drawn
  batch by batch; `OrderBatch` is what Klaviyo's Placed Order events are made from;
- order_json.py: the JSON an order carries (line items, its refund, money sets);
- order_streams.py: the raw rows of orders, order_refunds, transactions and fulfillments;
- customers.py: customers, abandoned checkouts, addresses;
- catalogue.py: products, variants, inventory items and levels, discount codes.
"""

from ecom_analytics.sample_data.shopify.catalogue import write_catalogue
from ecom_analytics.sample_data.shopify.customers import (
    write_abandoned_checkouts,
    write_customers,
)
from ecom_analytics.sample_data.shopify.order_streams import write_orders
from ecom_analytics.sample_data.shopify.orders import CustomerTotals, OrderBatch

__all__ = [
    "CustomerTotals",
    "OrderBatch",
    "write_abandoned_checkouts",
    "write_catalogue",
    "write_customers",
    "write_orders",
]
