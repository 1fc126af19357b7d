"""Curated Shopify datasets on the real engine: materialized views fire on raw inserts, collapse
re-deliveries, keep bad input, feed one table from several shops, and reconcile with raw.

One module set-up: two raw shop databases, generated sample data in the first
(`raw_shopify`), a few hand-made rows in the second (`raw_shopify_eu`), then one `dbt build`
of the curated Shopify models (which also runs their YAML tests). Every test after that only
inserts raw rows and reads: no further dbt run. Hand-made rows go to `raw_shopify_eu` with ids
of their own per test, so the tests do not depend on each other.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from operator import itemgetter

import pytest
from helpers import insert_json_rows, newest_per_key, one, rows

VARS = "{shopify_raw_databases: [raw_shopify, raw_shopify_eu]}"
SHOP = "raw_shopify"  # generated sample data
EU = "raw_shopify_eu"  # hand-made rows

AIRBYTE = {
    "_airbyte_raw_id": "r",
    "_airbyte_extracted_at": "2024-05-01 00:00:00.000",
    "_airbyte_meta": "{}",
    "_airbyte_generation_id": 0,
}


def insert(client, table: str, *records: dict) -> None:
    insert_json_rows(client, table, ({**AIRBYTE, **record} for record in records))


def single(found: list[dict]) -> dict:
    assert len(found) == 1, found
    return found[0]


def curated(client, table: str, columns: str, condition: str, database: str = EU) -> list[dict]:
    """Current rows (FINAL) of a curated table, for one raw database."""
    return rows(
        client,
        f"select {columns} from data_shopify.{table} final "
        f"where source_relation = '{database}' and {condition}",
    )


def money_set(shop: str, shop_currency: str, presented: str, presentment_currency: str) -> str:
    """Shopify's money set (JSON text): an amount in shop and in presentment currency."""
    return json.dumps(
        {
            "shop_money": {"amount": shop, "currency_code": shop_currency},
            "presentment_money": {"amount": presented, "currency_code": presentment_currency},
        }
    )


def order(order_id: int, updated_at: str, **fields) -> dict:
    return {
        "id": order_id,
        "created_at": "2024-04-01 09:00:00.000",
        "updated_at": updated_at,
        "currency": "EUR",
        "financial_status": "paid",
        "total_price": "50.00",
        "line_items": json.dumps([{"id": order_id * 10 + 1, "quantity": 2, "price": "25.00"}]),
        **fields,
    }


