"""The curated Shopify tests' world: two shops feeding one curated table (generated sample data
in `raw_shopify`, hand-made rows in `raw_shopify_eu`), and the hand-made rows: one new row per
stream, rows with bad values, one order delivered in several versions.
"""

from __future__ import annotations

import json

from helpers.project import Project
from helpers.raw import insert_json_rows, one, rows

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


# One hand-made raw row per Shopify stream (raw table -> rows), for the second shop.
NEW_ROWS = {
    "orders": [
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
    ],
    "order_refunds": [
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
    ],
    "transactions": [
        {
            "id": 1201,
            "order_id": 1001,
            "kind": "sale",
            "amount": "47.00",
            "created_at": "2024-04-01 09:00:00.000",
        },
    ],
    "fulfillments": [
        {
            "id": 1301,
            "order_id": 1001,
            "status": "success",
            "updated_at": "2024-04-02 09:00:00.000",
        },
    ],
    "customers": [
        {
            "id": 1401,
            "email": "Ana@Example.COM",
            "updated_at": "2024-04-01 09:00:00.000",
            "email_marketing_consent": json.dumps({"state": "subscribed"}),
        },
    ],
    "products": [
        {"id": 1501, "title": "Tee", "updated_at": "2024-04-01 09:00:00.000"},
    ],
    "product_variants": [
        {
            "id": 1601,
            "product_id": 1501,
            "compare_at_price": "19.90",
            "updated_at": "2024-04-01 09:00:00.000",
        },
    ],
    "inventory_items": [
        {"id": 1701, "cost": "6.25", "updated_at": "2024-04-01 09:00:00.000"},
    ],
    "inventory_levels": [
        {
            "id": "1801|1701",
            "location_id": 1801,
            "inventory_item_id": 1701,
            "updated_at": "2024-04-01 09:00:00.000",
            "quantities": json.dumps(
                [{"name": "available", "quantity": 5}, {"name": "on_hand", "quantity": 7}]
            ),
        },
    ],
    "abandoned_checkouts": [
        {
            "id": 1901,
            "email": "X@Y.Z",
            "updated_at": "2024-04-01 09:00:00.000",
            "line_items": json.dumps([{"variant_id": 70, "quantity": 2, "price": "15.00"}]),
        },
    ],
    "discount_codes": [
        {"id": 2001, "code": "SPRING10", "updated_at": "2024-04-01 09:00:00.000"},
    ],
}


# Raw rows with bad values (raw table -> rows), for the second shop: every insert must succeed
# (the materialized views never throw), and every row is kept and flagged, or counted.
BAD_ROWS = {
    "orders": [
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
    ],
    "order_refunds": [
        {
            "id": 3101,
            "order_id": None,
            "created_at": "2024-04-02 10:00:00.000",
            "refund_line_items": json.dumps([{"quantity": 1, "subtotal": "1.00"}]),
        },
    ],
    "product_variants": [
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
    ],
    "inventory_levels": [
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
    ],
    "customers": [
        {
            "id": 3401,
            "updated_at": "2024-04-01 09:00:00.000",
            "email_marketing_consent": '{"consent_updated_at": "garbage"}',
        },
    ],
}


# One order of the second shop delivered as Airbyte does over several syncs: a version, the
# same version again, a newer version (refunded, one changed line), the old version arriving
# late; its refund twice.
FIRST_VERSION = order(
    2001, "2024-04-01 10:00:00.000", financial_status="paid", current_total_price="50.00"
)
NEWER_VERSION = order(
    2001,
    "2024-04-03 10:00:00.000",
    financial_status="refunded",
    fulfillment_status="fulfilled",
    current_total_price="0.00",
    line_items=json.dumps([{"id": 20011, "quantity": 2, "price": "24.00"}]),
)
REFUND_OF_NEWER = {
    "id": 2101,
    "order_id": 2001,
    "created_at": "2024-04-03 10:00:00.000",
    "refund_line_items": json.dumps([{"line_item_id": 20011, "quantity": 2, "subtotal": "48.00"}]),
}


def deliver_order_versions(client) -> None:
    insert(client, f"{EU}.orders", FIRST_VERSION)
    insert(client, f"{EU}.orders", FIRST_VERSION)  # the same sync re-delivered
    insert(client, f"{EU}.orders", NEWER_VERSION)
    insert(client, f"{EU}.orders", FIRST_VERSION)  # an old version arriving late
    for _ in range(2):
        insert(client, f"{EU}.order_refunds", REFUND_OF_NEWER)


def insert_rows(client, rows_by_table: dict[str, list[dict]]) -> None:
    """Rows of the second shop, raw table by raw table."""
    for table, records in rows_by_table.items():
        insert(client, f"{EU}.{table}", *records)


def build_two_shops(project: Project) -> Project:
    """Two raw shop databases, generated sample data in the first, then one `dbt build` of the
    curated Shopify models (which also runs their YAML tests). Before the build, one order of
    the second shop, so the initial catchup has to bring it in: its id collides with a
    generated order of the first shop on purpose (the `two_shops` fixture names it)."""
    project.cli("--vars", VARS, "provision")
    project.cli("--vars", VARS, "sample", "--scale", "0.05", "--replace")
    with project.client() as client:
        colliding_id = one(client, f"select min(id) as id from {SHOP}.orders")["id"]
        insert(
            client,
            f"{EU}.orders",
            order(colliding_id, "2024-04-01 09:00:00.000", email="EU@Shop.Example"),
        )
    project.dbt("build", "--select", "path:curated_datasets/data_shopify", "--vars", VARS)
    return project
