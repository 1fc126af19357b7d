"""The order streams' raw rows: orders (one row per delivered version, a little bad input),
order_refunds, transactions, fulfillments; written batch by batch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ecom_analytics.sample_data.common import (
    BATCH_ROWS,
    DAY_MS,
    Writer,
    cat,
    json_lists,
    money,
    obj,
    replace_rows,
    rng_for,
    text,
    truncate,
    ts,
    where,
)
from ecom_analytics.sample_data.shopify.customers import address
from ecom_analytics.sample_data.shopify.order_json import (
    REFUND_ID_BASE,
    TRANSACTION_ID_BASE,
    OrderJson,
    money_set,
    order_customer,
    order_json,
    order_lines,
)
from ecom_analytics.sample_data.shopify.orders import (
    PRESENTMENT_RATES_E4,
    SHOP_CURRENCY,
    CustomerTotals,
    OrderBatch,
    Orders,
    draw_orders,
)
from ecom_analytics.sample_data.world import LOCATIONS, World

FULFILLMENT_ID_BASE = 4_800_000_000_000
# Order versions, in the order they happen.
CREATED, FULFILLED, REFUNDED, CANCELLED = range(4)
NEVER = np.iinfo(np.int64).max


@dataclass
class Versions:
    """The delivered versions of a batch's orders: one entry per row of the orders stream."""

    order: np.ndarray  # the order's position in the batch
    version: np.ndarray  # CREATED, FULFILLED, REFUNDED or CANCELLED
    updated_ms: np.ndarray
    shows_refund: np.ndarray  # the version carries the order's refund


