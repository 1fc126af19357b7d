"""The people streams: customers (delivered when created and again after their last order),
abandoned checkouts, and the address every Shopify record of a person carries."""

from __future__ import annotations

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
    ts,
    uuids,
    where,
)
from ecom_analytics.sample_data.shopify.orders import CustomerTotals
from ecom_analytics.sample_data.world import CITIES, FIRST_NAMES, LAST_NAMES, World

CHECKOUT_ID_BASE = 3_300_000_000_000


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
        "default_address": address(world, person),
        "email_marketing_consent": consent,
        "shop_url": pa.array(np.full(len(person), world.shop_url, object), pa.string()),
    }
    writer.write("shopify", "customers", columns, updated)


def address(world: World, person: np.ndarray) -> pa.Array:
    """A person's address (billing, shipping, default: all the same)."""
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


def write_abandoned_checkouts(writer: Writer, world: World) -> None:
    """Checkouts left before payment, each delivered once, batch by batch."""
    for start in range(0, world.sizes.abandoned_checkouts, BATCH_ROWS):
        stop = min(world.sizes.abandoned_checkouts, start + BATCH_ROWS)
        columns, updated = _checkout_rows(world, start, stop)
        writer.write("shopify", "abandoned_checkouts", columns, updated)


def _checkout_rows(world: World, start: int, stop: int) -> tuple[dict[str, pa.Array], np.ndarray]:
    """Checkouts start..stop-1: a known customer's (15% guests, without email) and its items."""
    rng = rng_for(world.seed, "checkouts", start)
    n = stop - start
    index = np.arange(start, stop)
    created = world.clock.day0_ms + rng.integers(0, HISTORY_DAYS * DAY_MS - HOUR_MS, n)
    updated = created + rng.integers(60_000, HOUR_MS, n)
    person = rng.integers(0, world.sizes.customers, n)
    guest = rng.random(n) < 0.15
    items, subtotal = _checkout_items(world, rng, n)
    emails = replace_rows(world.emails.take(person), guest, [None] * int(guest.sum()))
    tokens = pc.replace_substring(uuids(rng, n), "-", "")
    customer = obj(id=text(world.customer_ids[person]), email=quoted(world.emails.take(person)))
    columns = {
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
        "customer": where(guest, "null", customer),
        "line_items": items,
        "discount_codes": pa.array(["[]"] * n),
        "shop_url": pa.array([world.shop_url] * n),
    }
    return columns, updated


def _checkout_items(world: World, rng: np.random.Generator, n: int) -> tuple[pa.Array, np.ndarray]:
    """Each of n checkouts' line items (JSON) and their subtotal in cents."""
    item_count = rng.choice([1, 2, 3], n, p=[0.6, 0.3, 0.1])
    owner = np.repeat(np.arange(n), item_count)
    variant = rng.choice(len(world.variant_ids), len(owner), p=world.variant_weights)
    quantity = rng.choice([1, 1, 2], len(owner))
    price = world.variant_price_cents[variant]
    subtotal = np.bincount(owner, price * quantity, n).astype(np.int64)
    items = json_lists(
        obj(
            variant_id=text(world.variant_ids[variant]),
            product_id=text(world.product_ids[world.variant_product[variant]]),
            title=quoted(pick(world.product_titles, world.variant_product[variant])),
            quantity=text(quantity),
            price=quoted(money_text(price)),
        ),
        owner,
        n,
    )
    return items, subtotal
