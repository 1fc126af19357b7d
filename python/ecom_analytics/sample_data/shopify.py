"""Shopify streams: orders and their life (payments, fulfillment, refunds, cancellation),
customers, catalogue, inventory, abandoned checkouts, discount codes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ecom_analytics.sample_data.common import (
    BATCH_ROWS,
    DAY_MS,
    HISTORY_DAYS,
    HOUR_MS,
    SHOP_OFFSET_MS,
    SHOP_UTC_OFFSET,
    Writer,
    cat,
    compact_json,
    iso,
    json_lists,
    money,
    money_text,
    obj,
    pick,
    quoted,
    replace_rows,
    rng_for,
    strings,
    text,
    truncate,
    ts,
    uuids,
    where,
)
from ecom_analytics.sample_data.world import (
    CITIES,
    FIRST_NAMES,
    FLOWS,
    LAST_NAMES,
    LOCATIONS,
    World,
)

ORDER_ID_BASE = 5_600_000_000_000
LINE_ITEM_ID_BASE = 13_000_000_000_000
REFUND_ID_BASE = 9_100_000_000_000
TRANSACTION_ID_BASE = 6_700_000_000_000
FULFILLMENT_ID_BASE = 4_800_000_000_000
CHECKOUT_ID_BASE = 3_300_000_000_000
TAX_RATE_PERMILLE = 80
FREE_SHIPPING_CENTS = 7_500
SHIPPING_CENTS = 695
SHOP_CURRENCY = "USD"
# Shopify Markets: a share of orders is priced in the buyer's currency at a fixed rate
# (presentment units per shop unit, in ten-thousandths); the rest present in the shop currency.
PRESENTMENT_RATES_E4 = {"EUR": 9_200, "GBP": 7_900, "CAD": 13_600}
PRESENTMENT_SHARES = [0.88, 0.06, 0.03, 0.03]  # shop currency, then PRESENTMENT_RATES_E4
# Order versions, in the order they happen.
CREATED, FULFILLED, REFUNDED, CANCELLED = range(4)
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


def build_orders(world: World, start: int, stop: int) -> tuple[OrderBatch, dict]:
    """One batch of orders: the batch for Klaviyo and the raw columns of every Shopify stream.

    The stages draw from one generator in a fixed order, so their order is part of the output.
    """
    rng = rng_for(world.seed, "orders", start)
    n = stop - start
    index = np.arange(start, stop)
    ids = ORDER_ID_BASE + index * 3 + 1
    created, customer = _order_times(world, rng, index)
    v = _line_items(world, rng, n)
    # Own stream, so the other columns keep their values. 0 = shop currency, k = k-th foreign.
    v["presentment"] = rng_for(world.seed, "presentment", start).choice(
        len(PRESENTMENT_SHARES), n, p=PRESENTMENT_SHARES
    )
    channel, campaign, flow_message = _attribution(world, rng, created)
    landing, v["referrer"] = _landing_site(world, rng, v, channel, campaign)
    v.update(_life(world, rng, created, v["n_items"]))
    v.update(_refund_amounts(v))
    batch = OrderBatch(
        index,
        ids,
        customer,
        created,
        channel,
        campaign,
        flow_message,
        pa.array(landing, pa.string()),
        v["total"],
        v["refunded_cents"],
        v["n_items"],
        v["item_order"],
        v["item_variant"],
        v["item_quantity"],
    )
    v["li_ids"], v["line_items"] = _line_items_json(world, batch, v)
    v.update(_refund_json(batch, v))
    tables = {
        "orders": _order_rows(world, rng, batch, v),
        "order_refunds": _refund_rows(world, batch, v),
        "transactions": _transaction_rows(world, batch, v),
        "fulfillments": _fulfillment_rows(world, rng, batch, v),
    }
    return batch, tables


def _order_times(
    world: World, rng: np.random.Generator, index: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Creation times and customers. Growing business: order density rises over the history."""
    n = len(index)
    x = (index + rng.random(n)) / world.sizes.orders
    created = world.clock.day0_ms + (x**0.8 * HISTORY_DAYS * DAY_MS).astype(np.int64)
    customer = (world.sizes.customers * rng.random(n) ** 1.6).astype(np.int64)
    return created, customer