@pytest.fixture(scope="module")
def shop(project):
    project.cli("--vars", VARS, "provision")
    project.cli("--vars", VARS, "sample", "--scale", "0.05", "--replace")
    with project.client() as client:
        # Before the build, so the initial catchup has to bring it in. Its id collides with a
        # generated order of the first shop on purpose.
        colliding_id = one(client, f"select min(id) as id from {SHOP}.orders")["id"]
        insert(
            client,
            f"{EU}.orders",
            order(colliding_id, "2024-04-01 09:00:00.000", email="EU@Shop.Example"),
        )
    project.dbt("build", "--select", "path:curated_datasets/data_shopify", "--vars", VARS)
    project.colliding_id = colliding_id
    return project


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
        insert(
            client,
            f"{EU}.orders",
            order(
                1001,
                "2024-04-01 10:00:00.000",
                email="  Ana@Example.COM ",
                presentment_currency="CHF",
                total_price_set=money_set("50.00", "EUR", "47.50", "CHF"),
                total_shipping_price_set=money_set("6.00", "EUR", "5.70", "CHF"),
                landing_site="/products/tee?utm_source=newsletter&utm_medium=email&utm_campaign=spring+sale"
                "&utm_content=hero%20banner&utm_term=tee",
                shipping_lines=json.dumps([{"price": "4.90"}, {"price": 1.1}]),
                discount_codes=json.dumps(
                    [{"code": "SPRING10", "amount": "5.00", "type": "percentage"}]
                ),
                line_items=json.dumps(
                    [
                        {
                            "id": 10011,
                            "product_id": 7,
                            "variant_id": 70,
                            "sku": "TEE-M",
                            "quantity": 3,
                            "price": "15.00",
                            "discount_allocations": [{"amount": "2.50"}, {"amount": "0.50"}],
                        }
                    ]
                ),
            ),
        )
        insert(
            client,
            f"{EU}.order_refunds",
            {
                "id": 1101,
                "order_id": 1001,
                "created_at": "2024-04-05 10:00:00.000",
                "refund_line_items": json.dumps(
                    [
                        {
                            "line_item_id": 10011,
                            "quantity": 1,
                            "subtotal": "15.00",
                            "total_tax": "1.20",
                        }
                    ]
                ),
                "order_adjustments": json.dumps([{"amount": "-4.90", "kind": "shipping_refund"}]),
                "transactions": json.dumps(
                    [
                        {"kind": "refund", "status": "success", "amount": "16.20"},
                        {"kind": "refund", "status": "failure", "amount": "16.20"},
                    ]
                ),
            },
        )
        insert(
            client,
            f"{EU}.transactions",
            {
                "id": 1201,
                "order_id": 1001,
                "kind": "sale",
                "amount": "47.00",
                "created_at": "2024-04-01 09:00:00.000",
            },
        )
        insert(
            client,
            f"{EU}.fulfillments",
            {
                "id": 1301,
                "order_id": 1001,
                "status": "success",
                "updated_at": "2024-04-02 09:00:00.000",
            },
        )
        insert(
            client,
            f"{EU}.customers",
            {
                "id": 1401,
                "email": "Ana@Example.COM",
                "updated_at": "2024-04-01 09:00:00.000",
                "email_marketing_consent": json.dumps({"state": "subscribed"}),
            },
        )
        insert(
            client,
            f"{EU}.products",
            {"id": 1501, "title": "Tee", "updated_at": "2024-04-01 09:00:00.000"},
        )
        insert(
            client,
            f"{EU}.product_variants",
            {
                "id": 1601,
                "product_id": 1501,
                "compare_at_price": "19.90",
                "updated_at": "2024-04-01 09:00:00.000",
            },
        )
        insert(
            client,
            f"{EU}.inventory_items",
            {"id": 1701, "cost": "6.25", "updated_at": "2024-04-01 09:00:00.000"},
        )
        insert(
            client,
            f"{EU}.inventory_levels",
            {
                "id": "1801|1701",
                "location_id": 1801,
                "inventory_item_id": 1701,
                "updated_at": "2024-04-01 09:00:00.000",
                "quantities": json.dumps(
                    [{"name": "available", "quantity": 5}, {"name": "on_hand", "quantity": 7}]
                ),
            },
        )
        insert(
            client,
            f"{EU}.abandoned_checkouts",
            {
                "id": 1901,
                "email": "X@Y.Z",
                "updated_at": "2024-04-01 09:00:00.000",
                "line_items": json.dumps([{"variant_id": 70, "quantity": 2, "price": "15.00"}]),
            },
        )
        insert(
            client,
            f"{EU}.discount_codes",
            {"id": 2001, "code": "SPRING10", "updated_at": "2024-04-01 09:00:00.000"},
        )
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
    first = order(
        2001, "2024-04-01 10:00:00.000", financial_status="paid", current_total_price="50.00"
    )
    newer = order(
        2001,
        "2024-04-03 10:00:00.000",
        financial_status="refunded",
        fulfillment_status="fulfilled",
        current_total_price="0.00",
        line_items=json.dumps([{"id": 20011, "quantity": 2, "price": "24.00"}]),
    )
    refund = {
        "id": 2101,
        "order_id": 2001,
        "created_at": "2024-04-03 10:00:00.000",
        "refund_line_items": json.dumps(
            [{"line_item_id": 20011, "quantity": 2, "subtotal": "48.00"}]
        ),
    }
    where = f"source_relation = '{EU}' and order_id = 2001"
    with shop.client() as client:
        insert(client, f"{EU}.orders", first)
        insert(client, f"{EU}.orders", first)  # the same sync re-delivered
        insert(client, f"{EU}.orders", newer)
        insert(client, f"{EU}.orders", first)  # an old version arriving late
        for _ in range(2):
            insert(client, f"{EU}.order_refunds", refund)
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


