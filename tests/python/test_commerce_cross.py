"""Commerce across Shopify and GA4 (analytics_cross_source): product_affinity,
ga4_purchase_coverage and product_engagement's events basis.

Hand-made orders and GA4 export rows (inserted as Airbyte and the Parquet loader land them,
on an empty provisioned database) with every figure worked out by hand below; the same
figures recomputed in Python from the raw rows of the standard sample (deduplicated here,
never read from the models); and re-delivery (the orders again, a day exported again, a
purchase sent twice more) changes nothing.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from ecom_analytics.refresh import refresh_analytics
from helpers import Project, insert_json_rows, newest_per_key, rows
from helpers.ga4_export import PROPERTY, deliver, event
from helpers.ga4_sessions import event_day, export_events, page_path

AFFINITY_WINDOW_DAYS = 90  # the vars of dbt_project.yml
AFFINITY_MIN_ORDERS = 3
SHOP = "raw_shopify"
MODELS = ("product_affinity", "ga4_purchase_coverage", "product_engagement")

# --- the hand-made shop -------------------------------------------------------------------------

TODAY = datetime.now(UTC).date()
DAY = TODAY - timedelta(days=2)  # the orders' day (reporting time zone UTC)
PRODUCTS = {101: "tee", 102: "cap", 103: "mug", 104: "sock"}
# order id -> (products of its lines (None: a custom line), source_name, test, days before DAY)
ORDERS = {
    5001: ([101, 102], "web", False, 0),
    5002: ([101, 102, 103], "web", False, 0),
    5003: ([101, 101, 102], "web", False, 0),  # two lines of the tee: one order with it
    5004: ([101, 103], "web", False, 0),
    5005: ([101], "web", False, 0),
    5006: ([102, 103, None], "web", False, 0),
    5007: ([101, 102], "web", True, 0),  # a test order: never counted
    5008: ([103, 104], "pos", False, 0),  # counted, but no web order
    5009: ([101, 102], "web", False, 100),  # before the window and before the export began
    5010: ([104], "web", False, 0),
}
LINE_PRICE = 10  # every line: one unit at 10.00, no discount


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), UTC)


def raw_orders(extracted_at: datetime) -> list[dict]:
    found = []
    for order_id, (products, source_name, test, days_before) in ORDERS.items():
        placed = at(DAY - timedelta(days=days_before), 10)
        found.append(
            {
                "_airbyte_raw_id": f"o-{order_id}-{extracted_at:%H%M%S%f}",
                "_airbyte_extracted_at": extracted_at,
                "_airbyte_meta": "{}",
                "_airbyte_generation_id": 0,
                "id": order_id,
                "name": f"#{order_id - 4000}",
                "order_number": order_id - 4000,
                "created_at": placed,
                "processed_at": placed,
                "updated_at": placed + timedelta(minutes=1),
                "currency": "USD",
                "financial_status": "paid",
                "source_name": source_name,
                "test": test,
                "total_discounts": "0.00",
                "total_line_items_price": f"{LINE_PRICE * len(products)}.00",
                "line_items": json.dumps(
                    [
                        {
                            "id": order_id * 10 + position,
                            "product_id": product,
                            "variant_id": product and product * 10,
                            "quantity": 1,
                            "price": f"{LINE_PRICE}.00",
                        }
                        for position, product in enumerate(products)
                    ]
                ),
            }
        )
    return found


def raw_products() -> list[dict]:
    return [
        {
            "_airbyte_raw_id": f"p-{product_id}",
            "_airbyte_extracted_at": at(DAY - timedelta(days=30), 0),
            "_airbyte_meta": "{}",
            "_airbyte_generation_id": 0,
            "id": product_id,
            "title": handle.title(),
            "handle": handle,
            "status": "active",
            "updated_at": at(DAY - timedelta(days=30), 0),
        }
        for product_id, handle in PRODUCTS.items()
    ]


def item(product_id: int | str, index: int | None = None) -> dict:
    """A GA4 item as Shopify's Google & YouTube app sends it (shopify_<country>_<product>_
    <variant>); a bare string is sent as it is."""
    item_id = (
        product_id if isinstance(product_id, str) else f"shopify_US_{product_id}_{product_id * 10}"
    )
    found = {"item_id": item_id, "item_name": str(product_id), "price": 10.0, "quantity": 1}
    if index is not None:
        found.update(item_list_name="Collection", item_list_index=str(index))
    return found


def purchase(
    client: str, minute: int, transaction_id: str | None, revenue: float, day: date = DAY
) -> dict:
    row = event("purchase", at(day, 10, minute), client, 77, "/checkout", (minute, 1, 1))
    row["ecommerce"] = {"purchase_revenue": revenue}
    if transaction_id is not None:
        row["ecommerce"]["transaction_id"] = transaction_id
    return row


def items_event(name: str, minute: int, client: str, page: str, *items: dict) -> dict:
    """An item event of DAY at 9:minute (each minute its own batch)."""
    row = event(name, at(DAY, 9, minute), client, 9, page, (minute, 1, 1))
    row["items"] = list(items)
    return row


# The export's events of DAY (one daily table) and of days before.
PURCHASES = [
    purchase("c1", 5, "5001", 21.0),  # GA4 records 21 where Shopify has 20
    purchase("c2", 5, "5002", 30.0),
    purchase("c2", 7, "5002", 30.0),  # the thank-you page reloaded: the same transaction
    purchase("c4", 5, "#1004", 20.0),  # the tag sent the order's name: no web order has it
    purchase("c5", 5, None, 10.0),  # no transaction_id (5005's purchase)
    purchase("c6", 5, "5006", 30.0),
    purchase("c7", 5, "5007", 15.0),  # the test order: no counted web order
    purchase("c10", 5, "5010", 10.0),
]  # 5003 has no purchase (consent, blockers); neither has the pos order 5008
ITEM_EVENTS = [
    items_event("view_item_list", 0, "v1", "/", item(101, 1), item(102, 2), item(103, 3)),
    items_event("select_item", 1, "v1", "/", item(101, 1)),
    items_event("view_item", 2, "v1", "/products/tee", item(101)),
    items_event("add_to_cart", 3, "v1", "/products/tee", item(101)),
    items_event("view_item_list", 30, "v2", "/", item(101, 1), item(102, 2)),
    items_event("view_item", 31, "v2", "/products/cap", item(102)),
    items_event("view_item", 40, "v2", "/products/cap", item(102)),
    items_event("add_to_cart", 41, "v2", "/products/cap", item(102)),
    items_event("view_item", 50, "v2", "/products/mug", item("103")),  # a bare product id
    items_event("view_item", 55, "v2", "/", item("SKU-UNKNOWN")),  # no product
]
PAGE_VIEWS = [
    event("page_view", at(DAY, 9, 2), "v1", 9, "/products/tee", (2, 0, 1)),
    event("page_view", at(DAY, 9, 31), "v2", 9, "/products/cap", (31, 0, 1)),
]
EARLIER = [  # the export's first day: a product page seen five days before the orders
    event("page_view", at(DAY - timedelta(days=5), 12), "v0", 5, "/products/tee"),
]
YESTERDAY = [purchase("c9", 0, "999999", 5.0, DAY - timedelta(days=1))]  # GA4-only
DAY_EVENTS = PURCHASES + ITEM_EVENTS + PAGE_VIEWS


@pytest.fixture(scope="module")
def handmade(provisioned_template, tmp_path_factory) -> Project:
    """The hand-made shop on an empty provisioned database, with the models it needs built."""
    project = provisioned_template.copy_into(Project(tmp_path_factory.mktemp("commerce")))
    loaded = at(TODAY, 0)
    with project.client() as client:
        insert_json_rows(client, "raw_shopify.products", raw_products())
        insert_json_rows(client, "raw_shopify.orders", raw_orders(loaded))
        deliver(client, EARLIER, "parquet", "daily", loaded)
        deliver(client, YESTERDAY, "parquet", "daily", loaded)
        deliver(client, DAY_EVENTS, "parquet", "daily", loaded)
    # the days the build ran on (the analytics windows end on the day the model is computed;
    # two days when the build crosses midnight)
    project.built_on = {datetime.now(UTC).date()}
    project.dbt(
        "build",
        "--select",
        *(f"+{model}" for model in MODELS),
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
    )
    project.built_on.add(datetime.now(UTC).date())
    return project


def model_rows(project: Project, model: str, order_by: str) -> list[dict]:
    with project.client() as client:
        return rows(client, f"select * from analytics_cross_source.{model} order by {order_by}")


# --- product_affinity, by hand ------------------------------------------------------------------
# Counted orders in the window: 5001-5006, 5008, 5010 (8; 5007 is a test order, 5009 too old).
# Orders with the tee (101): 5001-5005 (5); with the cap (102): 5001, 5002, 5003, 5006 (4).
# Both: 5001, 5002, 5003 (3 = the minimum). Tee & mug and cap & mug: 2 orders each, mug & sock
# 1: below the minimum of 3 orders.


def test_affinity_support_confidence_and_lift_by_hand(handmade):
    found = model_rows(handmade, "product_affinity", "product_id")
    assert [
        (r["product_id"], r["related_product_id"], r["product_title"], r["window_orders"])
        for r in found
    ] == [(101, 102, "Tee", 8), (102, 101, "Cap", 8)]
    tee_cap, cap_tee = found
    assert (tee_cap["orders_with_both"], tee_cap["product_orders"]) == (3, 5)
    assert (cap_tee["orders_with_both"], cap_tee["product_orders"]) == (3, 4)
    assert tee_cap["support"] == cap_tee["support"] == pytest.approx(3 / 8)
    assert tee_cap["confidence"] == pytest.approx(3 / 5)
    assert cap_tee["confidence"] == pytest.approx(3 / 4)
    assert tee_cap["lift"] == cap_tee["lift"] == pytest.approx((3 / 8) / ((5 / 8) * (4 / 8)))
    assert tee_cap["window_end_date"] in handmade.built_on
    assert tee_cap["window_start_date"] == tee_cap["window_end_date"] - timedelta(
        days=AFFINITY_WINDOW_DAYS - 1
    )


# --- ga4_purchase_coverage, by hand -------------------------------------------------------------
# DAY: web orders 5001-5006 and 5010 (7; 5007 test, 5008 pos). Matched: 5001, 5002 (sent
# twice, once counted), 5006, 5010 (4). Unseen: 5003 (no purchase), 5004 (the tag sent its
# name), 5005 (no transaction_id) - 3. GA4 transactions: the 4 matched, '#1004' and the test
# order's '5007' (6, of which 2 without a web order). One purchase without transaction_id.
# Yesterday: one GA4-only transaction, no web order: coverage NULL. 5009 (100 days earlier)
# is before the export's first day (5 days before DAY): no row.

COVERAGE_BY_HAND = [
    {
        "source_relation": SHOP,
        "property_id": PROPERTY,
        "coverage_date": DAY - timedelta(days=1),
        "shopify_web_orders": 0,
        "ga4_transactions": 1,
        "matched_orders": 0,
        "shopify_orders_unseen_by_ga4": 0,
        "ga4_transactions_without_order": 1,
        "ga4_purchases_without_transaction_id": 0,
        "matched_shopify_revenue": Decimal(0),
        "matched_ga4_revenue": Decimal(0),
        "unseen_shopify_revenue": Decimal(0),
        "ga4_revenue_without_order": Decimal(5),
        "ga4_revenue_without_transaction_id": Decimal(0),
        "coverage_rate": None,
    },
    {
        "source_relation": SHOP,
        "property_id": PROPERTY,
        "coverage_date": DAY,
        "shopify_web_orders": 7,
        "ga4_transactions": 6,
        "matched_orders": 4,
        "shopify_orders_unseen_by_ga4": 3,
        "ga4_transactions_without_order": 2,
        "ga4_purchases_without_transaction_id": 1,
        "matched_shopify_revenue": Decimal(20 + 30 + 30 + 10),  # 5001, 5002, 5006, 5010
        "matched_ga4_revenue": Decimal(21 + 30 + 30 + 10),
        "unseen_shopify_revenue": Decimal(30 + 20 + 10),  # 5003, 5004, 5005
        "ga4_revenue_without_order": Decimal(20 + 15),
        "ga4_revenue_without_transaction_id": Decimal(10),
        "coverage_rate": 4 / 7,
    },
]


def test_coverage_counts_missing_duplicated_and_unidentified_purchases_by_hand(handmade):
    found = model_rows(handmade, "ga4_purchase_coverage", "coverage_date")
    assert [
        {**r, "coverage_rate": r["coverage_rate"] and round(r["coverage_rate"], 9)} for r in found
    ] == [
        {**r, "coverage_rate": r["coverage_rate"] and round(r["coverage_rate"], 9)}
        for r in COVERAGE_BY_HAND
    ]


# --- re-delivery --------------------------------------------------------------------------------


def test_redelivery_changes_nothing(handmade):
    """The orders delivered again, DAY exported again (a late rewrite of the daily table, then
    a late intraday file of it), and 5006's purchase sent twice more: every figure stays."""
    before = {m: model_rows(handmade, m, "tuple(*)") for m in MODELS}
    later = at(TODAY, 1)
    again = purchase("c6", 9, "5006", 30.0)
    with handmade.client() as client:
        insert_json_rows(client, "raw_shopify.orders", raw_orders(later))
        deliver(client, DAY_EVENTS + [again], "parquet", "daily", later)
        deliver(client, DAY_EVENTS, "parquet", "intraday", later + timedelta(hours=1))
        deliver(client, [purchase("c6", 11, "5006", 30.0)], "parquet", "intraday", later)
        refresh_analytics(client)
        raw_orders_now = rows(client, "select count() as n from raw_shopify.orders")[0]["n"]
    assert raw_orders_now >= len(ORDERS)  # delivered twice (raw may not have merged yet)
    after = {m: model_rows(handmade, m, "tuple(*)") for m in MODELS}
    assert after == before


