"""Freshness: seconds from a raw insert until the curated tables show it, and until each
analytics model does after `refresh_analytics`."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from ecom_analytics.bench.runner import BENCH_DATABASE, Bench, scalar, select_list

# models refreshed on `refresh_analytics`: their daily totals are read before the refresh and
# compared after it (they grow by one order)
REFRESHED_CHECKS = ("shopify_daily_sales", "channel_revenue")


@dataclass
class FreshRows:
    """The Shopify order and Klaviyo event inserted into raw, and when."""

    order_id: int
    event_id: str
    sales_date: date
    inserted: float  # time.perf_counter() at the start of the insert
    insert_seconds: float


def _templates(client: Any, orders: str, events: str) -> tuple[str, str]:
    """One generated order and one generated event, each copied into a Memory table: at scale L
    the search over raw takes seconds, and the clock measures the insert and what follows it,
    not the search."""
    order_template = f"{BENCH_DATABASE}.fresh_order_template"
    event_template = f"{BENCH_DATABASE}.fresh_event_template"
    client.command(f"create database if not exists {BENCH_DATABASE}")
    for template, source, where in (
        (
            order_template,
            orders,
            "processed_at is not null and not coalesce(test, false)"
            " and line_items like '[{%' order by id desc limit 1",
        ),
        (
            event_template,
            events,
            "JSONExtractString(relationships, 'metric', 'data', 'id') != ''"
            " order by datetime desc limit 1",
        ),
    ):
        client.command(f"drop table if exists {template}")
        client.command(
            f"create table {template} engine = Memory as select * from {source} final where {where}"
        )
    return order_template, event_template


def insert_fresh_rows(client: Any, raw: dict[str, str]) -> FreshRows:
    """Insert one new Shopify order and one new Klaviyo event (copies of generated rows with
    new ids, loaded now) into raw."""
    orders, events = f"{raw['shopify']}.orders", f"{raw['klaviyo']}.events"
    order_id = scalar(client, f"select max(id) + 1 from {orders}")
    order_select = select_list(
        client,
        raw["shopify"],
        "orders",
        {
            "id": f"toInt64({order_id})",
            "_airbyte_raw_id": "generateUUIDv4()",
            "_airbyte_extracted_at": "now64(3)",
            "updated_at": "now64(3)",
            "test": "false",
            "cancelled_at": "null",
        },
    )
    event_id = f"bench-fresh-{int(time.time() * 1000)}"
    event_select = select_list(
        client,
        raw["klaviyo"],
        "events",
        {
            "id": f"'{event_id}'",
            "_airbyte_raw_id": "generateUUIDv4()",
            "_airbyte_extracted_at": "now64(3)",
        },
    )
    order_template, event_template = _templates(client, orders, events)
    sales_date = scalar(
        client,
        f"select toDate(coalesce(processed_at, created_at, updated_at)) from {order_template}",
    )
    started = time.perf_counter()
    client.command(f"insert into {orders} select {order_select} from {order_template}")
    client.command(f"insert into {events} select {event_select} from {event_template}")
    return FreshRows(order_id, event_id, sales_date, started, time.perf_counter() - started)


def freshness_checks(fresh: FreshRows) -> dict[str, str]:
    """Per curated table or analytics model, a query whose value is positive once it shows the
    fresh rows (for REFRESHED_CHECKS: once it grows)."""
    day, order, event = fresh.sales_date, fresh.order_id, fresh.event_id
    return {
        "data_shopify.orders": f"select count() from data_shopify.orders where order_id = {order}",
        "data_klaviyo.events": f"select count() from data_klaviyo.events where id = '{event}'",
        "int_shopify__order_sales": "select count() from analytics_shopify."
        f"int_shopify__order_sales where order_id = {order}",
        "shopify_daily_sales": "select sum(orders) from analytics_shopify."
        f"shopify_daily_sales where sales_date = '{day}'",
        "channel_revenue": "select sum(orders) from analytics_cross_source."
        f"channel_revenue where revenue_date = '{day}'",
        "int_klaviyo__events_named": "select count() from analytics_klaviyo."
        f"int_klaviyo__events_named where event_id = '{event}'",
        "data_freshness": "select count() from analytics_cross_source.data_freshness"
        " where source_table = 'orders' and lag_minutes < 1",
    }


def _value(client: Any, sql: str) -> float:
    return float(scalar(client, sql) or 0)


def visible_at_once(
    client: Any, fresh: FreshRows
) -> tuple[dict[str, dict[str, Any]], dict[str, float]]:
    """What shows the fresh rows right after the insert (the views fire inside it), and the
    refreshed models' values before their refresh."""
    before_refresh: dict[str, float] = {}
    visible: dict[str, dict[str, Any]] = {}
    for name, sql in freshness_checks(fresh).items():
        shown = _value(client, sql)
        seconds = time.perf_counter() - fresh.inserted
        if name in REFRESHED_CHECKS:
            before_refresh[name] = shown
            continue
        if shown > 0:
            visible[name] = {"seconds": seconds, "how": "at once (views fire in the insert)"}
    return visible, before_refresh


def measure_freshness(bench: Bench, raw: dict[str, str]) -> dict[str, Any]:
    """Seconds from a raw insert until the curated tables show it (the views fire inside the
    insert: no dbt run), and until each analytics model shows it after `refresh_analytics`
    (the embedded engine opens with refreshes stopped; a server refreshes every
    `analytics_refresh_minutes`, so there the wait is up to that interval plus the refresh)."""
    from ecom_analytics.refresh import refresh_analytics
    from ecom_analytics.target import project_vars

    with bench.client() as client:
        fresh = insert_fresh_rows(client, raw)
        visible, before_refresh = visible_at_once(client, fresh)
        refresh_started = time.perf_counter()
        refreshed = refresh_analytics(client)
        refresh_seconds = time.perf_counter() - refresh_started
        finished: dict[str, float] = {}
        elapsed = refresh_started - fresh.inserted
        for _database, view, seconds in refreshed:
            elapsed += seconds
            finished[view.removesuffix("_mv")] = elapsed
        for name, sql in freshness_checks(fresh).items():
            if name in visible:
                continue
            grew = _value(client, sql) > before_refresh.get(name, 0)
            visible[name] = {
                "seconds": finished.get(name, time.perf_counter() - fresh.inserted),
                "how": "after refresh_analytics" if grew else "NOT SHOWN after the refresh",
            }
    return {
        "insert_seconds": fresh.insert_seconds,
        "refresh_seconds": refresh_seconds,
        "refreshed_views": len(refreshed),
        "refresh_interval_minutes": int(
            project_vars(bench.vars).get("analytics_refresh_minutes", 10)
        ),
        "visible": visible,
    }
