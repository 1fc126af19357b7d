"""What each order is: its items and amounts, where it came from, and its life (payment,
fulfillment, refund, cancellation). The raw streams are built from these in order_streams.py.

The stages draw from one generator in a fixed order, so their order is part of the output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pyarrow as pa

from ecom_analytics.sample_data.common import DAY_MS, HISTORY_DAYS, HOUR_MS, rng_for
from ecom_analytics.sample_data.world import FLOWS, World

ORDER_ID_BASE = 5_600_000_000_000
TAX_RATE_PERMILLE = 80
FREE_SHIPPING_CENTS = 7_500
SHIPPING_CENTS = 695
SHOP_CURRENCY = "USD"
# Shopify Markets: a share of orders is priced in the buyer's currency at a fixed rate
# (presentment units per shop unit, in ten-thousandths); the rest present in the shop currency.
PRESENTMENT_RATES_E4 = {"EUR": 9_200, "GBP": 7_900, "CAD": 13_600}
PRESENTMENT_SHARES = [0.88, 0.06, 0.03, 0.03]  # shop currency, then PRESENTMENT_RATES_E4
CHANNELS = ["direct", "organic", "google_cpc", "facebook", "klaviyo_campaign", "klaviyo_flow"]
CHANNEL_QUERY = {
    "google_cpc": "utm_source=google&utm_medium=cpc&utm_campaign=brand-search",
    "facebook": "utm_source=facebook&utm_medium=paid_social&utm_campaign=prospecting",
    "klaviyo_flow": "_kx=flow",
}
CHANNEL_REFERRER = {
    "organic": "https://www.google.com/",
    "google_cpc": "https://www.google.com/",
    "facebook": "https://l.facebook.com/",
    "direct": "",
    "klaviyo_campaign": "",
    "klaviyo_flow": "",
}


@dataclass
class OrderBatch:
    """Orders start..stop-1 (global numbers) with their items and life events."""

    index: np.ndarray
    ids: np.ndarray
    customer: np.ndarray
    created_ms: np.ndarray
    channel: np.ndarray
    campaign: np.ndarray  # attributed campaign number or -1
    flow_message: np.ndarray  # attributed flow message number or -1
    landing_site: pa.Array
    total_cents: np.ndarray
    refunded_cents: np.ndarray  # by the end of history
    n_items: np.ndarray
    # flat line items
    item_order: np.ndarray
    item_variant: np.ndarray
    item_quantity: np.ndarray


@dataclass
class LineItems:
    """The batch's line items, flat and sorted by order (one entry per line item)."""

    order: np.ndarray  # the order's position in the batch
    position: np.ndarray  # the item's position within its order
    variant: np.ndarray
    quantity: np.ndarray
    unit_price_cents: np.ndarray
    gross_cents: np.ndarray  # unit price * quantity
    discount_cents: np.ndarray  # the order's discount code applied to this item


@dataclass
class OrderAmounts:
    """Per order: how many items, the discount code, and the totals the items add up to."""

    item_count: np.ndarray
    has_code: np.ndarray
    code: np.ndarray  # index into world.discount_codes (drawn for every order)
    gross_cents: np.ndarray
    discount_cents: np.ndarray
    tax_cents: np.ndarray
    subtotal_cents: np.ndarray  # gross - discount
    shipping_cents: np.ndarray
    total_cents: np.ndarray  # subtotal + shipping + tax


@dataclass
class OrderLife:
    """Per order: what happens to it after it is placed (events past NOW never happen)."""

    pending: np.ndarray  # payment authorized only, captured at fulfillment
    cancelled: np.ndarray
    cancelled_ms: np.ndarray
    fulfilled: np.ndarray
    fulfilled_ms: np.ndarray
    refunded: np.ndarray  # returned after fulfillment
    refunded_ms: np.ndarray
    partial: np.ndarray  # the return is one unit of the first item
    has_refund: np.ndarray  # a refund record exists: returned, or cancelled after payment
    refund_ms: np.ndarray  # when that refund record was created


@dataclass
class RefundAmounts:
    """What each order's refund returns: per line item (flat) and per order."""

    item_in_refund: np.ndarray
    item_quantity: np.ndarray
    item_subtotal_cents: np.ndarray  # 0 for items not in the refund
    item_tax_cents: np.ndarray
    shipping_cents: np.ndarray  # per order
    total_cents: np.ndarray  # per order


@dataclass
class Orders:
    """A batch of orders in full: everything the Shopify streams are built from."""

    batch: OrderBatch
    items: LineItems
    amounts: OrderAmounts
    life: OrderLife
    refund: RefundAmounts
    presentment: np.ndarray  # 0 = shop currency, k = k-th of PRESENTMENT_RATES_E4
    referrer: np.ndarray