# --- the standard sample, recomputed from raw ---------------------------------------------------


@pytest.fixture(scope="module")
def sample(standard: Project) -> Project:
    with standard.client() as client:
        refresh_analytics(client)
    return standard


def lines_of(order: dict) -> list[dict] | None:
    """The keyed lines of a raw order (lines without an id are not order lines), None when
    its line_items are not a JSON array."""
    try:
        lines = json.loads(order["line_items"] or "[]")
    except ValueError:
        return None
    if not isinstance(lines, list):
        return None
    return [x for x in lines if isinstance(x, dict) and x.get("id")]


def amount(value) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else Decimal(0)
    except ArithmeticError:
        return Decimal(0)


def current_orders(client) -> list[dict]:
    """The sample's counted orders from raw: newest version per id, test orders left out."""
    found = rows(
        client,
        "select id, name, test, source_name, total_discounts, total_line_items_price, "
        "line_items, created_at, processed_at, updated_at, _airbyte_extracted_at "
        "from raw_shopify.orders where id is not null",
    )
    found.sort(key=lambda r: r["_airbyte_extracted_at"])
    current = newest_per_key(found, key=lambda r: r["id"], version=lambda r: r["updated_at"])
    counted = [o for o in current.values() if not o["test"]]
    for order in counted:
        order["day"] = (order["processed_at"] or order["created_at"] or order["updated_at"]).date()
    return counted


