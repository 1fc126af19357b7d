"""Curated Shopify datasets keep bad input: raw rows with bad values (helpers/shopify.py), inserted
after the build, all succeed (the materialized views never throw), stay in raw, and are kept
and flagged in curated, or counted in data quality; on a copy of the two-shop database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers import Project, one, rows
from helpers.shopify import (
    BAD_ROWS,
    EU,
    curated,
    insert_rows,
    single,
)


@pytest.fixture(scope="module")
def bad_batch(two_shops: Project) -> Iterator[Project]:
    with two_shops.client() as client:
        insert_rows(client, BAD_ROWS)
    # held for the module's tests (Project.held): each opens a client, most of a second apiece
    with two_shops.held():
        yield two_shops


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
