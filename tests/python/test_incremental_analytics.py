"""Incremental refreshes of the analytics layer pick up what a change log must name: late,
moved and renamed rows, a session growing past midnight; with nothing new they recompute
nothing; a build over filled states keeps every key. Each case ends equal to a full recompute
(helpers/incremental.py). Random delivery patterns with refreshes between them are
test_delivery_equivalence's.

Set-up: the module's copy of the built pinned sample whose incremental states have no overlap
(conftest's `incremental`), into which the Shopify, GA4 export and Klaviyo event and metric rows
of the session's pool of delivered raw rows (conftest's `delivery_pool`) are loaded; each test
empties the raw and model tables first.
"""

from __future__ import annotations

import json
from datetime import UTC, date, timedelta

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from ecom_analytics.refresh import refresh_analytics
from helpers.delivery import empty_everything, insert
from helpers.ga4_export import A2, A_AFTER_MIDNIGHT, A, at, deliver
from helpers.incremental import (
    NO_OVERLAP,
    POOLED,
    STATES,
    converted_rows,
    differing,
    refresh,
    state_rows,
)


@pytest.fixture(scope="module")
def pool(delivery_pool) -> dict[str, pa.Table]:
    """Every delivered raw Shopify, GA4 export, Klaviyo event and metric row, per raw table, in
    load order."""
    return {table: rows for table, rows in delivery_pool.items() if table.startswith(POOLED)}


def load(client, pool: dict[str, pa.Table]) -> None:
    empty_everything(client)
    for table, rows in pool.items():
        insert(client, table, rows)


def _newer_version(rows: pa.Table, index: int, **changes) -> pa.Table:
    """Row `index` of a raw table as a later delivery: its version column one second later,
    extracted before every row already delivered (extraction precedes loading, and a late
    row's extraction time says nothing of when it arrives), with `changes` applied."""
    row = rows.slice(index, 1)
    extracted = pc.min(rows["_airbyte_extracted_at"]).as_py() - timedelta(days=1)
    changes = {"_airbyte_extracted_at": extracted, **changes}
    for name, value in changes.items():
        position = row.schema.get_field_index(name)
        row = row.set_column(
            position, row.schema.field(name), pa.array([value], row.schema.field(name).type)
        )
    return row