def test_affinity_matches_raw_orders(sample):
    with sample.client() as client:
        orders = current_orders(client)
        found = rows(client, "select * from analytics_cross_source.product_affinity")
    # the window ends on the day the model was computed (the hand-made test checks which)
    (window_end,) = {r["window_end_date"] for r in found}
    start = window_end - timedelta(days=AFFINITY_WINDOW_DAYS)
    window = [o for o in orders if o["day"] > start]
    baskets = [
        {int(x["product_id"]) for x in lines_of(o) or [] if x.get("product_id")} for o in window
    ]
    holding = Counter(p for basket in baskets for p in basket)
    both = Counter((a, b) for basket in baskets for a in basket for b in basket if a != b)
    n = len(window)
    expected = {
        (a, b): (k, k / n, k / holding[a], k * n / (holding[a] * holding[b]))
        for (a, b), k in both.items()
        if k >= AFFINITY_MIN_ORDERS
    }
    assert len(expected) >= 10
    assert {
        (r["product_id"], r["related_product_id"]): (
            r["orders_with_both"],
            pytest.approx(r["support"]),
            pytest.approx(r["confidence"]),
            pytest.approx(r["lift"]),
        )
        for r in found
    } == expected
    assert {r["window_orders"] for r in found} == {n}


def export_rows(client, names: tuple[str, ...]) -> list[dict]:
    """The raw export's events of the names given, deduplicated (helpers/ga4_sessions.py),
    with their property, purchase fields and items."""
    found = export_events(
        client,
        more_columns=", property_id, toJSONString(items) as items_json, "
        "ecommerce.transaction_id as transaction_id, "
        "ecommerce.purchase_revenue as purchase_revenue",
        where=f"event_name in {names}",
    )
    for row in found:
        row["items"] = json.loads(row.pop("items_json"))
    return found