def write_orders(
    writer: Writer, world: World, on_batch: Callable[[OrderBatch], None]
) -> CustomerTotals:
    """Every order's streams, batch by batch; `on_batch` sees each batch (Klaviyo's Placed
    Order events). Returns what the customers stream needs."""
    totals = CustomerTotals(world.sizes.customers)
    step = max(1, BATCH_ROWS // 2)
    for start in range(0, world.sizes.orders, step):
        stop = min(world.sizes.orders, start + step)
        batch, tables = build_orders(world, start, stop)
        columns, updated, bad = tables["orders"]
        writer.write("shopify", "orders", columns, updated, redeliver_share=0.03, bad=bad)
        for table in ("order_refunds", "transactions", "fulfillments"):
            columns, changed = tables[table]
            writer.write("shopify", table, columns, changed)
        totals.add(batch)
        on_batch(batch)
    return totals


def build_orders(world: World, start: int, stop: int) -> tuple[OrderBatch, dict]:
    """One batch of orders: the batch for Klaviyo and the raw columns of every Shopify stream.

    The stages draw from one generator in a fixed order, so their order is part of the output.
    """
    rng = rng_for(world.seed, "orders", start)
    orders = draw_orders(world, rng, start, stop)
    json = order_json(world, orders)
    tables = {
        "orders": _order_rows(world, rng, orders, json),
        "order_refunds": _refund_rows(world, orders, json),
        "transactions": _transaction_rows(world, orders),
        "fulfillments": _fulfillment_rows(world, rng, orders, json),
    }
    return orders.batch, tables


def _order_rows(world: World, rng: np.random.Generator, orders: Orders, json: OrderJson):
    """One row per delivered version: a sync sends an order's state as of the sync."""
    versions = _delivered_versions(world, orders)
    order = versions.order
    financial = _financial_status(orders, versions)
    refunds = where(versions.shows_refund, cat("[", json.refund.take(order), "]"), "[]")
    line_items, refunds, bad_rows = _add_bad_input(
        rng, json.line_items.take(order), refunds, financial, versions.shows_refund
    )
    customer = orders.batch.customer[order]
    emails = world.emails.take(customer)
    customer_address = address(world, customer)
    columns = {
        **_order_status_columns(world, orders, versions, financial, emails),
        **_order_money_columns(orders, versions),
        "test": pa.array(np.zeros(len(order), bool)),
        "customer_id": pa.array(world.customer_ids[customer]),
        "customer": order_customer(world, customer, emails),
        "billing_address": customer_address,
        "shipping_address": customer_address,
        "line_items": line_items,
        "refunds": refunds,
        **order_lines(world, orders, order),
        "note_attributes": pa.array(np.full(len(order), "[]", object), pa.string()),
        "shop_url": pa.array(np.full(len(order), world.shop_url, object), pa.string()),
    }
    return columns, versions.updated_ms, bad_rows


def _order_status_columns(
    world: World, orders: Orders, versions: Versions, financial: np.ndarray, emails: pa.Array
) -> dict[str, pa.Array]:
    """Who, when, which state, and where from: the columns before the money."""
    batch, life = orders.batch, orders.life
    order, version = versions.order, versions.version
    fulfillment = np.where((version == FULFILLED) | (version == REFUNDED), "fulfilled", None)
    closed_ms = np.where(version == CANCELLED, life.cancelled_ms[order], life.fulfilled_ms[order])
    cancelled_now = version == CANCELLED
    presentment_currency = np.array([SHOP_CURRENCY, *PRESENTMENT_RATES_E4], object)[
        orders.presentment[order]
    ]
    order_number = 1001 + batch.index[order]
    return {
        "id": pa.array(batch.ids[order]),
        "name": cat("#", text(order_number)),
        "order_number": pa.array(order_number),
        "email": emails,
        "created_at": ts(batch.created_ms[order]),
        "updated_at": ts(versions.updated_ms),
        "processed_at": ts(batch.created_ms[order]),
        "cancelled_at": ts(life.cancelled_ms[order], mask=~cancelled_now),
        "closed_at": ts(closed_ms, mask=version == CREATED),
        "currency": pa.array(np.full(len(order), SHOP_CURRENCY, object), pa.string()),
        "presentment_currency": pa.array(presentment_currency, pa.string()),
        "financial_status": pa.array(financial, pa.string()),
        "fulfillment_status": pa.array(fulfillment, pa.string()),
        "cancel_reason": pa.array(np.where(cancelled_now, "customer", None), pa.string()),
        "tags": pa.array(np.where(batch.customer[order] < 50, "vip", ""), pa.string()),
        "source_name": pa.array(np.where(order % 50 == 7, "pos", "web"), pa.string()),
        "landing_site": batch.landing_site.take(order),
        "referring_site": pa.array(orders.referrer[order], pa.string()),
    }


def _order_money_columns(orders: Orders, versions: Versions) -> dict[str, pa.Array]:
    """The totals in shop currency, then as money sets (shop and presentment currency)."""
    batch, amounts, order = orders.batch, orders.amounts, versions.order
    refunded = np.where(versions.shows_refund, batch.refunded_cents[order], 0)
    cents = {  # in the order of the money sets
        "total_price": batch.total_cents[order],
        "subtotal_price": amounts.subtotal_cents[order],
        "total_tax": amounts.tax_cents[order],
        "total_discounts": amounts.discount_cents[order],
        "total_shipping_price": amounts.shipping_cents[order],
        "current_total_price": batch.total_cents[order] - refunded,
        "total_line_items_price": amounts.gross_cents[order],
    }
    shop_currency = [  # shipping has a money set only
        "total_price",
        "subtotal_price",
        "total_tax",
        "total_discounts",
        "total_line_items_price",
        "current_total_price",
    ]
    presentment = orders.presentment[order]
    return {name: money(cents[name]) for name in shop_currency} | {
        f"{name}_set": money_set(amount, presentment) for name, amount in cents.items()
    }


def _delivered_versions(world: World, orders: Orders) -> Versions:
    """Order, version and update time of each delivered version.

    A version is delivered unless a later version replaced it before the next sync ran.
    """
    life = orders.life
    n = len(orders.batch.ids)
    times = np.full((n, 4), NEVER)
    times[:, CREATED] = orders.batch.created_ms + 30_000
    times[life.fulfilled, FULFILLED] = life.fulfilled_ms[life.fulfilled]
    times[life.refunded, REFUNDED] = life.refunded_ms[life.refunded]
    times[life.cancelled, CANCELLED] = life.cancelled_ms[life.cancelled]
    exists = times < NEVER
    sync = np.where(exists, world.clock.sync_of(np.where(exists, times, 0)), 10**9)
    later_sync = np.minimum.accumulate(sync[:, ::-1], axis=1)[:, ::-1]
    next_sync = np.concatenate([later_sync[:, 1:], np.full((n, 1), 10**9)], axis=1)
    delivered = exists & (sync < next_sync)
    order, version = np.nonzero(delivered)
    shows_refund = (version == REFUNDED) | ((version == CANCELLED) & life.has_refund[order])
    return Versions(order, version, times[order, version], shows_refund)


def _financial_status(orders: Orders, versions: Versions) -> np.ndarray:
    """The payment state each version shows (object array: bad input overwrites some)."""
    order, version = versions.order, versions.version
    pending = orders.life.pending[order]
    return np.select(
        [version == CREATED, version == FULFILLED, version == REFUNDED],
        [
            np.where(pending, "pending", "paid"),
            "paid",
            np.where(orders.life.partial[order], "partially_refunded", "refunded"),
        ],
        default=np.where(pending, "voided", "refunded"),
    ).astype(object)


def _add_bad_input(
    rng: np.random.Generator,
    line_items: pa.Array,
    refunds: pa.Array,
    financial: np.ndarray,
    refunded_now: np.ndarray,
) -> tuple[pa.Array, pa.Array, dict[str, np.ndarray]]:
    """Bad input, as real feeds carry it: ~0.8% of rows. `financial` is changed in place.

    Returns the line items and refunds with the bad rows in, and each kind's mask of rows.
    """
    bad = rng.random(len(financial))
    malformed = bad < 0.0025
    missing_id = (bad >= 0.0025) & (bad < 0.0045)
    bad_refund_ts = (bad >= 0.0045) & (bad < 0.03) & refunded_now  # a share of refund rows
    bad_enum = (bad >= 0.03) & (bad < 0.032)
    line_items = replace_rows(
        line_items,
        missing_id,
        pc.replace_substring_regex(
            line_items.filter(pa.array(missing_id)), r'^\[\{"id":\d+,', "[{", max_replacements=1
        ),
    )
    line_items = truncate(line_items, malformed)
    refunds = replace_rows(
        refunds,
        bad_refund_ts,
        pc.replace_substring_regex(
            refunds.filter(pa.array(bad_refund_ts)),
            r'"created_at":"[^"]*"',
            '"created_at":"not a date"',
            max_replacements=1,
        ),
    )
    financial[bad_enum] = np.where(rng.random(int(bad_enum.sum())) < 0.5, "PAID", "unknown_status")
    bad_rows = {
        "malformed_json": malformed,
        "line_item_missing_id": missing_id,
        "refund_unparsable_timestamp": bad_refund_ts,
        "unexpected_enum": bad_enum,
    }
    return line_items, refunds, bad_rows


def _refund_rows(world: World, orders: Orders, json: OrderJson):
    """One row per refund, when it is created."""
    batch, life = orders.batch, orders.life
    refunded = np.flatnonzero(life.has_refund)
    created = life.refund_ms[refunded]
    columns = {
        "id": pa.array(REFUND_ID_BASE + batch.index[refunded]),
        "order_id": pa.array(batch.ids[refunded]),
        "created_at": ts(created),
        "processed_at": ts(created),
        "note": pa.array(
            np.where(
                life.cancelled[refunded],
                "Order cancelled",
                np.where(life.partial[refunded], "Customer return", None),
            ),
            pa.string(),
        ),
        "restock": pa.array(np.ones(len(refunded), bool)),
        "refund_line_items": json.refund_line_items.take(refunded),
        "order_adjustments": json.refund_adjustments.take(refunded),
        "transactions": json.refund_transactions.take(refunded),
        "shop_url": pa.array(np.full(len(refunded), world.shop_url, object), pa.string()),
    }
    return columns, created


def _transaction_rows(world: World, orders: Orders):
    """Sale (or authorization), capture of pending payments at fulfillment, refund or void:
    each order's transactions, when they happen. A transaction's id is its sale's + its slot."""
    batch, life = orders.batch, orders.life
    n = len(batch.ids)
    parts = [  # (orders, slot, kind, time per order, amount per order)
        (
            np.arange(n),
            0,
            np.where(life.pending, "authorization", "sale"),
            batch.created_ms + 20_000,
            batch.total_cents,
        ),
        (
            np.flatnonzero(life.pending & life.fulfilled),
            2,
            "capture",
            life.fulfilled_ms,
            batch.total_cents,
        ),
        (np.flatnonzero(life.has_refund), 1, "refund", life.refund_ms, batch.refunded_cents),
        (
            np.flatnonzero(life.pending & life.cancelled),
            3,
            "void",
            life.cancelled_ms,
            batch.total_cents,
        ),
    ]
    order = np.concatenate([idx for idx, *_ in parts])
    slot = np.concatenate([np.full(len(idx), s) for idx, s, *_ in parts])
    kind = np.concatenate(
        [np.broadcast_to(np.asarray(k, object), n)[idx] for idx, _, k, *_ in parts]
    )
    created = np.concatenate([t[idx] for idx, _, _, t, _ in parts])
    amount = np.concatenate([a[idx] for idx, *_, a in parts])
    sale_id = TRANSACTION_ID_BASE + batch.index[order] * 4
    columns = {
        "id": pa.array(sale_id + slot),
        "order_id": pa.array(batch.ids[order]),
        "parent_id": pa.array(sale_id, mask=slot == 0),
        "kind": pa.array(kind, pa.string()),
        "status": pa.array(np.full(len(order), "success", object), pa.string()),
        "gateway": pa.array(np.where(order % 9 == 0, "paypal", "shopify_payments"), pa.string()),
        "currency": pa.array(np.full(len(order), "USD", object), pa.string()),
        "amount": money(amount),
        "test": pa.array(np.zeros(len(order), bool)),
        "created_at": ts(created),
        "processed_at": ts(created),
        "shop_url": pa.array(np.full(len(order), world.shop_url, object), pa.string()),
    }
    return columns, created


def _fulfillment_rows(world: World, rng: np.random.Generator, orders: Orders, json: OrderJson):
    """A fulfillment is delivered when shipped (in transit) and again once delivered."""
    batch, items = orders.batch, orders.items
    fulfilled = np.flatnonzero(orders.life.fulfilled)
    shipped = orders.life.fulfilled_ms[fulfilled]
    delivered_ms = shipped + rng.integers(DAY_MS, 5 * DAY_MS, len(fulfilled))
    arrived = delivered_ms < world.clock.now_ms
    order = np.concatenate([fulfilled, fulfilled[arrived]])
    updated = np.concatenate([shipped, delivered_ms[arrived]])
    status = np.concatenate(
        [
            np.full(len(fulfilled), "in_transit", object),
            np.full(int(arrived.sum()), "delivered", object),
        ]
    )
    fulfilled_items = json_lists(
        obj(id=text(json.line_item_ids), quantity=text(items.quantity)), items.order, len(batch.ids)
    )
    columns = {
        "id": pa.array(FULFILLMENT_ID_BASE + batch.index[order]),
        "order_id": pa.array(batch.ids[order]),
        "location_id": pa.array(np.full(len(order), LOCATIONS[0][0])),
        "status": pa.array(np.full(len(order), "success", object), pa.string()),
        "shipment_status": pa.array(status, pa.string()),
        "tracking_company": pa.array(np.where(order % 3 == 0, "UPS", "USPS"), pa.string()),
        "created_at": ts(np.concatenate([shipped, shipped[arrived]])),
        "updated_at": ts(updated),
        "line_items": fulfilled_items.take(order),
        "shop_url": pa.array(np.full(len(order), world.shop_url, object), pa.string()),
    }
    return columns, updated
