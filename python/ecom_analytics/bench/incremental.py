"""Incremental refresh: what bringing every analytics model up to date costs after a delta of
new and changed raw rows, and with nothing new, against a full recompute in the same run.

Rows read and written per view are the engine's own counters (`system.view_refreshes`), the
figure the goal is stated in; seconds are reported beside them."""

from __future__ import annotations

import sys
import time
from typing import Any

from ecom_analytics.bench.runner import Bench, scalar, select_list

# the share of each table's rows the delta adds or changes
DELTA_SHARE = 0.01

# what a re-delivered or new raw row carries: a new Airbyte record, loaded now
LOADED_NOW = {"_airbyte_raw_id": "generateUUIDv4()", "_airbyte_extracted_at": "now64(3)"}


def _insert_copies(
    client: Any, database: str, table: str, replaced: dict[str, str], rows: str
) -> int:
    """Insert copies of some rows of a raw table, columns replaced by expressions; `rows` is
    the rest of the SELECT after FROM (a filter, an order, a limit). Returns the rows inserted."""
    source = f"`{database}`.`{table}`"
    columns = select_list(client, database, table, {**LOADED_NOW, **replaced})
    scratch = f"select {columns} from {source} {rows}"
    count = scalar(client, f"select count() from ({scratch})")
    client.command(f"insert into {source} {scratch}")
    return count


def insert_delta(client: Any, raw: dict[str, str], share: float) -> dict[str, int]:
    """New and changed raw rows, about `share` of each source's rows, as a sync would bring
    them; returns the rows inserted per raw table.
    - Shopify: the newest half-share of orders updated (a second later; every 7th turned into a
      test order, every 5th moved three days earlier), as many new orders, the newest share of
      refunds restated two days earlier, and a late refund for the oldest refunded order.
    - Klaviyo: the newest share of events again under new ids (new events).
    - GA4: the newest day of every Data API report and of the export delivered again (a
      restated day)."""
    from ecom_analytics.sample_data import RAW_TABLES

    shopify, klaviyo = raw["shopify"], raw["klaviyo"]
    orders, refunds = f"`{shopify}`.orders", f"`{shopify}`.order_refunds"
    half = max(1, round(scalar(client, f"select count() from {orders} final") * share / 2))
    refunded = max(1, round(scalar(client, f"select count() from {refunds} final") * share))
    events = max(1, round(scalar(client, f"select count() from `{klaviyo}`.events") * share))
    next_order = scalar(client, f"select max(id) + 1 from {orders}")
    next_refund = scalar(client, f"select max(id) + 1 from {refunds}")
    oldest_refunded_order = scalar(
        client,
        f"select order_id from {refunds} final where order_id is not null"
        " order by created_at, id limit 1",
    )
    inserted = {
        f"{shopify}.orders (updated)": _insert_copies(
            client,
            shopify,
            "orders",
            {
                "updated_at": "updated_at + interval 1 second",
                "test": "if(id % 7 = 0, true, test)",
                "processed_at": "if(id % 5 = 0, processed_at - interval 3 day, processed_at)",
            },
            f"final order by id desc limit {half}",
        ),
        f"{shopify}.orders (new)": _insert_copies(
            client,
            shopify,
            "orders",
            {
                "id": f"id + {next_order}",
                "created_at": "now64(3)",
                "processed_at": "now64(3)",
                "updated_at": "now64(3)",
            },
            f"final order by id desc limit {half}",
        ),
        f"{shopify}.order_refunds (restated)": _insert_copies(
            client,
            shopify,
            "order_refunds",
            {
                "created_at": "created_at + interval 1 second",
                "processed_at": "processed_at - interval 2 day",
            },
            f"final order by id desc limit {refunded}",
        ),
        f"{shopify}.order_refunds (late, oldest order)": _insert_copies(
            client,
            shopify,
            "order_refunds",
            {"id": str(next_refund), "order_id": str(oldest_refunded_order)},
            "final order by id desc limit 1",
        ),
        f"{klaviyo}.events (new)": _insert_copies(
            client,
            klaviyo,
            "events",
            {"id": "concat('delta-', id)"},
            f"final order by datetime desc limit {events}",
        ),
    }
    for source, date_column in (("ga4", "date"), ("ga4_export", "event_date")):
        for table in RAW_TABLES[source]:
            name = f"`{raw[source]}`.`{table}`"
            inserted[f"{raw[source]}.{table} (newest day again)"] = _insert_copies(
                client,
                raw[source],
                table,
                {},
                f"where {date_column} = (select max({date_column}) from {name})",
            )
    return inserted