def test_coverage_matches_raw(sample):
    with sample.client() as client:
        orders = current_orders(client)
        events = export_rows(client, ("purchase", "page_view"))
        found = rows(client, "select * from analytics_cross_source.ga4_purchase_coverage")
    (prop,) = {e["property_id"] for e in events}  # the sample: one property, one shop
    first_day = min(event_day(e) for e in events if e["event_name"] == "page_view" and page_path(e))
    figures: dict[date, Counter] = defaultdict(Counter)
    transactions: dict[str, dict] = {}
    for e in sorted(events, key=lambda e: e["event_timestamp"] or 0):
        if e["event_name"] != "purchase":
            continue
        if e["transaction_id"]:
            transactions.setdefault(e["transaction_id"], e)  # the first sent
        else:
            figures[event_day(e)]["no_id"] += 1
            figures[event_day(e)]["no_id_revenue"] += round(e["purchase_revenue"] or 0, 2)
    matched = set()
    for order in orders:
        if order["source_name"] != "web" or order["day"] < first_day:
            continue
        lines = lines_of(order)
        gross = (
            sum(amount(x["price"]) * int(x.get("quantity") or 0) for x in lines)
            if lines is not None and len(lines) == len(json.loads(order["line_items"] or "[]"))
            else amount(order["total_line_items_price"])
        )
        revenue = round(float(gross - amount(order["total_discounts"])), 2)
        day = figures[order["day"]]
        day["web"] += 1
        seen = transactions.get(str(order["id"]))
        if seen is None:
            day["unseen_revenue"] += revenue
            continue
        matched.add(str(order["id"]))
        day["matched"] += 1
        day["matched_revenue"] += revenue
        day["matched_ga4_revenue"] += round(seen["purchase_revenue"] or 0, 2)
    for transaction_id, e in transactions.items():
        if transaction_id not in matched:
            figures[event_day(e)]["ga4_only"] += 1
            figures[event_day(e)]["ga4_only_revenue"] += round(e["purchase_revenue"] or 0, 2)
    expected = {
        day: (
            c["web"],
            c["matched"] + c["ga4_only"],
            c["matched"],
            c["web"] - c["matched"],
            c["ga4_only"],
            c["no_id"],
            round(c["matched_revenue"], 2),
            round(c["matched_ga4_revenue"], 2),
            round(c["unseen_revenue"], 2),
            round(c["ga4_only_revenue"], 2),
            round(c["no_id_revenue"], 2),
            round(c["matched"] / c["web"], 9) if c["web"] else None,
        )
        for day, c in figures.items()
    }
    assert sum(c["web"] for c in figures.values()) > 100
    assert sum(c["no_id"] for c in figures.values()) > 0
    assert {(r["source_relation"], r["property_id"]) for r in found} == {(SHOP, prop)}
    assert {
        r["coverage_date"]: (
            r["shopify_web_orders"],
            r["ga4_transactions"],
            r["matched_orders"],
            r["shopify_orders_unseen_by_ga4"],
            r["ga4_transactions_without_order"],
            r["ga4_purchases_without_transaction_id"],
            round(float(r["matched_shopify_revenue"]), 2),
            round(float(r["matched_ga4_revenue"]), 2),
            round(float(r["unseen_shopify_revenue"]), 2),
            round(float(r["ga4_revenue_without_order"]), 2),
            round(float(r["ga4_revenue_without_transaction_id"]), 2),
            r["coverage_rate"] if r["coverage_rate"] is None else round(r["coverage_rate"], 9),
        )
        for r in found
    } == expected