def slice_orders(orders: Orders, lo: int, hi: int) -> Orders:
    """Orders lo..hi-1 of the batch (positions) with their line items, as a batch of their own:
    line-item fields (`LineItems`, and the `item_*` fields beside per-order ones) are cut where
    the items of those orders are, and item-to-order positions start again at 0."""
    first, last = np.searchsorted(orders.items.order, [lo, hi])

    def part(record: Any, per_item: Callable[[str], bool]) -> Any:
        values = {}
        for field in fields(record):
            value = getattr(record, field.name)
            if not per_item(field.name):
                values[field.name] = value[lo:hi]
            elif field.name in ("order", "item_order"):
                values[field.name] = value[first:last] - lo
            else:
                values[field.name] = value[first:last]
        return type(record)(**values)

    def item_prefixed(name: str) -> bool:
        return name.startswith("item_")

    return Orders(
        part(orders.batch, item_prefixed),
        part(orders.items, lambda _: True),
        part(orders.amounts, lambda _: False),
        part(orders.life, lambda _: False),
        part(orders.refund, item_prefixed),
        orders.presentment[lo:hi],
        orders.referrer[lo:hi],
    )


def draw_orders(world: World, rng: np.random.Generator, start: int, stop: int) -> Orders:
    """Orders start..stop-1, drawn from `rng` (and their own presentment stream)."""
    n = stop - start
    index = np.arange(start, stop)
    ids = ORDER_ID_BASE + index * 3 + 1
    created, customer = _order_times(world, rng, index)
    items, amounts = _line_items(world, rng, n)
    # Own stream, so the other columns keep their values. 0 = shop currency, k = k-th foreign.
    presentment = rng_for(world.seed, "presentment", start).choice(
        len(PRESENTMENT_SHARES), n, p=PRESENTMENT_SHARES
    )
    channel, campaign, flow_message = _attribution(world, rng, created)
    landing, referrer = _landing_site(world, rng, items, amounts, channel, campaign)
    life = _life(world, rng, created, amounts.item_count)
    refund = _refund_amounts(items, amounts, life)
    batch = OrderBatch(
        index,
        ids,
        customer,
        created,
        channel,
        campaign,
        flow_message,
        pa.array(landing, pa.string()),
        amounts.total_cents,
        refund.total_cents,
        amounts.item_count,
        items.order,
        items.variant,
        items.quantity,
    )
    return Orders(batch, items, amounts, life, refund, presentment, referrer)


