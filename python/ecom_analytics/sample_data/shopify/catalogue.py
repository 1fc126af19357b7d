"""The catalogue's streams: products, variants, inventory items and levels, discount codes.

Few rows, so some are built in plain Python. The tables draw from one generator in turn, so
their order is part of the output.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ecom_analytics.sample_data.common import (
    DAY_MS,
    HISTORY_DAYS,
    HOUR_MS,
    Writer,
    compact_json,
    money,
    money_text,
    pick,
    rng_for,
    ts,
)
from ecom_analytics.sample_data.world import LOCATIONS, World


def write_catalogue(writer: Writer, world: World) -> None:
    """Products, variants, inventory items and levels, discount codes."""
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
    variants_of = [np.flatnonzero(world.variant_product == product) for product in range(n)]

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
                [
                    compact_json(
                        [_variant_json(world, variant) for variant in variants_of[product]]
                    )
                    for product in products
                ]
            ),
            "shop_url": pa.array([world.shop_url] * len(products)),
        },
        updated,
    )


def _variant_json(world: World, variant: int) -> dict:
    """A variant as its product embeds it."""
    return {
        "id": int(world.variant_ids[variant]),
        "product_id": int(world.product_ids[world.variant_product[variant]]),
        "title": world.variant_titles[variant],
        "sku": world.variant_skus[variant],
        "price": f"{world.variant_price_cents[variant] / 100:.2f}",
        "inventory_item_id": int(world.inventory_item_ids[variant]),
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
    rows = []
    for location, _name in LOCATIONS:
        for variant in range(len(world.variant_ids)):
            for when in (
                world.clock.day0_ms - DAY_MS,
                world.clock.now_ms - int(rng.integers(2, 40)) * HOUR_MS,
            ):
                available, quantities = _inventory_quantities(rng)
                rows.append((location, variant, when, available, quantities))
    location, variant, when, available, quantities = map(list, zip(*rows, strict=True))
    when = np.array(when)
    item_ids = world.inventory_item_ids[variant]
    writer.write(
        "shopify",
        "inventory_levels",
        {
            "id": pa.array([f"{lo}|{item}" for lo, item in zip(location, item_ids, strict=True)]),
            "location_id": pa.array(location, pa.int64()),
            "inventory_item_id": pa.array(item_ids),
            "available": pa.array(available, pa.int64()),
            "quantities": pa.array(quantities),
            "created_at": ts(np.full(len(rows), world.clock.day0_ms - 200 * DAY_MS)),
            "updated_at": ts(when),
            "shop_url": pa.array([world.shop_url] * len(rows)),
        },
        when,
    )


def _inventory_quantities(rng: np.random.Generator) -> tuple[int, str]:
    """One level's available quantity and its quantities by name, as JSON."""
    available = int(rng.integers(0, 300))
    quantities = {
        "available": available,
        "incoming": int(rng.integers(0, 50)),
        "committed": int(rng.integers(0, 20)),
        "damaged": int(rng.integers(0, 3)),
        "quality_control": 0,
        "reserved": int(rng.integers(0, 5)),
        "safety_stock": 10,
    }
    quantities["on_hand"] = available + quantities["committed"] + quantities["reserved"]
    named = [{"name": name, "quantity": value} for name, value in quantities.items()]
    return available, compact_json(named)


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