# --- product_engagement's events basis ----------------------------------------------------------
# DAY is on the events basis (the export measures the shop from 5 days before). Items: the tee
# (101) in two lists, clicked once, viewed once, carted once; the cap (102) in two lists, viewed
# twice, carted once; the mug (103) in one list and viewed once by its bare id; an unknown item
# counts for no product. Orders from Shopify: tee 5, cap 4, mug 4 (with the pos order), sock 2.
# Score = 1 x item views + 5 x checkouts + 3 x add-to-carts + 20 x orders. The order of 100 days
# before is on the page_views basis (the export had not begun).

ENGAGEMENT_BY_HAND = {
    # product: (basis, impressions, clicks, list CTR, views, add-to-carts, orders, score)
    101: ("events", 2, 1, 0.5, 1, 1, 5, 1 + 3 + 100),
    102: ("events", 2, 0, 0.0, 2, 1, 4, 2 + 3 + 80),
    103: ("events", 1, 0, 0.0, 1, 0, 4, 1 + 80),
    104: ("events", 0, 0, None, 0, 0, 2, 40),
}


def test_engagement_events_basis_by_hand(handmade):
    found = model_rows(handmade, "product_engagement", "product_id, engagement_date")
    assert {
        r["product_id"]: (
            r["engagement_basis"],
            r["list_impressions"],
            r["list_clicks"],
            r["list_ctr"],
            r["item_views"],
            r["add_to_carts"],
            r["orders"],
            r["engagement_score"],
        )
        for r in found
        if r["engagement_date"] == DAY
    } == ENGAGEMENT_BY_HAND
    early = [r for r in found if r["engagement_date"] == DAY - timedelta(days=100)]
    assert {(r["product_id"], r["engagement_basis"], r["engagement_score"]) for r in early} == {
        (101, "page_views", 20),
        (102, "page_views", 20),
    }
    tee = next(r for r in found if r["product_id"] == 101 and r["engagement_date"] == DAY)
    assert tee["view_to_order_rate"] == 5  # orders per item view on the events basis
    assert tee["page_views"] == 0  # the Data API's page views: none here


