"""Shopify analytics on the sample data: daily sales by Shopify's definitions reconcile with
figures computed here in Python from the raw rows, and re-delivered raw orders change only what
their newer versions really change.

The module builds the sample once with a reporting time zone other than UTC, so the day
boundaries are checked too. Python dedups raw rows itself (newest per id), never with FINAL.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import pytest
from ecom_analytics.refresh import refresh_analytics
from helpers import newest_per_key, rows

ZONE = "America/New_York"
MEASURES = ("orders", "units", "gross_sales", "discounts", "returns", "net_sales")


@pytest.fixture(scope="module")
def shop(standard):
    """The standard sample with its analytics layer rebuilt in the module's time zone."""
    standard.vars = {"reporting_timezone": ZONE}
    # run, not build: the module reconciles the models with raw; their data tests ran in
    # the standard sample's build
    standard.dbt("run", "--select", "path:analytics_datasets", "--full-refresh")
    # held for the module's tests (Project.held): each opens a client, most of a second apiece
    with standard.held():
        yield standard


def epoch_ms(column: str) -> str:
    return f"toUnixTimestamp64Milli({column}) as {column}"


def local_date(ms: int | None):
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.astimezone(ZoneInfo(ZONE)).date()


def amount(value) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def raw_orders(client) -> dict:
    found = rows(
        client,
        "select id, customer_id, test, total_discounts, total_line_items_price, line_items, "
        f"{epoch_ms('updated_at')}, {epoch_ms('created_at')}, {epoch_ms('processed_at')}, "
        f"{epoch_ms('_airbyte_extracted_at')} from raw_shopify.orders",
    )
    found.sort(key=lambda r: r["_airbyte_extracted_at"])
    return newest_per_key(found, key=lambda r: r["id"], version=lambda r: r["updated_at"])


def order_units_and_gross(order: dict) -> tuple[int, Decimal]:
    """Units and gross sales of a raw order: its keyed lines, else its line-items total."""
    try:
        lines = json.loads(order["line_items"] or "[]")
        assert isinstance(lines, list)
    except (ValueError, AssertionError):
        lines = None
    keyed = [x for x in lines or [] if isinstance(x, dict) and x.get("id")]
    units = sum(int(x.get("quantity") or 0) for x in keyed)  # unkeyed lines: units unknown
    if lines is None or len(keyed) < len(lines):
        return units, amount(order["total_line_items_price"])
    return units, sum((amount(x.get("price")) * int(x.get("quantity") or 0) for x in keyed), 0)


def ordered_day(order: dict):
    return local_date(order["processed_at"] or order["created_at"] or order["updated_at"])


def current_refunds(client, test_orders: set) -> list[dict]:
    """The current version of every raw refund of a non-test order, with its `returned`
    amount (the subtotals of its keyed refund lines)."""
    refunds = rows(
        client,
        "select id, order_id, refund_line_items, "
        f"{epoch_ms('created_at')}, {epoch_ms('processed_at')}, "
        f"{epoch_ms('_airbyte_extracted_at')} from raw_shopify.order_refunds",
    )
    refunds.sort(key=lambda r: r["_airbyte_extracted_at"])
    current = newest_per_key(refunds, key=lambda r: r["id"], version=lambda r: r["created_at"])
    found = []
    for refund in current.values():
        if refund["order_id"] in test_orders:
            continue
        try:
            lines = json.loads(refund["refund_line_items"] or "[]")
        except ValueError:
            lines = []
        refund["returned"] = sum(
            (
                amount(x.get("subtotal"))
                for x in lines
                if isinstance(x, dict) and x.get("line_item_id")
            ),
            Decimal(0),
        )
        refund["day"] = local_date(refund["processed_at"] or refund["created_at"])
        found.append(refund)
    return found


def expected_daily_sales(client) -> dict:
    """{date: {measure: value}} by Shopify's definitions, from raw orders and refunds."""
    days: dict = defaultdict(lambda: dict.fromkeys(MEASURES, Decimal(0)))
    orders = raw_orders(client)
    test_orders = {i for i, o in orders.items() if o["test"]}
    for order in orders.values():
        if order["test"]:
            continue
        units, gross = order_units_and_gross(order)
        day = days[ordered_day(order)]
        day["orders"] += 1
        day["units"] += units
        day["gross_sales"] += gross
        day["discounts"] += amount(order["total_discounts"])
    for refund in current_refunds(client, test_orders):
        days[refund["day"]]["returns"] += refund["returned"]
    for day in days.values():
        day["net_sales"] = day["gross_sales"] - day["discounts"] - day["returns"]
    return dict(days)


def model_daily_sales(client) -> dict:
    found = rows(
        client,
        f"select sales_date, {', '.join(MEASURES)} from analytics_shopify.shopify_daily_sales "
        "where source_relation = 'raw_shopify'",
    )
    return {r.pop("sales_date"): {k: Decimal(str(v)) for k, v in r.items()} for r in found}


def test_daily_sales_reconcile_with_raw_day_by_day(shop):
    with shop.client() as client:
        expected, found = expected_daily_sales(client), model_daily_sales(client)
    assert len(expected) > 100  # the sample spans months
    differing = {
        day: (expected.get(day), found.get(day))
        for day in expected.keys() | found.keys()
        if expected.get(day) != found.get(day)
    }
    assert not differing, f"{len(differing)} days differ, e.g. {sorted(differing.items())[:2]}"