def test_late_rows_are_picked_up(incremental, pool):
    """After the state is current: a refund restated onto another day, the refunds of an order
    that turned out to be a test order, a new refund for the oldest order, an order moved 40
    days earlier, and a new order dated before every order of an existing customer, all
    extracted before anything already loaded (so before the state's watermark), arrive; one
    incremental refresh shows each of them (the new order is its customer's first, the
    customer's former first order no longer is), and ends equal to a full recompute."""
    refunds = pool["`raw_shopify`.`order_refunds`"]
    orders = pool["`raw_shopify`.`orders`"]
    with incremental.client() as client:
        load(client, pool)
        refresh(client)
        refunded_orders = set(pc.drop_null(refunds["order_id"]).to_pylist())
        test_order = next(
            i for i, order_id in enumerate(orders["id"].to_pylist()) if order_id in refunded_orders
        )
        test_order_id = orders["id"][test_order].as_py()
        restated = next(
            i
            for i, order_id in enumerate(refunds["order_id"].to_pylist())
            if order_id is not None and order_id != test_order_id
        )
        oldest = pc.min(orders["created_at"]).as_py()
        oldest_order = orders["id"][orders["created_at"].to_pylist().index(oldest)].as_py()
        new_refund_id = pc.max(refunds["id"]).as_py() + 1
        moved_to = refunds["created_at"][restated].as_py() - timedelta(days=40)
        order_ids = orders["id"].to_pylist()
        customer_keys = dict(
            client.query(
                "select order_id, customer_key from analytics_shopify.int_shopify__order_sales"
            ).result_rows
        )
        moved_order = next(
            i
            for i, order_id in enumerate(order_ids)
            if order_id in customer_keys and order_id not in (test_order_id, oldest_order)
        )
        order_moved_to = orders["created_at"][moved_order].as_py() - timedelta(days=40)
        returning = next(
            i
            for i, order_id in enumerate(order_ids)
            if customer_keys.get(order_id) and i not in (test_order, moved_order)
        )
        customer = customer_keys[order_ids[returning]]
        customer_orders = [o for o, key in customer_keys.items() if key == customer]
        new_order_id = pc.max(orders["id"]).as_py() + 1
        # before every order's date, the moved one's included
        earliest = min(
            pc.min(orders["created_at"]).as_py(), pc.min(orders["processed_at"]).as_py()
        ) - timedelta(days=100)
        late = {
            "`raw_shopify`.`order_refunds`": pa.concat_tables(
                [
                    _newer_version(
                        refunds,
                        restated,
                        created_at=refunds["created_at"][restated].as_py() + timedelta(seconds=1),
                        processed_at=moved_to,
                    ),
                    _newer_version(
                        refunds,
                        restated,
                        id=new_refund_id,
                        order_id=oldest_order,
                        created_at=oldest + timedelta(days=3),
                        processed_at=None,
                    ),
                ]
            ),
            "`raw_shopify`.`orders`": pa.concat_tables(
                [
                    _newer_version(
                        orders,
                        test_order,
                        updated_at=pc.max(orders["updated_at"]).as_py() + timedelta(seconds=1),
                        test=True,
                    ),
                    _newer_version(
                        orders,
                        moved_order,
                        updated_at=pc.max(orders["updated_at"]).as_py() + timedelta(seconds=1),
                        processed_at=order_moved_to,
                    ),
                    _newer_version(
                        orders,
                        returning,
                        id=new_order_id,
                        created_at=earliest,
                        processed_at=earliest,
                    ),
                ]
            ),
        }
        for table, rows in late.items():
            insert(client, table, rows)
        refresh(client)
        found = converted_rows(client)
        refresh(client, full=True)
        reference = converted_rows(client)
    refund_sales = {row[1]: row for row in found["analytics_shopify.int_shopify__refund_sales"]}
    restated_id = refunds["id"][restated].as_py()
    assert refund_sales[restated_id][3].date() == moved_to.date()
    assert refund_sales[new_refund_id][2] == oldest_order
    assert not [row for row in refund_sales.values() if row[2] == test_order_id]
    # columns of int_shopify__order_sales: order_id second, ordered_at seventh, is_first_order last
    order_sales = {row[1]: row for row in found["analytics_shopify.int_shopify__order_sales"]}
    assert test_order_id not in order_sales
    moved = order_sales[orders["id"][moved_order].as_py()]
    assert moved[6].replace(tzinfo=None) == order_moved_to.replace(tzinfo=None)
    assert order_sales[new_order_id][-1]
    assert not [o for o in customer_orders if o in order_sales and order_sales[o][-1]]
    assert not differing(found, reference), "\n".join(differing(found, reference))


def test_a_moved_event_and_a_renamed_metric_are_picked_up(incremental, pool):
    """After the state is current: a Klaviyo event delivered again a day later in its month (the
    later datetime is its current version), and a metric renamed (a later `updated`), both
    extracted before anything already loaded, arrive. One incremental refresh moves the event
    to its new day (and off the old one) and gives every event of the metric its new name, in
    the events and in the daily summary; equal to a full recompute."""
    events = pool["`raw_klaviyo`.`events`"]
    metrics = pool["`raw_klaviyo`.`metrics`"]
    metric_of = [
        json.loads(relationships or "{}").get("metric", {}).get("data", {}).get("id")
        for relationships in events["relationships"].to_pylist()
    ]
    renamed = metrics["id"][0].as_py()
    # the distinct events of the renamed metric, counted from raw
    event_ids = events["id"].to_pylist()
    renamed_events = len({e for e, m in zip(event_ids, metric_of, strict=True) if m == renamed})
    occurred_at = events["datetime"].to_pylist()
    moved = next(
        i
        for i, (occurred, metric) in enumerate(zip(occurred_at, metric_of, strict=True))
        if metric not in (None, renamed) and occurred.astimezone(UTC).day <= 27
    )
    moved_id = events["id"][moved].as_py()
    moved_to = events["datetime"][moved].as_py() + timedelta(days=1)
    attributes = json.loads(metrics["attributes"][0].as_py())
    late = {
        "`raw_klaviyo`.`events`": _newer_version(events, moved, datetime=moved_to),
        "`raw_klaviyo`.`metrics`": _newer_version(
            metrics,
            0,
            updated=pc.max(metrics["updated"]).as_py() + timedelta(seconds=1),
            attributes=json.dumps({**attributes, "name": "Renamed metric"}),
        ),
    }
    with incremental.client() as client:
        load(client, pool)
        refresh(client)
        for table, rows in late.items():
            insert(client, table, rows)
        refresh(client)
        moved_days = client.query(
            "select event_date from analytics_klaviyo.int_klaviyo__events_named"
            f" where event_id = '{moved_id}'"
        ).result_rows
        named = client.query(
            "select count(), (select sum(events) from analytics_klaviyo.klaviyo_daily_event_summary"
            " where metric_name = 'Renamed metric')"
            " from analytics_klaviyo.int_klaviyo__events_named where metric_name = 'Renamed metric'"
        ).result_rows[0]
        found = converted_rows(client)
        refresh(client, full=True)
        reference = converted_rows(client)
    assert moved_days == [(moved_to.astimezone(UTC).date(),)]
    assert renamed_events > 0
    assert named == (renamed_events, renamed_events)
    assert not differing(found, reference), "\n".join(differing(found, reference))


