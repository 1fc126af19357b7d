"""Curated Shopify datasets on the real engine: materialized views fire on raw inserts and
collapse re-deliveries; one table is fed by several shops.

The module works on a copy of the two-shop database (helpers/shopify.py: sample data in
`raw_shopify`, hand-made rows in `raw_shopify_eu`, curated Shopify models built once). Every
test only inserts raw rows and reads: no further dbt run. Hand-made rows go to
`raw_shopify_eu` with ids of their own per test, so the tests do not depend on each other.
test_curated_shopify_bad_input.py keeps bad rows; test_curated_shopify_reconcile.py
reconciles with raw.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from helpers import Project, one, rows
from helpers.shopify import (
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
    # held for the module's tests (Project.held): each opens a client, most of a second apiece
    with two_shops.held():
        yield two_shops


def test_two_shops_feed_one_table_tagged_by_source_relation(shop):
    with shop.client() as client:
        insert(client, f"{EU}.orders", order(5001, "2024-04-02 09:00:00.000"))
        found = rows(
            client,
            "select source_relation, email from data_shopify.orders final "
            f"where order_id = {shop.colliding_id} order by source_relation",
        )
        shops = rows(
            client,
            "select source_relation, count() as n from data_shopify.orders final "
            "group by 1 order by 1",
        )
        generated = one(client, f"select uniqExact(id) as n from {SHOP}.orders")["n"]
    assert [row["source_relation"] for row in found] == [SHOP, EU]
    assert found[1]["email"] == "eu@shop.example"
    # Both shops' orders, each tagged with its raw database: all generated ones, 2 hand-made.
    assert shops == [{"source_relation": SHOP, "n": generated}, {"source_relation": EU, "n": 2}]


@pytest.fixture(scope="module")
def new_batch(shop):
    """One hand-made raw row per Shopify stream, inserted after the build: the materialized
    views must bring each into curated with no dbt run."""
    with shop.client() as client:
        insert_rows(client, NEW_ROWS)
    return shop


def test_new_order_appears_parsed_without_dbt_run(new_batch):
    utm = "utm_source, utm_medium, utm_campaign, utm_content, utm_term"
    with new_batch.client() as client:
        got = single(
            curated(
                client,
                "orders",
                f"email, shipping_price, {utm}, presentment_currency, presentment_total_price, "
                "presentment_shipping_price, presentment_total_tax, _dq_issues",
                "order_id = 1001",
            )
        )
    assert got == {
        "email": "ana@example.com",
        "shipping_price": Decimal("6.00"),
        "utm_source": "newsletter",
        "utm_medium": "email",
        "utm_campaign": "spring sale",
        "utm_content": "hero banner",
        "utm_term": "tee",
        "presentment_currency": "CHF",
        "presentment_total_price": Decimal("47.50"),
        "presentment_shipping_price": Decimal("5.70"),
        "presentment_total_tax": None,  # no total_tax_set on this row
        "_dq_issues": [],
    }


def test_new_order_lines_and_discount_codes_appear(new_batch):
    with new_batch.client() as client:
        line = single(
            curated(client, "order_lines", "quantity, price, line_discount", "order_id = 1001")
        )
        code = single(curated(client, "order_discount_codes", "code, amount", "order_id = 1001"))
    assert line == {"quantity": 3, "price": Decimal("15"), "line_discount": Decimal("3.00")}
    assert code == {"code": "SPRING10", "amount": Decimal("5")}


def test_new_refund_and_its_lines_and_adjustments_appear(new_batch):
    with new_batch.client() as client:
        refund = single(
            curated(
                client,
                "refunds",
                "refund_lines_subtotal, refund_lines_tax, order_adjustments_amount, "
                "refunded_amount",
                "refund_id = 1101",
            )
        )
        refund_line = single(
            curated(client, "refund_lines", "line_item_id, quantity", "refund_id = 1101")
        )
        adjustment = single(
            curated(client, "order_adjustments", "kind, amount", "refund_id = 1101")
        )
    assert refund == {
        "refund_lines_subtotal": Decimal("15"),
        "refund_lines_tax": Decimal("1.2"),
        "order_adjustments_amount": Decimal("-4.9"),
        "refunded_amount": Decimal("16.2"),  # the failed refund transaction does not count
    }
    assert refund_line == {"line_item_id": 10011, "quantity": 1}
    assert adjustment == {"kind": "shipping_refund", "amount": Decimal("-4.9")}


def test_new_inventory_level_is_unnested_by_state(new_batch):
    levels = new_batch.query(
        "select state, quantity from data_shopify.inventory_levels final "
        f"where source_relation = '{EU}' and inventory_level_id = '1801|1701' order by state"
    )
    assert levels == [("available", 5), ("on_hand", 7)]


def test_every_other_new_entity_appears_once(new_batch):
    with new_batch.client() as client:
        singles = {
            table: single(curated(client, table, "count() as n", f"{key} = {value}"))["n"]
            for table, key, value in [
                ("transactions", "transaction_id", 1201),
                ("fulfillments", "fulfillment_id", 1301),
                ("customers", "customer_id", 1401),
                ("products", "product_id", 1501),
                ("inventory_items", "inventory_item_id", 1701),
                ("abandoned_checkouts", "checkout_id", 1901),
                ("abandoned_checkout_lines", "checkout_id", 1901),
                ("discount_codes", "discount_code_id", 2001),
            ]
        }
        variant = single(
            curated(client, "product_variants", "compare_at_price", "variant_id = 1601")
        )
        customer = single(
            curated(client, "customers", "email, email_marketing_state", "customer_id = 1401")
        )
    assert singles == dict.fromkeys(singles, 1)
    assert variant == {"compare_at_price": Decimal("19.9")}
    assert customer == {"email": "ana@example.com", "email_marketing_state": "subscribed"}


def test_redelivery_and_newer_versions_leave_one_current_row(shop):
    where = f"source_relation = '{EU}' and order_id = 2001"
    with shop.client() as client:
        deliver_order_versions(client)
        current = rows(
            client,
            "select financial_status, fulfillment_status, current_total_price, updated_at "
            f"from data_shopify.orders final where {where}",
        )
        lines = rows(
            client, f"select quantity, price from data_shopify.order_lines final where {where}"
        )
        refunds = rows(
            client, f"select refund_lines_subtotal from data_shopify.refunds final where {where}"
        )
        # FINAL is how readers collapse; merges make the duplicates go away for good.
        client.command("optimize table data_shopify.orders final")
        merged = one(client, f"select count() as n from data_shopify.orders where {where}")["n"]
    assert len(current) == 1
    assert current[0]["financial_status"] == "refunded"
    assert current[0]["fulfillment_status"] == "fulfilled"
    assert current[0]["current_total_price"] == Decimal("0")
    assert str(current[0]["updated_at"]).startswith("2024-04-03 10:00:00")
    assert lines == [{"quantity": 2, "price": Decimal("24")}]
    assert refunds == [{"refund_lines_subtotal": Decimal("48")}]
    assert merged == 1