ITEM_PRODUCT = re.compile(r"^shopify_[A-Za-z]+_([0-9]+)_[0-9]+$|^([0-9]+)$")
ITEM_MEASURES = {
    "view_item_list": "list_impressions",
    "select_item": "list_clicks",
    "view_item": "item_views",
    "add_to_cart": "add_to_carts",
}


def test_engagement_events_basis_matches_raw(sample):
    with sample.client() as client:
        products = {
            r["id"]
            for r in rows(client, "select distinct id from raw_shopify.products where id > 0")
        }
        events = export_rows(client, tuple(ITEM_MEASURES) + ("page_view",))
        found = rows(client, "select * from analytics_cross_source.product_engagement")
    first_day = min(event_day(e) for e in events if e["event_name"] == "page_view" and page_path(e))
    expected: dict[tuple, Counter] = defaultdict(Counter)
    for e in events:
        if e["event_name"] not in ITEM_MEASURES or event_day(e) is None:
            continue
        for x in e["items"]:
            match = ITEM_PRODUCT.match(x.get("item_id") or "")
            product = match and int(match.group(1) or match.group(2))
            if product in products:
                expected[(product, event_day(e))][ITEM_MEASURES[e["event_name"]]] += 1
    assert len(expected) > 100
    measured = {
        (r["product_id"], r["engagement_date"]): Counter(
            {m: r[m] for m in ITEM_MEASURES.values() if r[m]}
        )
        for r in found
        if any(r[m] for m in ITEM_MEASURES.values())
    }
    assert measured == expected
    assert {r["engagement_basis"] for r in found if r["engagement_date"] >= first_day} == {"events"}
    assert {r["engagement_basis"] for r in found if r["engagement_date"] < first_day} <= {
        "page_views"
    }
    for r in found:
        views = r["item_views"] if r["engagement_basis"] == "events" else r["page_views"]
        score = views + 5 * r["checkouts"] + 3 * r["add_to_carts"] + 20 * r["orders"]
        assert r["engagement_score"] == score, r
        impressions, clicks = r["list_impressions"], r["list_clicks"]
        ctr = min(1, clicks / impressions) if impressions else None
        assert r["list_ctr"] == (ctr if ctr is None else pytest.approx(ctr)), r