def test_with_no_new_data_a_refresh_recomputes_nothing(incremental, pool):
    """After a refresh, with nothing inserted since: `ecom refresh` finds every state current
    and leaves it alone, and a refresh of each state all the same (a server's schedule refreshes
    every interval) writes no row (the state's rows, and the engine's own counter of the
    refresh)."""
    with incremental.client() as client:
        load(client, pool)
        refresh(client)
        before = state_rows(client)
        assert refresh_analytics(client, only=STATES) == []
        refreshed = refresh_analytics(client, only=STATES, skip_current=False)
        after = state_rows(client)
        views = ", ".join(f"'{state}_mv'" for state in STATES)
        read = client.query(
            "select view, read_rows, written_rows from system.view_refreshes "
            f"where view in ({views})"
        ).result_rows
    assert all(rows for rows in before.values()), before
    assert len(refreshed) == len(STATES)
    assert after == before
    assert all(written == 0 for _, _, written in read), read


def test_a_build_over_filled_states_keeps_every_key(incremental, pool):
    """`dbt run` over states that hold rows, with changes logged since their watermark (a fifth
    of every pooled table delivered again): the build writes a new table for each state and
    swaps it in, so it must recompute every key, not just the changed ones. The states then
    equal a full recompute."""
    with incremental.client() as client:
        load(client, pool)
        refresh(client)
        for table, rows in pool.items():
            insert(client, table, rows.slice(0, max(rows.num_rows // 5, 1)))
    incremental.dbt("run", "-s", *STATES, "--vars", NO_OVERLAP)
    with incremental.client() as client:
        found = converted_rows(client)
        refresh(client, full=True)
        reference = converted_rows(client)
    assert all(reference.values()), {model: len(rows) for model, rows in reference.items()}
    assert not differing(found, reference), "\n".join(differing(found, reference))


def test_a_session_growing_past_midnight_recomputes_the_day_it_started(incremental):
    """The hand-made session A (helpers/ga4_export.py) lands on / at 23:55; its events after
    midnight, on /products/tee, arrive in a later delivery; then A2, the same client's direct
    session three days on. A refresh follows each delivery. The second delivery has no event
    on A's first day, yet moves A's exit page away from / on that day: the day must be
    recomputed. A2 takes A's source (last non-direct). Equal to a full recompute."""
    with incremental.client() as client:
        empty_everything(client)
        for rows, loaded_at in ((A, at(2, 6)), (A_AFTER_MIDNIGHT, at(3, 6)), (A2, at(5, 6))):
            deliver(client, rows, "parquet", "daily", loaded_at)
            refresh(client)
        pages = client.query(
            "select activity_date, page_path, page_views, entrances, exits"
            " from analytics_ga4.ga4_page_engagement order by activity_date"
        ).result_rows
        sessions = client.query(
            "select events, exit_page_path, last_non_direct_source"
            " from analytics_ga4.ga4_sessions order by session_start_at"
        ).result_rows
        found = converted_rows(client)
        refresh(client, full=True)
        reference = converted_rows(client)
    # worked out by hand: exits count on the session's first day
    assert pages == [
        (date(2024, 5, 1), "/", 1, 1, 0),
        (date(2024, 5, 2), "/products/tee", 1, 0, 0),
        (date(2024, 5, 4), "/", 1, 1, 1),
    ]
    assert sessions == [(5, "/products/tee", "google"), (2, "/", "google")]
    assert not differing(found, reference), "\n".join(differing(found, reference))