def _order_times(
    world: World, rng: np.random.Generator, index: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Creation times and customers. Growing business: order density rises over the history."""
    n = len(index)
    x = (index + rng.random(n)) / world.sizes.orders
    created = world.clock.day0_ms + (x**0.8 * HISTORY_DAYS * DAY_MS).astype(np.int64)
    customer = (world.sizes.customers * rng.random(n) ** 1.6).astype(np.int64)
    return created, customer


def _line_items(world: World, rng: np.random.Generator, n: int) -> tuple[LineItems, OrderAmounts]:
    """Line items (flat, by order), discount codes and the order totals they add up to."""
    item_count = rng.choice([1, 2, 3, 4], n, p=[0.5, 0.3, 0.15, 0.05])
    order = np.repeat(np.arange(n), item_count)
    position = np.arange(len(order)) - np.repeat(np.cumsum(item_count) - item_count, item_count)
    variant = rng.choice(len(world.variant_ids), len(order), p=world.variant_weights)
    quantity = rng.choice([1, 1, 1, 1, 2, 3], len(order))
    unit_price = world.variant_price_cents[variant]
    has_code = rng.random(n) < 0.2
    code = rng.integers(0, len(world.discount_codes), n)
    percent = np.where(has_code, world.discount_percent[code], 0)
    item_gross = unit_price * quantity
    item_discount = item_gross * percent[order] // 100
    item_tax = (item_gross - item_discount) * TAX_RATE_PERMILLE // 1000
    gross = np.bincount(order, item_gross, n).astype(np.int64)
    discounts = np.bincount(order, item_discount, n).astype(np.int64)
    tax = np.bincount(order, item_tax, n).astype(np.int64)
    subtotal = gross - discounts
    shipping = np.where(subtotal >= FREE_SHIPPING_CENTS, 0, SHIPPING_CENTS)
    items = LineItems(order, position, variant, quantity, unit_price, item_gross, item_discount)
    total = subtotal + shipping + tax
    amounts = OrderAmounts(
        item_count, has_code, code, gross, discounts, tax, subtotal, shipping, total
    )
    return items, amounts


def _attribution(
    world: World, rng: np.random.Generator, created: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Marketing channel, campaign and flow message: campaign orders follow a send of the last
    5 days."""
    n = len(created)
    last_campaign = np.searchsorted(world.campaign_send_ms, created, side="right") - 1
    recent = (last_campaign >= 0) & (
        created - world.campaign_send_ms[np.maximum(last_campaign, 0)] < 5 * DAY_MS
    )
    roll = rng.random(n)
    channel = np.select(
        [recent & (roll < 0.2), roll < 0.32, roll < 0.47, roll < 0.57, roll < 0.77],
        [4, 5, 2, 3, 1],
        default=0,
    )
    campaign = np.where(channel == 4, last_campaign, -1)
    flow_message = np.where(channel == 5, rng.integers(0, len(FLOWS) * 3, n), -1)
    return channel, campaign, flow_message


def _landing_site(
    world: World,
    rng: np.random.Generator,
    items: LineItems,
    amounts: OrderAmounts,
    channel: np.ndarray,
    campaign: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Landing page with the channel's query string, and the referrer.

    The page is the first item's product page, the home page or a collection.
    """
    n = len(channel)
    item_count = amounts.item_count
    page_roll = rng.random(n)
    first_product = world.variant_product[items.variant[np.cumsum(item_count) - item_count]]
    handles = np.array(world.product_handles, object)
    page = np.where(
        page_roll < 0.6,
        "/products/" + handles[first_product],
        np.where(page_roll < 0.85, "/", "/collections/all"),
    )
    query = np.array([CHANNEL_QUERY.get(c, "") for c in CHANNELS], object)[channel]
    utm = np.array(world.campaign_utm, object)[np.maximum(campaign, 0)]
    medium = np.array(world.campaign_channels, object)[np.maximum(campaign, 0)]
    # Most campaign clicks keep Klaviyo's UTM parameters; some lose them on the way.
    tagged = (channel == 4) & (rng.random(n) < 0.8)
    query = np.where(
        tagged, "utm_source=klaviyo&utm_medium=" + medium + "&utm_campaign=" + utm, query
    )
    landing = np.where(query == "", page, page + "?" + query)
    referrer = np.array([CHANNEL_REFERRER[c] for c in CHANNELS], object)[channel]
    return landing, referrer


def _life(
    world: World, rng: np.random.Generator, created: np.ndarray, item_count: np.ndarray
) -> OrderLife:
    """Pending payments, cancellations, fulfillment, refunds (times past NOW never happen)."""
    n = len(created)
    pending = rng.random(n) < 0.04
    cancelled = rng.random(n) < 0.03
    cancel_ms = created + rng.integers(HOUR_MS, 36 * HOUR_MS, n)
    fulfilled = ~cancelled & (rng.random(n) < 0.95)
    fulfil_ms = created + rng.integers(6 * HOUR_MS, 4 * DAY_MS, n)
    refunded = fulfilled & (rng.random(n) < 0.09)
    refund_ms = fulfil_ms + rng.integers(2 * DAY_MS, 25 * DAY_MS, n)
    partial = refunded & (item_count > 1) & (rng.random(n) < 0.65)
    cancelled &= cancel_ms < world.clock.now_ms
    fulfilled &= fulfil_ms < world.clock.now_ms
    refunded &= fulfilled & (refund_ms < world.clock.now_ms)
    return OrderLife(
        pending=pending,
        cancelled=cancelled,
        cancelled_ms=cancel_ms,
        fulfilled=fulfilled,
        fulfilled_ms=fulfil_ms,
        refunded=refunded,
        refunded_ms=refund_ms,
        partial=partial,
        has_refund=refunded | (cancelled & ~pending),
        refund_ms=np.where(cancelled, cancel_ms, refund_ms),
    )


def _refund_amounts(items: LineItems, amounts: OrderAmounts, life: OrderLife) -> RefundAmounts:
    """What each refund returns: a partial refund one unit of the first item; a full one all."""
    order, partial = items.order, life.partial
    n = len(partial)
    in_refund = life.has_refund[order] & (~partial[order] | (items.position == 0))
    quantity = np.where(partial[order], 1, items.quantity)
    unit_discount = items.discount_cents // items.quantity
    subtotal = np.where(
        partial[order],
        items.unit_price_cents - unit_discount,
        items.gross_cents - items.discount_cents,
    )
    tax = subtotal * TAX_RATE_PERMILLE // 1000
    subtotal, tax = subtotal * in_refund, tax * in_refund
    shipping = np.where(life.has_refund & ~partial, amounts.shipping_cents, 0)
    total = (np.bincount(order, subtotal, n) + np.bincount(order, tax, n)).astype(
        np.int64
    ) + shipping
    return RefundAmounts(in_refund, quantity, subtotal, tax, shipping, total)


class CustomerTotals:
    """Per-customer order count, spend and first/last order, accumulated over order batches."""

    def __init__(self, n: int):
        self.count = np.zeros(n, np.int64)
        self.spent = np.zeros(n, np.int64)
        self.first = np.full(n, np.iinfo(np.int64).max)
        self.last = np.zeros(n, np.int64)

    def add(self, batch: OrderBatch) -> None:
        np.add.at(self.count, batch.customer, 1)
        np.add.at(self.spent, batch.customer, batch.total_cents - batch.refunded_cents)
        np.minimum.at(self.first, batch.customer, batch.created_ms)
        np.maximum.at(self.last, batch.customer, batch.created_ms)