def _line_items(world: World, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Line items (flat, by order), discount codes and the order totals they add up to."""
    n_items = rng.choice([1, 2, 3, 4], n, p=[0.5, 0.3, 0.15, 0.05])
    item_order = np.repeat(np.arange(n), n_items)
    item_pos = np.arange(len(item_order)) - np.repeat(np.cumsum(n_items) - n_items, n_items)
    item_variant = rng.choice(len(world.variant_ids), len(item_order), p=world.variant_weights)
    item_quantity = rng.choice([1, 1, 1, 1, 2, 3], len(item_order))
    item_price = world.variant_price_cents[item_variant]
    has_code = rng.random(n) < 0.2
    code = rng.integers(0, len(world.discount_codes), n)
    percent = np.where(has_code, world.discount_percent[code], 0)
    item_gross = item_price * item_quantity
    item_discount = item_gross * percent[item_order] // 100
    item_tax = (item_gross - item_discount) * TAX_RATE_PERMILLE // 1000
    gross = np.bincount(item_order, item_gross, n).astype(np.int64)
    discounts = np.bincount(item_order, item_discount, n).astype(np.int64)
    tax = np.bincount(item_order, item_tax, n).astype(np.int64)
    subtotal = gross - discounts
    shipping = np.where(subtotal >= FREE_SHIPPING_CENTS, 0, SHIPPING_CENTS)
    return {
        "n_items": n_items,
        "item_order": item_order,
        "item_pos": item_pos,
        "item_variant": item_variant,
        "item_quantity": item_quantity,
        "item_price": item_price,
        "item_gross": item_gross,
        "item_discount": item_discount,
        "has_code": has_code,
        "code": code,
        "gross": gross,
        "discounts": discounts,
        "tax": tax,
        "subtotal": subtotal,
        "shipping": shipping,
        "total": subtotal + shipping + tax,
    }


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
    items: dict[str, np.ndarray],
    channel: np.ndarray,
    campaign: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Landing page with the channel's query string, and the referrer.

    The page is the first item's product page, the home page or a collection.
    """
    n = len(channel)
    n_items = items["n_items"]
    page_roll = rng.random(n)
    first_product = world.variant_product[items["item_variant"][np.cumsum(n_items) - n_items]]
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
    world: World, rng: np.random.Generator, created: np.ndarray, n_items: np.ndarray
) -> dict[str, np.ndarray]:
    """Pending payments, cancellations, fulfillment, refunds (times past NOW never happen)."""
    n = len(created)
    pending = rng.random(n) < 0.04
    cancelled = rng.random(n) < 0.03
    cancel_ms = created + rng.integers(HOUR_MS, 36 * HOUR_MS, n)
    fulfilled = ~cancelled & (rng.random(n) < 0.95)
    fulfil_ms = created + rng.integers(6 * HOUR_MS, 4 * DAY_MS, n)
    refunded = fulfilled & (rng.random(n) < 0.09)
    refund_ms = fulfil_ms + rng.integers(2 * DAY_MS, 25 * DAY_MS, n)
    partial = refunded & (n_items > 1) & (rng.random(n) < 0.65)
    cancelled &= cancel_ms < world.clock.now_ms
    fulfilled &= fulfil_ms < world.clock.now_ms
    refunded &= fulfilled & (refund_ms < world.clock.now_ms)
    return {
        "pending": pending,
        "cancelled": cancelled,
        "cancel_ms": cancel_ms,
        "fulfilled": fulfilled,
        "fulfil_ms": fulfil_ms,
        "refunded": refunded,
        "refund_ms": refund_ms,
        "partial": partial,
        "has_refund": refunded | (cancelled & ~pending),
        "refund_at": np.where(cancelled, cancel_ms, refund_ms),
    }