def refresh_costs(client: Any, full: bool = False) -> dict[str, Any]:
    """One `refresh_analytics` of every view (`full`: the incremental states emptied first, so
    they recompute every key): seconds, and rows read and written per view and in all."""
    from ecom_analytics.refresh import ANALYTICS_DATABASES, refresh_analytics

    started = time.perf_counter()
    refreshed = refresh_analytics(client, full=full)
    seconds = time.perf_counter() - started
    counters = {
        view: (read, written)
        for view, read, written in client.query(
            "select view, read_rows, written_rows from system.view_refreshes"
            f" where database {ANALYTICS_DATABASES}"
        ).result_rows
    }
    seconds_of = {view: view_seconds for _database, view, view_seconds in refreshed}
    # a view left alone as current read and wrote nothing (its counters are an older run's)
    views = {
        view.removesuffix("_mv"): {
            "seconds": seconds_of.get(view, 0.0),
            "read_rows": read if view in seconds_of else 0,
            "written_rows": written if view in seconds_of else 0,
        }
        for view, (read, written) in counters.items()
    }
    return {
        "seconds": seconds,
        "read_rows": sum(v["read_rows"] for v in views.values()),
        "written_rows": sum(v["written_rows"] for v in views.values()),
        "views": views,
    }


def wait_past_overlap(client: Any, vars: dict[str, Any]) -> float:
    """Wait until the newest row of every change log (the analytics tables with `_changed_at`)
    is older than the states' overlap (var `analytics_incremental_overlap_seconds`, with the
    benchmark's `--vars`, as its dbt runs built the states): a refresh re-reads what arrived
    within it, so "nothing new" means nothing new for that long, and the refresh after a full
    recompute finds nothing only then. Returns the seconds waited (at a larger scale the full
    recompute alone outlasts the overlap)."""
    from ecom_analytics.refresh import ANALYTICS_DATABASES
    from ecom_analytics.target import project_vars

    overlap = float(project_vars(vars)["analytics_incremental_overlap_seconds"])
    logs = client.query(
        "select database, table from system.columns"
        f" where database {ANALYTICS_DATABASES} and name = '_changed_at'"
    ).result_rows
    if not logs:
        return 0.0
    newest = " union all ".join(
        f"select max(_changed_at) as changed_at from `{database}`.`{table}`"
        for database, table in logs
    )
    age = scalar(
        client,
        f"select dateDiff('millisecond', max(changed_at), now64(3)) / 1000 from ({newest})",
    )
    wait = max(0.0, overlap + 1 - age)
    if wait:
        print(f"    waiting {wait:.0f} s: the newest change within the overlap", file=sys.stderr)
        time.sleep(wait)
    return wait


def measure_incremental(bench: Bench, raw: dict[str, str]) -> dict[str, Any]:
    """A full recompute of every analytics view, then a refresh with nothing new, then a delta
    of DELTA_SHARE of the raw rows and a refresh after it; ratios are full / incremental."""
    from ecom_analytics.refresh import incremental_states, refreshable_views

    with bench.client() as client:
        states = incremental_states(client, refreshable_views(client))
        waited = wait_past_overlap(client, bench.vars)
        full = refresh_costs(client, full=True)
        nothing_new = refresh_costs(client)
        delta_started = time.perf_counter()
        delta = insert_delta(client, raw, DELTA_SHARE)
        delta_seconds = time.perf_counter() - delta_started
        after_delta = refresh_costs(client)
    for measured in (nothing_new, after_delta):
        measured["read_ratio"] = full["read_rows"] / max(measured["read_rows"], 1)
        measured["seconds_ratio"] = full["seconds"] / max(measured["seconds"], 1e-9)
    return {
        "delta_share": DELTA_SHARE,
        "waited_past_overlap_seconds": waited,
        "delta_rows": delta,
        "delta_insert_seconds": delta_seconds,
        "incremental_states": [state.split(".", 1)[1].strip("`") for state in states],
        "full": full,
        "nothing_new": nothing_new,
        "after_delta": after_delta,
    }
