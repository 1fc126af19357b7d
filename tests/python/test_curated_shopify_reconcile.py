"""Curated Shopify datasets reconcile with raw: every current raw key is one curated row, every
child of a current parent is a curated row or counted as unkeyed, and the generated shop's
orders, totals, units and refunds match figures computed in Python from plain SELECTs of raw
rows; a sync of orders created over decades inserts.

On a copy of the two-shop database, after the hand-made new rows, bad rows and order versions
of helpers/shopify.py arrived in the second shop.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from operator import itemgetter

import pytest
from helpers import Project, newest_per_key, one, rows
from helpers.shopify import (
    BAD_ROWS,
    EU,
    NEW_ROWS,
    SHOP,
    curated,
    deliver_order_versions,
    insert,
    insert_rows,
    order,
    single,
)


@pytest.fixture(scope="module")
def shop(two_shops: Project) -> Iterator[Project]:
    with two_shops.client() as client:
        insert_rows(client, NEW_ROWS)
        deliver_order_versions(client)
        insert_rows(client, BAD_ROWS)
    # held for the module's tests (Project.held): each opens a client, most of a second apiece
    with two_shops.held():
        yield two_shops


TOP_LEVEL = {
    "orders": "orders",
    "customers": "customers",
    "products": "products",
    "product_variants": "product_variants",
    "inventory_items": "inventory_items",
    "abandoned_checkouts": "abandoned_checkouts",
    "discount_codes": "discount_codes",
    "order_refunds": "refunds",
    "fulfillments": "fulfillments",
    "transactions": "transactions",
}
# JSON array column -> (raw table, curated child table, how to keep the current children).
# Child tables keep the children of every delivered parent version (newest per key): the
# current ones carry the version of the parent's current row.
CHILDREN = {
    "line_items": (
        "orders",
        "order_lines",
        "(source_relation, order_id, updated_at) in "
        "(select source_relation, order_id, updated_at from data_shopify.orders final)",
    ),
    "discount_codes": (
        "orders",
        "order_discount_codes",
        "(source_relation, order_id, updated_at) in "
        "(select source_relation, order_id, updated_at from data_shopify.orders final)",
    ),
    "refund_line_items": (
        "order_refunds",
        "refund_lines",
        "(source_relation, refund_id, created_at) in "
        "(select source_relation, refund_id, created_at from data_shopify.refunds final)",
    ),
    # Every level version gives at least one row (see the model), so its newest is current.
    "quantities": (
        "inventory_levels",
        "inventory_levels",
        "(source_relation, inventory_level_id, updated_at) in (select source_relation, "
        "inventory_level_id, max(updated_at) from data_shopify.inventory_levels group by all)",
    ),
}
VERSION = {"order_refunds": "created_at", "transactions": "created_at"}


def current_raw(client, database: str, table: str, columns: str) -> list[dict]:
    """The newest version of each raw row, deduplicated in Python (not with FINAL)."""
    version = VERSION.get(table, "updated_at")
    found = rows(client, f"select id, {version} as _version, {columns} from {database}.{table}")
    return list(newest_per_key(found, itemgetter("id"), itemgetter("_version")).values())


def json_list(text) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


@pytest.mark.parametrize("database", [SHOP, EU])
def test_raw_row_accounting_adds_up(shop, database):
    where = f"source_relation = '{database}'"
    with shop.client() as client:
        for raw_table, table in TOP_LEVEL.items():
            raw_keys = len(current_raw(client, database, raw_table, "1"))
            curated_rows = single(curated(client, table, "count() as n", "true", database))["n"]
            assert curated_rows == raw_keys, raw_table
        for collection, (raw_table, table, current) in CHILDREN.items():
            raw_children = 0
            for row in current_raw(client, database, raw_table, f"{collection} as children"):
                children = json_list(row["children"])
                # A level without usable quantities still gives its `available` figure.
                raw_children += (
                    max(len(children), 1) if collection == "quantities" else len(children)
                )
            curated_rows = single(curated(client, table, "count() as n", current, database))["n"]
            unkeyed = one(
                client,
                f"select count() as n from data_shopify.data_quality where {where} "
                f"and collection = '{collection}'",
            )["n"]
            assert curated_rows + unkeyed == raw_children, collection


def curated_figures(client) -> dict:
    """The generated shop's orders, totals, units and refunds as the curated tables hold them."""
    where = f"source_relation = '{SHOP}'"
    orders = one(
        client,
        f"select count() as orders, sum(total_price) as total_price "
        f"from data_shopify.orders final where {where}",
    )
    presented = {
        row["currency"]: row["total"]
        for row in rows(
            client,
            "select presentment_currency as currency, sum(presentment_total_price) as total "
            f"from data_shopify.orders final where {where} group by 1",
        )
    }
    units = one(
        client,
        "select sum(quantity) as n from data_shopify.order_lines final "
        f"where {where} and {CHILDREN['line_items'][2]}",
    )["n"]
    unkeyed_units = one(
        client,
        "select sum(JSONExtract(element, 'quantity', 'Nullable(Int64)')) as n "
        f"from data_shopify.data_quality where {where} and collection = 'line_items'",
    )["n"]
    refunds = one(
        client,
        f"select sum(refunded_amount) as refunded, sum(refund_lines_subtotal) as subtotal "
        f"from data_shopify.refunds final where {where}",
    )
    refund_lines = one(
        client,
        "select sum(subtotal) as n from data_shopify.refund_lines final "
        f"where {where} and {CHILDREN['refund_line_items'][2]}",
    )["n"]
    return {
        **orders,
        "presented": presented,
        "units": units,
        "unkeyed_units": unkeyed_units or 0,
        "refunded": refunds["refunded"],
        "refund_subtotal": refunds["subtotal"],
        "refund_lines": refund_lines,
    }