def _refund_amounts(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What each refund returns: a partial refund one unit of the first item; a full one all."""
    item_order, partial = v["item_order"], v["partial"]
    n = len(partial)
    in_refund = v["has_refund"][item_order] & (~partial[item_order] | (v["item_pos"] == 0))
    r_qty = np.where(partial[item_order], 1, v["item_quantity"])
    unit_discount = v["item_discount"] // v["item_quantity"]
    r_sub = np.where(
        partial[item_order], v["item_price"] - unit_discount, v["item_gross"] - v["item_discount"]
    )
    r_tax = r_sub * TAX_RATE_PERMILLE // 1000
    r_sub, r_tax = r_sub * in_refund, r_tax * in_refund
    r_shipping = np.where(v["has_refund"] & ~partial, v["shipping"], 0)
    refunded_cents = (np.bincount(item_order, r_sub, n) + np.bincount(item_order, r_tax, n)).astype(
        np.int64
    ) + r_shipping
    return {
        "in_refund": in_refund,
        "r_qty": r_qty,
        "r_sub": r_sub,
        "r_tax": r_tax,
        "r_shipping": r_shipping,
        "refunded_cents": refunded_cents,
    }


def _line_items_json(world: World, b: OrderBatch, v: dict) -> tuple[np.ndarray, pa.Array]:
    """Line item ids (fulfillments list them too) and each order's line items."""
    item_order, item_variant = b.item_order, b.item_variant
    item_discount = v["item_discount"]
    li_ids = LINE_ITEM_ID_BASE + b.index[item_order] * 8 + v["item_pos"]
    variant_skus = world.variant_skus[item_variant]
    product = world.variant_product[item_variant]
    titles = np.array(world.product_titles, object)[product]
    allocations = where(
        item_discount > 0,
        cat('[{"amount":"', money_text(item_discount), '","discount_application_index":0}]'),
        "[]",
    )
    line_items = json_lists(
        obj(
            id=text(li_ids),
            product_id=text(world.product_ids[product]),
            variant_id=text(world.variant_ids[item_variant]),
            sku=quoted(strings(variant_skus)),
            title=quoted(strings(titles)),
            variant_title=quoted(strings(world.variant_titles[item_variant])),
            quantity=text(b.item_quantity),
            price=quoted(money_text(v["item_price"])),
            total_discount=quoted(money_text(item_discount)),
            discount_allocations=allocations,
            taxable="true",
        ),
        item_order,
        len(b.ids),
    )
    return li_ids, line_items


def _refund_json(b: OrderBatch, v: dict) -> dict[str, pa.Array]:
    """Each order's refund (embedded in the order) and its parts (the refund stream's columns)."""
    n = len(b.ids)
    item_order, in_refund, li_ids = b.item_order, v["in_refund"], v["li_ids"]
    refund_ids = REFUND_ID_BASE + b.index
    sale_tx = TRANSACTION_ID_BASE + b.index * 4
    refund_tx = sale_tx + 1
    refund_line_items = json_lists(
        obj(
            id=text(li_ids[in_refund] + 1_000_000_000_000),
            line_item_id=text(li_ids[in_refund]),
            quantity=text(v["r_qty"][in_refund]),
            restock_type=quoted("return"),
            subtotal=quoted(money_text(v["r_sub"][in_refund])),
            total_tax=quoted(money_text(v["r_tax"][in_refund])),
        ),
        item_order[in_refund],
        n,
    )
    refund_iso = iso(v["refund_at"], SHOP_UTC_OFFSET, SHOP_OFFSET_MS)
    refund_transactions = cat(
        "[",
        obj(
            id=text(refund_tx),
            order_id=text(b.ids),
            kind=quoted("refund"),
            status=quoted("success"),
            amount=quoted(money_text(b.refunded_cents)),
            gateway=quoted("shopify_payments"),
            parent_id=text(sale_tx),
            created_at=quoted(refund_iso),
        ),
        "]",
    )
    r_shipping = v["r_shipping"]
    adjustments = where(
        r_shipping > 0,
        cat(
            '[{"id":',
            text(refund_ids + 7),
            ',"amount":"-',
            money_text(r_shipping),
            '","kind":"shipping_refund","reason":"Shipping refund"}]',
        ),
        "[]",
    )
    note = where(
        v["cancelled"],
        quoted("Order cancelled"),
        where(v["partial"], quoted("Customer return"), "null"),
    )
    refund_json = obj(
        id=text(refund_ids),
        order_id=text(b.ids),
        created_at=quoted(refund_iso),
        note=note,
        restock="true",
        refund_line_items=refund_line_items,
        transactions=refund_transactions,
        order_adjustments=adjustments,
    )
    return {
        "refund_line_items": refund_line_items,
        "refund_transactions": refund_transactions,
        "adjustments": adjustments,
        "refund_json": refund_json,
    }


def _order_rows(world: World, rng: np.random.Generator, b: OrderBatch, v: dict):
    """One row per delivered version: a sync sends an order's state as of the sync."""
    order, version, updated = _delivered_versions(world, b, v)
    refunded_now = (version == REFUNDED) | ((version == CANCELLED) & v["has_refund"][order])
    financial = _financial_status(v, order, version)
    fulfillment = np.where((version == FULFILLED) | (version == REFUNDED), "fulfilled", None)
    closed_ms = np.where(version == CANCELLED, v["cancel_ms"][order], v["fulfil_ms"][order])
    closed_null = version == CREATED
    cancelled_now = version == CANCELLED
    current_total = b.total_cents[order] - np.where(refunded_now, b.refunded_cents[order], 0)

    customer = b.customer[order]
    refunds = where(refunded_now, cat("[", v["refund_json"].take(order), "]"), "[]")
    presentment = v["presentment"][order]
    presentment_currency = np.array([SHOP_CURRENCY, *PRESENTMENT_RATES_E4], object)[presentment]

    def money_set(cents: np.ndarray) -> pa.Array:
        return _money_set(cents, presentment)

    emails = world.emails.take(customer)
    address = _address(world, customer)
    line_items, refunds, bad_rows = _add_bad_input(
        rng, v["line_items"].take(order), refunds, financial, refunded_now
    )

    order_number = 1001 + b.index[order]
    columns = {
        "id": pa.array(b.ids[order]),
        "name": cat("#", text(order_number)),
        "order_number": pa.array(order_number),
        "email": emails,
        "created_at": ts(b.created_ms[order]),
        "updated_at": ts(updated),
        "processed_at": ts(b.created_ms[order]),
        "cancelled_at": ts(v["cancel_ms"][order], mask=~cancelled_now),
        "closed_at": ts(closed_ms, mask=closed_null),
        "currency": pa.array(np.full(len(order), SHOP_CURRENCY, object), pa.string()),
        "presentment_currency": pa.array(presentment_currency, pa.string()),
        "financial_status": pa.array(financial, pa.string()),
        "fulfillment_status": pa.array(fulfillment, pa.string()),
        "cancel_reason": pa.array(np.where(cancelled_now, "customer", None), pa.string()),
        "tags": pa.array(np.where(b.customer[order] < 50, "vip", ""), pa.string()),
        "source_name": pa.array(np.where(order % 50 == 7, "pos", "web"), pa.string()),
        "landing_site": b.landing_site.take(order),
        "referring_site": pa.array(v["referrer"][order], pa.string()),
        "total_price": money(b.total_cents[order]),
        "subtotal_price": money(v["subtotal"][order]),
        "total_tax": money(v["tax"][order]),
        "total_discounts": money(v["discounts"][order]),
        "total_line_items_price": money(v["gross"][order]),
        "current_total_price": money(current_total),
        "total_price_set": money_set(b.total_cents[order]),
        "subtotal_price_set": money_set(v["subtotal"][order]),
        "total_tax_set": money_set(v["tax"][order]),
        "total_discounts_set": money_set(v["discounts"][order]),
        "total_shipping_price_set": money_set(v["shipping"][order]),
        "current_total_price_set": money_set(current_total),
        "total_line_items_price_set": money_set(v["gross"][order]),
        "test": pa.array(np.zeros(len(order), bool)),
        "customer_id": pa.array(world.customer_ids[customer]),
        "customer": _order_customer(world, customer, emails),
        "billing_address": address,
        "shipping_address": address,
        "line_items": line_items,
        "refunds": refunds,
        **_order_lines(world, b, v, order),
        "note_attributes": pa.array(np.full(len(order), "[]", object), pa.string()),
        "shop_url": pa.array(np.full(len(order), world.shop_url, object), pa.string()),
    }
    return columns, updated, bad_rows


def _delivered_versions(
    world: World, b: OrderBatch, v: dict
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Order, version and update time of each delivered version.

    A version is delivered unless a later version replaced it before the next sync ran.
    """
    n = len(b.ids)
    times = np.full((n, 4), np.iinfo(np.int64).max)
    times[:, CREATED] = b.created_ms + 30_000
    times[v["fulfilled"], FULFILLED] = v["fulfil_ms"][v["fulfilled"]]
    times[v["refunded"], REFUNDED] = v["refund_ms"][v["refunded"]]
    times[v["cancelled"], CANCELLED] = v["cancel_ms"][v["cancelled"]]
    exists = times < np.iinfo(np.int64).max
    sync = np.where(exists, world.clock.sync_of(np.where(exists, times, 0)), 10**9)
    later_sync = np.minimum.accumulate(sync[:, ::-1], axis=1)[:, ::-1]
    next_sync = np.concatenate([later_sync[:, 1:], np.full((n, 1), 10**9)], axis=1)
    delivered = exists & (sync < next_sync)
    order, version = np.nonzero(delivered)
    return order, version, times[order, version]


def _financial_status(v: dict, order: np.ndarray, version: np.ndarray) -> np.ndarray:
    """The payment state each version shows (object array: bad input overwrites some)."""
    pending = v["pending"][order]
    return np.select(
        [version == CREATED, version == FULFILLED, version == REFUNDED],
        [
            np.where(pending, "pending", "paid"),
            "paid",
            np.where(v["partial"][order], "partially_refunded", "refunded"),
        ],
        default=np.where(pending, "voided", "refunded"),
    ).astype(object)


def _money_set(cents: np.ndarray, presentment: np.ndarray) -> pa.Array:
    """Shopify's money set: the amount in shop and in presentment currency.

    `presentment` is each row's currency: 0 = shop currency, k = k-th of PRESENTMENT_RATES_E4.
    """
    currency = np.array([SHOP_CURRENCY, *PRESENTMENT_RATES_E4], object)[presentment]
    rate_e4 = np.array([10_000, *PRESENTMENT_RATES_E4.values()])[presentment]
    presented = (cents * rate_e4 + 5_000) // 10_000  # rounded to cents, half up
    return obj(
        shop_money=obj(amount=quoted(money_text(cents)), currency_code=quoted(SHOP_CURRENCY)),
        presentment_money=obj(
            amount=quoted(money_text(presented)),
            currency_code=quoted(strings(currency)),
        ),
    )


def _order_customer(world: World, customer: np.ndarray, emails: pa.Array) -> pa.Array:
    """The customer as the order embeds it."""
    return obj(
        id=text(world.customer_ids[customer]),
        email=quoted(emails),
        first_name=quoted(pick(FIRST_NAMES, world.first[customer])),
        last_name=quoted(pick(LAST_NAMES, world.last[customer])),
        state=quoted("enabled"),
        verified_email="true",
        currency=quoted("USD"),
    )


def _order_lines(world: World, b: OrderBatch, v: dict, order: np.ndarray) -> dict[str, pa.Array]:
    """The discount code, shipping and tax lines of each row."""
    codes = np.array(world.discount_codes, object)[v["code"][order]]
    discount_codes = where(
        v["has_code"][order],
        cat(
            '[{"code":"',
            strings(codes),
            '","amount":"',
            money_text(v["discounts"][order]),
            '","type":"percentage"}]',
        ),
        "[]",
    )
    shipping_lines = cat(
        '[{"id":',
        text(b.ids[order] + 11),
        ',"title":"Standard Shipping","code":"STANDARD","source":"shopify","price":"',
        money_text(v["shipping"][order]),
        '","discounted_price":"',
        money_text(v["shipping"][order]),
        '"}]',
    )
    tax_lines = cat(
        '[{"title":"Sales Tax","rate":0.08,"price":"', money_text(v["tax"][order]), '"}]'
    )
    return {
        "discount_codes": discount_codes,
        "shipping_lines": shipping_lines,
        "tax_lines": tax_lines,
    }


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


def _address(world: World, person: np.ndarray) -> pa.Array:
    city = world.city[person]
    col = [np.array([c[i] for c in CITIES], object)[city] for i in range(5)]
    return obj(
        first_name=quoted(pick(FIRST_NAMES, world.first[person])),
        last_name=quoted(pick(LAST_NAMES, world.last[person])),
        address1=cat('"', text(person % 900 + 1), ' Main Street"'),
        city=quoted(strings(col[0])),
        province=quoted(strings(col[1])),
        country=quoted(strings(col[2])),
        country_code=quoted(strings(col[3])),
        zip=quoted(strings(col[4])),
    )


def _refund_rows(world: World, b: OrderBatch, v: dict):
    m = np.flatnonzero(v["has_refund"])
    created = v["refund_at"][m]
    columns = {
        "id": pa.array(REFUND_ID_BASE + b.index[m]),
        "order_id": pa.array(b.ids[m]),
        "created_at": ts(created),
        "processed_at": ts(created),
        "note": pa.array(
            np.where(
                v["cancelled"][m],
                "Order cancelled",
                np.where(v["partial"][m], "Customer return", None),
            ),
            pa.string(),
        ),
        "restock": pa.array(np.ones(len(m), bool)),
        "refund_line_items": v["refund_line_items"].take(m),
        "order_adjustments": v["adjustments"].take(m),
        "transactions": v["refund_transactions"].take(m),
        "shop_url": pa.array(np.full(len(m), world.shop_url, object), pa.string()),
    }
    return columns, created


def _transaction_rows(world: World, b: OrderBatch, v: dict):
    n = len(b.ids)
    pending = v["pending"]
    # sale (or authorization), capture of pending payments at fulfillment, refund or void.
    parts = [
        (
            np.arange(n),
            0,
            np.where(pending, "authorization", "sale"),
            b.created_ms + 20_000,
            b.total_cents,
            -1,
        ),
        (np.flatnonzero(pending & v["fulfilled"]), 2, "capture", None, None, 0),
        (np.flatnonzero(v["has_refund"]), 1, "refund", None, None, 0),
        (np.flatnonzero(pending & v["cancelled"]), 3, "void", None, None, 0),
    ]
    order, slot, kind, created, amount, parent = [], [], [], [], [], []
    for idx, s, k, t, a, p in parts:
        order.append(idx)
        slot.append(np.full(len(idx), s))
        kind.append(
            np.broadcast_to(np.asarray(k, object), idx.shape)
            if np.ndim(k) == 0
            else np.asarray(k, object)[idx]
        )
        if s == 2:
            t, a = v["fulfil_ms"][idx], b.total_cents[idx]
        elif s == 1:
            t, a = v["refund_at"][idx], b.refunded_cents[idx]
        elif s == 3:
            t, a = v["cancel_ms"][idx], b.total_cents[idx]
        created.append(t if len(t) == len(idx) else t[idx])
        amount.append(a if len(a) == len(idx) else a[idx])
        parent.append(np.full(len(idx), p))
    order, slot = np.concatenate(order), np.concatenate(slot)
    created, amount, parent = map(np.concatenate, (created, amount, parent))
    kind = np.concatenate(kind)
    sale_id = TRANSACTION_ID_BASE + b.index[order] * 4
    columns = {
        "id": pa.array(sale_id + slot),
        "order_id": pa.array(b.ids[order]),
        "parent_id": pa.array(sale_id, mask=parent < 0),
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


def _fulfillment_rows(world: World, rng: np.random.Generator, b: OrderBatch, v: dict):
    """A fulfillment is delivered when shipped (in transit) and again once delivered."""
    m = np.flatnonzero(v["fulfilled"])
    shipped = v["fulfil_ms"][m]
    delivered_ms = shipped + rng.integers(DAY_MS, 5 * DAY_MS, len(m))
    arrived = delivered_ms < world.clock.now_ms
    order = np.concatenate([m, m[arrived]])
    updated = np.concatenate([shipped, delivered_ms[arrived]])
    status = np.concatenate(
        [np.full(len(m), "in_transit", object), np.full(int(arrived.sum()), "delivered", object)]
    )
    items = v["item_order"]
    fulfilled_items = json_lists(
        obj(id=text(v["li_ids"]), quantity=text(v["item_quantity"])), items, len(b.ids)
    )
    columns = {
        "id": pa.array(FULFILLMENT_ID_BASE + b.index[order]),
        "order_id": pa.array(b.ids[order]),
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


class CustomerTotals:
    """Per-customer order count, spend and first/last order, accumulated over order batches."""

    def __init__(self, n: int):
        self.count = np.zeros(n, np.int64)
        self.spent = np.zeros(n, np.int64)
        self.first = np.full(n, np.iinfo(np.int64).max)
        self.last = np.zeros(n, np.int64)

    def add(self, b: OrderBatch) -> None:
        np.add.at(self.count, b.customer, 1)
        np.add.at(self.spent, b.customer, b.total_cents - b.refunded_cents)
        np.minimum.at(self.first, b.customer, b.created_ms)
        np.maximum.at(self.last, b.customer, b.created_ms)


def write_orders(writer: Writer, world: World, on_batch) -> CustomerTotals:
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


def write_customers(writer: Writer, world: World, totals: CustomerTotals) -> None:
    """A customer is delivered when created and again after their last order."""
    rng = rng_for(world.seed, "customers")
    n = world.sizes.customers
    has_orders = totals.count > 0
    created = np.where(
        has_orders, totals.first - rng.integers(60_000, 3_600_000, n), world.profile_created_ms[:n]
    )
    created = np.minimum(created, world.clock.now_ms - DAY_MS)
    last_update = totals.last + 60_000
    second = has_orders & (world.clock.sync_of(last_update) > world.clock.sync_of(created))
    person = np.concatenate([np.arange(n), np.flatnonzero(second)])
    is_second = np.arange(len(person)) >= n
    updated = np.where(is_second, last_update[person], created[person])
    first_version_count = np.where(has_orders, 1, 0)[person]
    first_version_spent = np.zeros(len(person), np.int64)
    count = np.where(is_second | ~second[person], totals.count[person], first_version_count)
    spent = np.where(is_second | ~second[person], totals.spent[person], first_version_spent)
    subscribed = (person % 5) != 0
    consent = obj(
        state=where(subscribed, quoted("subscribed"), quoted("not_subscribed")),
        opt_in_level=quoted("single_opt_in"),
        consent_updated_at=quoted(iso(created[person], SHOP_UTC_OFFSET, SHOP_OFFSET_MS)),
    )
    columns = {
        "id": pa.array(world.customer_ids[person]),
        "email": world.emails.take(person),
        "first_name": pick(FIRST_NAMES, world.first[person]),
        "last_name": pick(LAST_NAMES, world.last[person]),
        "state": pa.array(np.where(has_orders[person], "enabled", "disabled"), pa.string()),
        "orders_count": pa.array(count),
        "total_spent": money(spent),
        "currency": pa.array(np.full(len(person), "USD", object), pa.string()),
        "tags": pa.array(np.where(person < 50, "vip", ""), pa.string()),
        "verified_email": pa.array(np.ones(len(person), bool)),
        "created_at": ts(created[person]),
        "updated_at": ts(updated),
        "default_address": _address(world, person),
        "email_marketing_consent": consent,
        "shop_url": pa.array(np.full(len(person), world.shop_url, object), pa.string()),
    }
    writer.write("shopify", "customers", columns, updated)


def write_catalogue(writer: Writer, world: World) -> None:
    """Products, variants, inventory items and levels, discount codes (small: plain Python).

    The tables draw from one generator in turn, so their order is part of the output.
    """
    rng = rng_for(world.seed, "catalogue-rows")
    _write_products(writer, world, rng)
    _write_variants(writer, world, rng)
    _write_inventory_items(writer, world)
    _write_inventory_levels(writer, world, rng)
    _write_discount_codes(writer, world, rng)


def _write_products(writer: Writer, world: World, rng: np.random.Generator) -> None:
    """Every product arrives with the first sync; a fifth get an update during the history."""
    n = len(world.product_ids)
    changed = rng.random(n) < 0.2
    change_ms = world.clock.day0_ms + rng.integers(DAY_MS, (HISTORY_DAYS - 1) * DAY_MS, n)
    products = np.concatenate([np.arange(n), np.flatnonzero(changed)])
    updated = np.concatenate([world.product_created_ms, change_ms[changed]])
    variants_of = [np.flatnonzero(world.variant_product == p) for p in range(n)]

    writer.write(
        "shopify",
        "products",
        {
            "id": pa.array(world.product_ids[products]),
            "title": pick(world.product_titles, products),
            "handle": pick(world.product_handles, products),
            "vendor": pa.array(["Northwind Outfitters"] * len(products)),
            "product_type": pick(world.product_types, products),
            "status": pa.array(["active"] * len(products)),
            "tags": pa.array(np.where(np.arange(len(products)) >= n, "sale", "new"), pa.string()),
            "created_at": ts(world.product_created_ms[products]),
            "updated_at": ts(updated),
            "published_at": ts(world.product_created_ms[products] + HOUR_MS),
            "variants": pa.array(
                [compact_json([_variant_json(world, v) for v in variants_of[p]]) for p in products]
            ),
            "shop_url": pa.array([world.shop_url] * len(products)),
        },
        updated,
    )


def _variant_json(world: World, v: int) -> dict:
    """A variant as its product embeds it."""
    return {
        "id": int(world.variant_ids[v]),
        "product_id": int(world.product_ids[world.variant_product[v]]),
        "title": world.variant_titles[v],
        "sku": world.variant_skus[v],
        "price": f"{world.variant_price_cents[v] / 100:.2f}",
        "inventory_item_id": int(world.inventory_item_ids[v]),
    }


def _write_variants(writer: Writer, world: World, rng: np.random.Generator) -> None:
    """Variants, delivered once, with their product."""
    nv = len(world.variant_ids)
    v_created = world.product_created_ms[world.variant_product]
    stock = rng.integers(0, 400, nv)
    writer.write(
        "shopify",
        "product_variants",
        {
            "id": pa.array(world.variant_ids),
            "product_id": pa.array(world.product_ids[world.variant_product]),
            "inventory_item_id": pa.array(world.inventory_item_ids),
            "sku": pa.array(world.variant_skus, pa.string()),
            "title": pa.array(world.variant_titles, pa.string()),
            "price": money(world.variant_price_cents),
            "compare_at_price": pa.array(
                np.where(
                    rng.random(nv) < 0.3,
                    money_text(world.variant_price_cents + 1000).to_numpy(zero_copy_only=False),
                    None,
                ),
                pa.string(),
            ),
            "inventory_quantity": pa.array(stock),
            "created_at": ts(v_created),
            "updated_at": ts(v_created),
            "shop_url": pa.array([world.shop_url] * nv),
        },
        v_created,
    )


def _write_inventory_items(writer: Writer, world: World) -> None:
    """Inventory items, one per variant, delivered once with it."""
    nv = len(world.variant_ids)
    v_created = world.product_created_ms[world.variant_product]
    writer.write(
        "shopify",
        "inventory_items",
        {
            "id": pa.array(world.inventory_item_ids),
            "sku": pa.array(world.variant_skus, pa.string()),
            "cost": money(world.variant_cost_cents),
            "tracked": pa.array(np.ones(nv, bool)),
            "created_at": ts(v_created),
            "updated_at": ts(v_created),
            "shop_url": pa.array([world.shop_url] * nv),
        },
        v_created,
    )


def _write_inventory_levels(writer: Writer, world: World, rng: np.random.Generator) -> None:
    """Levels per (location, item): the first sync, then one recount near the end."""
    nv = len(world.variant_ids)
    rows = []
    for loc, _name in LOCATIONS:
        for v in range(nv):
            for when in (
                world.clock.day0_ms - DAY_MS,
                world.clock.now_ms - int(rng.integers(2, 40)) * HOUR_MS,
            ):
                available = int(rng.integers(0, 300))
                q = {
                    "available": available,
                    "incoming": int(rng.integers(0, 50)),
                    "committed": int(rng.integers(0, 20)),
                    "damaged": int(rng.integers(0, 3)),
                    "quality_control": 0,
                    "reserved": int(rng.integers(0, 5)),
                    "safety_stock": 10,
                }
                q["on_hand"] = available + q["committed"] + q["reserved"]
                rows.append(
                    (
                        loc,
                        v,
                        when,
                        available,
                        compact_json([{"name": k, "quantity": val} for k, val in q.items()]),
                    )
                )
    loc, v, when, available, quantities = map(list, zip(*rows, strict=True))
    when = np.array(when)
    writer.write(
        "shopify",
        "inventory_levels",
        {
            "id": pa.array(
                [f"{lo}|{world.inventory_item_ids[x]}" for lo, x in zip(loc, v, strict=True)]
            ),
            "location_id": pa.array(loc, pa.int64()),
            "inventory_item_id": pa.array(world.inventory_item_ids[v]),
            "available": pa.array(available, pa.int64()),
            "quantities": pa.array(quantities),
            "created_at": ts(np.full(len(rows), world.clock.day0_ms - 200 * DAY_MS)),
            "updated_at": ts(when),
            "shop_url": pa.array([world.shop_url] * len(rows)),
        },
        when,
    )


def _write_discount_codes(writer: Writer, world: World, rng: np.random.Generator) -> None:
    """Discount codes, one row each: last updated two days after the start (or before NOW)."""
    k = len(world.discount_codes)
    starts = world.clock.day0_ms + rng.integers(-30, HISTORY_DAYS - 10, k) * DAY_MS
    code_updated = np.minimum(starts + 2 * DAY_MS, world.clock.now_ms - HOUR_MS)
    writer.write(
        "shopify",
        "discount_codes",
        {
            "id": pa.array(15_000_000_000 + np.arange(k) * 5),
            "price_rule_id": pa.array(1_400_000_000_000 + np.arange(k) * 3),
            "code": pa.array(world.discount_codes),
            "title": pa.array([f"{p}% off" for p in world.discount_percent]),
            "status": pa.array(
                np.where(starts + 60 * DAY_MS < world.clock.now_ms, "expired", "active"),
                pa.string(),
            ),
            "discount_type": pa.array(["percentage"] * k),
            "usage_count": pa.array(rng.integers(0, 500, k)),
            "starts_at": ts(starts),
            "ends_at": ts(starts + 60 * DAY_MS),
            "created_at": ts(starts - DAY_MS),
            "updated_at": ts(code_updated),
            "shop_url": pa.array([world.shop_url] * k),
        },
        code_updated,
    )


def write_abandoned_checkouts(writer: Writer, world: World) -> None:
    step = BATCH_ROWS
    for start in range(0, world.sizes.abandoned_checkouts, step):
        stop = min(world.sizes.abandoned_checkouts, start + step)
        rng = rng_for(world.seed, "checkouts", start)
        n = stop - start
        index = np.arange(start, stop)
        created = world.clock.day0_ms + rng.integers(0, HISTORY_DAYS * DAY_MS - HOUR_MS, n)
        updated = created + rng.integers(60_000, HOUR_MS, n)
        person = rng.integers(0, world.sizes.customers, n)
        guest = rng.random(n) < 0.15
        n_items = rng.choice([1, 2, 3], n, p=[0.6, 0.3, 0.1])
        owner = np.repeat(np.arange(n), n_items)
        variant = rng.choice(len(world.variant_ids), len(owner), p=world.variant_weights)
        qty = rng.choice([1, 1, 2], len(owner))
        price = world.variant_price_cents[variant]
        subtotal = np.bincount(owner, price * qty, n).astype(np.int64)
        items = json_lists(
            obj(
                variant_id=text(world.variant_ids[variant]),
                product_id=text(world.product_ids[world.variant_product[variant]]),
                title=quoted(pick(world.product_titles, world.variant_product[variant])),
                quantity=text(qty),
                price=quoted(money_text(price)),
            ),
            owner,
            n,
        )
        emails = replace_rows(world.emails.take(person), guest, [None] * int(guest.sum()))
        tokens = pc.replace_substring(uuids(rng, n), "-", "")
        writer.write(
            "shopify",
            "abandoned_checkouts",
            {
                "id": pa.array(CHECKOUT_ID_BASE + index * 5 + 2),
                "token": tokens,
                "cart_token": cat("c1-", tokens),
                "email": emails,
                "currency": pa.array(["USD"] * n),
                "created_at": ts(created),
                "updated_at": ts(updated),
                "completed_at": ts(updated, mask=np.ones(n, bool)),
                "total_price": money(subtotal),
                "subtotal_price": money(subtotal),
                "total_discounts": money(np.zeros(n, np.int64)),
                "customer": where(
                    guest,
                    "null",
                    obj(
                        id=text(world.customer_ids[person]), email=quoted(world.emails.take(person))
                    ),
                ),
                "line_items": items,
                "discount_codes": pa.array(["[]"] * n),
                "shop_url": pa.array([world.shop_url] * n),
            },
            updated,
        )
