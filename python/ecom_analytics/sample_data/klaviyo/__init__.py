"""Klaviyo streams (JSON:API records), one module per kind:

- events.py: Placed Order (from Shopify's order batches), message funnels, site events;
- profiles.py: the same people as Shopify's customers, then newsletter-only subscribers;
- marketing.py: campaigns and their detailed form, flows, metrics, lists;
- api.py: what they share (the API's address, timestamps).
"""

from ecom_analytics.sample_data.klaviyo.events import write_other_events, write_placed_orders
from ecom_analytics.sample_data.klaviyo.marketing import write_marketing
from ecom_analytics.sample_data.klaviyo.profiles import write_profiles

__all__ = ["write_marketing", "write_other_events", "write_placed_orders", "write_profiles"]