def raw_figures(raw_orders: list[dict], raw_refunds: list[dict]) -> dict:
    """The same figures computed here from the current raw rows."""
    units = defaultdict(int)
    for row in raw_orders:
        for line in json_list(row["line_items"]):
            units["keyed" if line.get("id") is not None else "unkeyed"] += int(
                line.get("quantity") or 0
            )
    presented = defaultdict(Decimal)
    for row in raw_orders:
        try:
            money = json.loads(row["total_price_set"])
        except (TypeError, ValueError):
            continue  # absent or malformed: no presentment amount
        presented[row["presentment_currency"]] += Decimal(money["presentment_money"]["amount"])
    return {
        "orders": len(raw_orders),
        "total_price": sum(row["total_price"] or 0 for row in raw_orders),
        "presented": presented,
        "units": units,
        "refunded": sum(
            Decimal(str(t["amount"]))
            for row in raw_refunds
            for t in json_list(row["transactions"])
            if t.get("kind") == "refund" and t.get("status") == "success"
        ),
        "refund_subtotal": sum(
            Decimal(str(line["subtotal"]))
            for row in raw_refunds
            for line in json_list(row["refund_line_items"])
        ),
    }


def test_reconciliation_with_raw(shop):
    """Distinct orders, total price, units sold and refunds of the generated shop."""
    with shop.client() as client:
        raw_orders = current_raw(
            client, SHOP, "orders", "total_price, line_items, presentment_currency, total_price_set"
        )
        raw_refunds = current_raw(client, SHOP, "order_refunds", "refund_line_items, transactions")
        found = curated_figures(client)
    expected = raw_figures(raw_orders, raw_refunds)

    assert len(raw_orders) > 100 and len(raw_refunds) > 10  # the generator did deliver data
    assert found["orders"] == expected["orders"]
    assert found["total_price"] == expected["total_price"]
    # presentment amounts per currency, foreign currencies too
    assert found["presented"] == expected["presented"] and len(found["presented"]) > 1
    assert found["units"] == expected["units"]["keyed"]
    assert found["units"] + found["unkeyed_units"] == sum(expected["units"].values())
    assert found["refunded"] == expected["refunded"]
    assert found["refund_subtotal"] == found["refund_lines"] == expected["refund_subtotal"]


def test_one_sync_of_orders_created_over_decades_inserts(shop):
    """A sync carries orders by updated_at, so a bulk edit sends orders created years apart in
    one insert: the curated views' partitions must not make it touch more than ClickHouse's
    100 partitions per insert block, or the raw insert itself fails."""
    months = 150  # 12.5 years, one order a month, every one with two lines
    records = [
        order(
            5_100_000 + n,
            "2026-11-30 10:00:00.000",
            created_at=f"{2014 + n // 12}-{n % 12 + 1:02d}-15 10:00:00.000",
            line_items=json.dumps(
                [{"id": 51_000_000 + 2 * n + k, "quantity": 1, "price": "9.00"} for k in (0, 1)]
            ),
        )
        for n in range(months)
    ]
    with shop.client() as client:
        insert(client, f"{EU}.orders", *records)
        found = one(
            client,
            "select count() as orders, uniqExact(toYYYYMM(created_at)) as months "
            f"from data_shopify.orders final where source_relation = '{EU}' "
            "and order_id between 5100000 and 5100149",
        )
        lines = one(
            client,
            "select count() as n from data_shopify.order_lines final "
            f"where source_relation = '{EU}' and order_id between 5100000 and 5100149",
        )
    assert found == {"orders": months, "months": months}
    assert lines == {"n": 2 * months}