@pytest.fixture(scope="module")
def bad_batch(shop):
    """Raw rows with bad values, inserted after the build: every insert must succeed (the
    materialized views never throw), and every row is kept and flagged, or counted."""
    with shop.client() as client:
        # Every one of these inserts must succeed: the materialized views never throw.
        insert(
            client,
            f"{EU}.orders",
            order(3001, "2024-04-01 10:00:00.000", line_items='[{"id": 30011, "quantity":'),
            # A null id (a loader fills the non-nullable key with 0).
            {**order(3002, "2024-04-01 10:00:00.000"), "id": None, "line_items": "[]"},
            order(
                3003,
                "2024-04-01 10:00:00.000",
                created_at=None,
                refunds=json.dumps([{"id": 1, "created_at": "not a date"}]),
                line_items=json.dumps(
                    [
                        {"quantity": 4, "price": "1.00"},
                        {"id": 30032, "quantity": 1, "price": "1e40"},
                    ]
                ),
                discount_codes=json.dumps([{"amount": "1.00"}]),
            ),
            order(3004, "2024-04-01 10:00:00.000", financial_status="PAID"),
            order(3005, "2024-04-01 10:00:00.000", financial_status="unknown_status"),
            order(
                3006,
                "2024-04-01 10:00:00.000",
                total_price_set=money_set("50.00", "EUR", "47.50", "CHF")[:30],
                total_tax_set="[]",
            ),
        )
        insert(
            client,
            f"{EU}.order_refunds",
            {
                "id": 3101,
                "order_id": None,
                "created_at": "2024-04-02 10:00:00.000",
                "refund_line_items": json.dumps([{"quantity": 1, "subtotal": "1.00"}]),
            },
        )
        insert(
            client,
            f"{EU}.product_variants",
            {
                "id": 3201,
                "compare_at_price": "abc",
                "product_id": 1,
                "updated_at": "2024-04-01 09:00:00.000",
            },
            {
                "id": 3202,
                "compare_at_price": "",
                "product_id": 1,
                "updated_at": "2024-04-01 09:00:00.000",
            },
        )
        insert(
            client,
            f"{EU}.inventory_levels",
            {
                "id": "3301|1",
                "available": 9,
                "quantities": "{oops",
                "updated_at": "2024-04-01 09:00:00.000",
            },
            {
                "id": "3302|1",
                "updated_at": "2024-04-01 09:00:00.000",
                "quantities": json.dumps([{"quantity": 3}, {"name": "available", "quantity": 2}]),
            },
        )
        insert(
            client,
            f"{EU}.customers",
            {
                "id": 3401,
                "updated_at": "2024-04-01 09:00:00.000",
                "email_marketing_consent": '{"consent_updated_at": "garbage"}',
            },
        )
    return shop


def test_bad_orders_stay_in_raw_and_are_kept_and_flagged(bad_batch):
    with bad_batch.client() as client:
        raw_orders = one(
            client, f"select count() as n from {EU}.orders where id in (3001, 0, 3003)"
        )["n"]
        statuses = curated(
            client,
            "orders",
            "order_id, financial_status, presentment_total_price, _dq_issues",
            "order_id in (3001, 0, 3003, 3004, 3005, 3006)",
        )
    issues = {row["order_id"]: row["_dq_issues"] for row in statuses}
    financial = {row["order_id"]: row["financial_status"] for row in statuses}
    assert raw_orders == 3  # bad rows stay in raw
    assert issues[3001] == ["malformed_line_items_json"]
    assert issues[0] == ["missing_order_id"]
    assert issues[3003] == ["invalid_created_at", "unparsable_refund_created_at"]
    assert (financial[3004], issues[3004]) == ("paid", [])
    assert (financial[3005], issues[3005]) == ("unknown_status", ["unexpected_financial_status"])
    # A cut-off money set and one of the wrong JSON type: kept, flagged, no amount.
    assert issues[3006] == ["malformed_total_tax_set_json", "malformed_total_price_set_json"]
    assert [row["presentment_total_price"] for row in statuses if row["order_id"] == 3006] == [None]


def test_an_order_without_created_at_lands_in_one_fixed_partition(bad_batch):
    partition = bad_batch.one(
        "select _partition_id as p from data_shopify.orders "
        f"where source_relation = '{EU}' and order_id = 3003 limit 1"
    )["p"]
    assert partition == "1970"  # a missing created_at still lands in one fixed partition


def test_bad_order_lines_are_kept_and_flagged(bad_batch):
    with bad_batch.client() as client:
        lines = rows(
            client,
            f"select line_item_id, price, _dq_issues from data_shopify.order_lines final "
            f"where source_relation = '{EU}' and order_id in (3001, 3003)",
        )
    assert lines == [{"line_item_id": 30032, "price": None, "_dq_issues": ["missing_price"]}]


def test_a_refund_without_order_is_kept_and_flagged(bad_batch):
    with bad_batch.client() as client:
        refund = single(curated(client, "refunds", "_dq_issues", "refund_id = 3101"))
    assert refund["_dq_issues"] == ["missing_order_id"]


def test_bad_variant_prices_are_kept_and_flagged(bad_batch):
    with bad_batch.client() as client:
        variants = curated(
            client,
            "product_variants",
            "variant_id, compare_at_price, _dq_issues",
            "variant_id in (3201, 3202) order by variant_id",
        )
    assert variants == [
        {
            "variant_id": 3201,
            "compare_at_price": None,
            "_dq_issues": ["unparsable_compare_at_price"],
        },
        {"variant_id": 3202, "compare_at_price": None, "_dq_issues": []},
    ]