def test_customers_count_their_orders_like_raw(shop):
    """One row per customer (guests by email) with its non-test orders, as raw says."""
    with shop.client() as client:
        found = rows(
            client,
            "select customer_key, orders, rfm_segment "
            "from analytics_shopify.shopify_customer_value",
        )
        orders = raw_orders(client).values()
        emails = dict(client.query("select id, email from raw_shopify.orders").result_rows)
    expected: dict = defaultdict(int)
    for order in orders:
        customer = order_customer(order, emails)
        if not order["test"] and customer:
            expected[customer] += 1
    assert {r["customer_key"]: r["orders"] for r in found} == expected
    assert {r["rfm_segment"] for r in found} == {
        "champions", "loyal", "new", "potential", "at_risk", "hibernating", "lost",
    }  # fmt: skip


def order_customer(order: dict, emails: dict) -> str:
    if order["customer_id"] is not None:
        return str(order["customer_id"])
    email = (emails.get(order["id"]) or "").strip().lower()
    return f"email:{email}" if email else ""


def expected_new_customer_net_sales(client) -> dict:
    """{date: net sales of customers' first orders}: their sales less discounts on the order's
    day, less their returns on the refund's day. A customer is its id, else its email; a guest
    without an email places a first order every time."""
    orders = {i: o for i, o in raw_orders(client).items() if not o["test"]}
    emails = dict(client.query("select id, email from raw_shopify.orders").result_rows)
    firsts: dict = {}
    for order_id, order in orders.items():
        customer = order_customer(order, emails)
        placed = (order["processed_at"] or order["created_at"] or order["updated_at"], order_id)
        if customer and (customer not in firsts or placed < firsts[customer][0]):
            firsts[customer] = (placed, order_id)
    first_orders = {order_id for _, order_id in firsts.values()}
    first_orders |= {i for i, o in orders.items() if not order_customer(o, emails)}
    days: dict = defaultdict(Decimal)
    for order_id in first_orders:
        order = orders[order_id]
        days[ordered_day(order)] += order_units_and_gross(order)[1] - amount(
            order["total_discounts"]
        )
    test_orders = {i for i, o in raw_orders(client).items() if o["test"]}
    for refund in current_refunds(client, test_orders):
        if refund["order_id"] in first_orders:
            days[refund["day"]] -= refund["returned"]
    return days


def test_new_and_returning_customer_net_sales_reconcile_with_raw(shop):
    """Day by day and month by month: new customer net sales as computed here, returning the
    rest of net sales."""
    with shop.client() as client:
        new = expected_new_customer_net_sales(client)
        net = {day: m["net_sales"] for day, m in expected_daily_sales(client).items()}
        found = rows(
            client,
            "select sales_date, new_customer_net_sales, returning_customer_net_sales "
            "from analytics_shopify.shopify_daily_sales where source_relation = 'raw_shopify'",
        )
        monthly = rows(
            client,
            "select sales_month, new_customer_net_sales, returning_customer_net_sales "
            "from analytics_shopify.shopify_monthly_sales where source_relation = 'raw_shopify'",
        )
    expected = {day: (new.get(day, Decimal(0)), net[day] - new.get(day, Decimal(0))) for day in net}
    assert sum(1 for n, _ in expected.values() if n) > 30  # first orders on many days
    assert {
        r["sales_date"]: (
            Decimal(str(r["new_customer_net_sales"])),
            Decimal(str(r["returning_customer_net_sales"])),
        )
        for r in found
    } == expected
    months: dict = defaultdict(lambda: (Decimal(0), Decimal(0)))
    for day, (new_sales, returning) in expected.items():
        before = months[day.replace(day=1)]
        months[day.replace(day=1)] = (before[0] + new_sales, before[1] + returning)
    assert {
        r["sales_month"]: (
            Decimal(str(r["new_customer_net_sales"])),
            Decimal(str(r["returning_customer_net_sales"])),
        )
        for r in monthly
    } == dict(months)


def test_redelivered_orders_change_only_what_newer_versions_change(shop):
    with shop.client() as client:
        before = model_daily_sales(client)
        columns = [
            c
            for (c,) in client.query(
                "select name from system.columns where database = 'raw_shopify' "
                "and table = 'orders' order by position"
            ).result_rows
        ]
        latest = client.query(
            "select * from raw_shopify.orders order by id, updated_at desc, "
            "_airbyte_extracted_at desc limit 1 by id limit 50"
        ).result_rows
        # the same 50 current versions again (a re-delivery) ...
        client.insert("raw_shopify.orders", latest, column_names=columns)
        # ... and a newer version of one of them: 10.00 more discount
        changed = dict(zip(columns, latest[0], strict=True))
        order_id = changed["id"]
        changed["updated_at"] = changed["updated_at"] + timedelta(minutes=5)
        changed["_airbyte_extracted_at"] = changed["_airbyte_extracted_at"] + timedelta(hours=1)
        changed["_airbyte_raw_id"] = "newer-version"
        changed["total_discounts"] = (changed["total_discounts"] or Decimal(0)) + Decimal(10)
        client.insert("raw_shopify.orders", [list(changed.values())], column_names=columns)
        refresh_analytics(client)
        after = model_daily_sales(client)
        day = client.query(
            "select sales_date from analytics_shopify.int_shopify__order_sales "
            f"where order_id = {order_id}"
        ).result_rows[0][0]
    expected = {d: dict(m) for d, m in before.items()}
    expected[day]["discounts"] += 10
    expected[day]["net_sales"] -= 10
    assert after == expected