def test_bad_inventory_levels_are_kept_and_flagged(bad_batch):
    with bad_batch.client() as client:
        levels = curated(
            client,
            "inventory_levels",
            "inventory_level_id, state, quantity, _dq_issues",
            "inventory_level_id in ('3301|1', '3302|1') order by 1, 2",
        )
    assert levels == [
        {
            "inventory_level_id": "3301|1",
            "state": "available",
            "quantity": 9,
            "_dq_issues": ["missing_quantities", "malformed_quantities_json"],
        },
        {"inventory_level_id": "3302|1", "state": "available", "quantity": 2, "_dq_issues": []},
    ]


def test_a_bad_customer_is_kept_and_flagged(bad_batch):
    with bad_batch.client() as client:
        customer = single(curated(client, "customers", "_dq_issues", "customer_id = 3401"))
    assert customer["_dq_issues"] == [
        "invalid_created_at",
        "unparsable_email_marketing_consent_updated_at",
    ]


def test_children_without_a_key_are_counted_in_data_quality(bad_batch):
    with bad_batch.client() as client:
        unkeyed = rows(
            client,
            "select raw_table, collection, parent_id, element_index, issue "
            f"from data_shopify.data_quality where source_relation = '{EU}' "
            "and parent_id in ('3003', '3101', '3302|1') order by 1, 2, 3",
        )
    assert unkeyed == [
        {
            "raw_table": "inventory_levels",
            "collection": "quantities",
            "parent_id": "3302|1",
            "element_index": 1,
            "issue": "missing_quantity_name",
        },
        {
            "raw_table": "order_refunds",
            "collection": "refund_line_items",
            "parent_id": "3101",
            "element_index": 1,
            "issue": "missing_line_item_id",
        },
        {
            "raw_table": "orders",
            "collection": "discount_codes",
            "parent_id": "3003",
            "element_index": 1,
            "issue": "missing_discount_code",
        },
        {
            "raw_table": "orders",
            "collection": "line_items",
            "parent_id": "3003",
            "element_index": 1,
            "issue": "missing_line_item_id",
        },
    ]


# ---------------------------------------------------------------------------------------------
# Accounting and reconciliation: figures computed in Python from plain SELECTs of raw rows.
# ---------------------------------------------------------------------------------------------

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


def test_reconciliation_with_raw(shop):
    """Distinct orders, total price, units sold and refunds of the generated shop."""
    where = f"source_relation = '{SHOP}'"
    with shop.client() as client:
        raw_orders = current_raw(
            client, SHOP, "orders", "total_price, line_items, presentment_currency, total_price_set"
        )
        raw_refunds = current_raw(client, SHOP, "order_refunds", "refund_line_items, transactions")
        curated = one(
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
        current_lines = CHILDREN["line_items"][2]
        units = one(
            client,
            "select sum(quantity) as n from data_shopify.order_lines final "
            f"where {where} and {current_lines}",
        )["n"]
        unkeyed_units = (
            one(
                client,
                "select sum(JSONExtract(element, 'quantity', 'Nullable(Int64)')) as n "
                f"from data_shopify.data_quality where {where} and collection = 'line_items'",
            )["n"]
            or 0
        )
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

    expected_units = defaultdict(int)
    for row in raw_orders:
        for line in json_list(row["line_items"]):
            expected_units["keyed" if line.get("id") is not None else "unkeyed"] += int(
                line.get("quantity") or 0
            )
    expected_presented = defaultdict(Decimal)
    for row in raw_orders:
        try:
            money = json.loads(row["total_price_set"])
        except (TypeError, ValueError):
            continue  # absent or malformed: no presentment amount
        expected_presented[row["presentment_currency"]] += Decimal(
            money["presentment_money"]["amount"]
        )
    expected_refunded = sum(
        Decimal(str(t["amount"]))
        for row in raw_refunds
        for t in json_list(row["transactions"])
        if t.get("kind") == "refund" and t.get("status") == "success"
    )
    expected_refund_subtotal = sum(
        Decimal(str(line["subtotal"]))
        for row in raw_refunds
        for line in json_list(row["refund_line_items"])
    )

    assert len(raw_orders) > 100 and len(raw_refunds) > 10  # the generator did deliver data
    assert curated["orders"] == len(raw_orders)
    assert curated["total_price"] == sum(row["total_price"] or 0 for row in raw_orders)
    assert presented == expected_presented and len(presented) > 1  # foreign currencies too
    assert units == expected_units["keyed"]
    assert units + unkeyed_units == expected_units["keyed"] + expected_units["unkeyed"]
    assert refunds["refunded"] == expected_refunded
    assert refunds["subtotal"] == refund_lines == expected_refund_subtotal


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
