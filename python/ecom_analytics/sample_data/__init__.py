"""Deterministic, Airbyte-shaped sample data for the raw tables: `ecom sample`.

One coherent business seen through three sources (world.py): Shopify orders and customers
(the shopify package), the same people and orders in Klaviyo (the klaviyo package), the same
site in GA4 (the ga4_export package: the BigQuery export's events, as Parquet files loaded
with the project's loader; ga4.py: the Data API reports, derived from those events). Rows
arrive as Airbyte's daily incremental syncs deliver them (common.py): changed orders
re-delivered with their new state, GA4's last 2 days restated, a little bad input.

Volumes: --scale 1 = 10k orders, 100k Klaviyo events, 180 days of GA4 reports (derived from
the export's events: their figures grow with scale, their rows little), about 330k GA4 export
events. --scale 100 = 1M orders and 10M events; add --klaviyo-scale 200 for 20M events
(Klaviyo events are the one stream that grows faster).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ecom_analytics.sample_data import ga4, ga4_export, klaviyo, shopify
from ecom_analytics.sample_data.common import Clock, Writer
from ecom_analytics.sample_data.world import Sizes, World

DEFAULT_SEED = 20261101
RAW_TABLES = {
    "shopify": [
        "orders",
        "customers",
        "products",
        "product_variants",
        "inventory_levels",
        "inventory_items",
        "abandoned_checkouts",
        "discount_codes",
        "order_refunds",
        "fulfillments",
        "transactions",
    ],
    "klaviyo": [
        "events",
        "campaigns",
        "campaigns_detailed",
        "flows",
        "profiles",
        "metrics",
        "lists",
    ],
    "ga4": [
        "daily_active_users",
        "weekly_active_users",
        "four_weekly_active_users",
        "website_overview",
        "devices",
        "locations",
        "traffic_sources",
        "pages",
        "events_report",
        "ecommerce_purchases_item_name_report",
    ],
    "ga4_export": ["events"],
}


def positive_scale(text: str) -> float:
    """A scale factor: a finite number above zero (0 or -1 would silently load a token data set)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number above 0, got {text}")
    return value


def as_of_time(text: str) -> datetime:
    """--as-of: an ISO date or date-time, UTC unless it carries an offset."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO date or date-time (2026-11-01, 2026-11-01T06:00): {text!r}"
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def default_as_of() -> datetime:
    """Now, to the minute: the history ends now, so sources are fresh after `make build`."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scale",
        type=positive_scale,
        default=1.0,
        help="1.0 = 10k orders, 100k Klaviyo events (default 1.0)",
    )
    parser.add_argument(
        "--klaviyo-scale",
        type=positive_scale,
        default=None,
        help="scale of the Klaviyo event volume (default: --scale)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--as-of",
        type=as_of_time,
        default=None,
        help="when the generated history ends (the last sync has finished), UTC ISO date or "
        "date-time; default: now. The same seed, scale and as-of give the same rows",
    )
    parser.add_argument(
        "--database-index",
        type=int,
        default=0,
        help="which entry of the *_raw_databases vars to load (a second shop, "
        "account and property get their own data)",
    )
    parser.add_argument("--replace", action="store_true", help="truncate the raw tables first")
    parser.add_argument(
        "--yes", action="store_true", help="confirm --replace on a non-embedded target"
    )
    parser.add_argument(
        "--ga4-export-dir",
        type=Path,
        default=None,
        help="keep the GA4 export's Parquet files here (default: a temporary folder, removed "
        "once they are loaded)",
    )
    parser.add_argument(
        "--summary-json",
        type=Path,
        help="also write the summary (rows and bad rows per table) here",
    )


def raw_databases(overrides: dict[str, Any], index: int = 0) -> dict[str, str]:
    """Source -> the raw database to load: entry `index` of its `<source>_raw_databases` var,
    read and validated exactly as provisioning reads them."""
    from ecom_analytics.provision import ProvisioningError
    from ecom_analytics.provision import raw_databases as listed_raw_databases
    from ecom_analytics.target import project_vars

    try:
        listed = listed_raw_databases(project_vars(overrides))
    except ProvisioningError as ex:
        raise SystemExit(f"error: {ex}") from ex
    databases = {}
    for source in RAW_TABLES:
        names = listed[f"raw_{source}"]
        if index >= len(names):
            raise SystemExit(
                f"--database-index {index}: {source}_raw_databases lists only "
                f"{len(names)} database(s): {names}"
            )
        databases[source] = names[index]
    return databases


def generate(
    client: Any,
    databases: dict[str, str],
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    klaviyo_scale: float | None = None,
    shop_index: int = 0,
    progress: bool | None = None,
    as_of: datetime | None = None,
    ga4_export_vars: dict[str, Any] | None = None,
    ga4_export_dir: Path | None = None,
    embedded: bool = True,
) -> Writer:
    """Write the whole data set, its history ending at `as_of` (default: now); returns the
    writer, which holds rows and bad rows per table. The GA4 export lands in the layout of the
    var ga4_export_layout (of `ga4_export_vars`, else dbt_project.yml's), its Parquet files
    kept in `ga4_export_dir` if given."""
    from tqdm import tqdm

    from ecom_analytics.target import project_vars

    sizes = Sizes.from_scale(scale, klaviyo_scale)
    clock = Clock(as_of or default_as_of())
    world = World(seed + 7919 * shop_index, sizes, clock, shop_index)
    expected = round(
        sizes.orders * 5  # versions, refunds, transactions, fulfillments
        + sizes.events
        + sizes.customers * 3  # customers and profiles
        + sizes.abandoned_checkouts
        + 100_000  # GA4 reports and small streams
        + sizes.orders * 30  # GA4 export events
    )
    with tqdm(
        total=expected,
        unit="rows",
        unit_scale=True,
        disable=None if progress is None else not progress,  # None: only on a terminal
        file=sys.stderr,
    ) as bar:
        writer = Writer(client, databases, world.seed, clock, bar)
        shopify.write_catalogue(writer, world)
        klaviyo.write_marketing(writer, world)
        totals = shopify.write_orders(
            writer, world, lambda batch: klaviyo.write_placed_orders(writer, world, batch)
        )
        shopify.write_customers(writer, world, totals)
        klaviyo.write_profiles(writer, world, totals.count, totals.spent, totals.last)
        shopify.write_abandoned_checkouts(writer, world)
        klaviyo.write_other_events(writer, world)

        def reports(traffic: ga4_export.Traffic) -> None:  # derived from the export's events
            ga4.write_reports(writer, world, traffic)
            writer.redeliver_newest()

        ga4_export.write_export(
            writer, world, project_vars(ga4_export_vars), ga4_export_dir, embedded, reports
        )
        bar.total = bar.n
    return writer


def curated_views(client: Any) -> int:
    """How many insert-triggered materialized views of the dbt project exist: their targets
    keep what they computed from raw rows that are truncated later."""
    return client.query(
        "select count() from system.tables where engine = 'MaterializedView'"
        " and create_table_query not like '% REFRESH %'"
        " and (startsWith(database, 'data_') or startsWith(database, 'analytics_'))"
    ).result_rows[0][0]


def truncate_raw(client: Any, databases: dict[str, str]) -> None:
    for source, tables in RAW_TABLES.items():
        for table in tables:
            client.command(f"TRUNCATE TABLE IF EXISTS `{databases[source]}`.`{table}`")


def run(args: argparse.Namespace) -> int:
    from ecom_analytics.target import connect, load_target

    target = load_target(args.target)
    databases = raw_databases(args.vars, args.database_index)
    if args.replace and not target.is_embedded and not args.yes:
        print(
            f"error: --replace would empty the raw tables of {', '.join(databases.values())} "
            f"on target '{target.name}', which is not the embedded engine. Re-run with --yes "
            "if that is really what you want.",
            file=sys.stderr,
        )
        return 2
    as_of = args.as_of or default_as_of()
    started = time.perf_counter()
    with connect(target) as client:
        if args.replace:
            truncate_raw(client, databases)
        stale = curated_views(client) if args.replace else 0
        writer = generate(
            client,
            databases,
            args.scale,
            args.seed,
            args.klaviyo_scale,
            args.database_index,
            as_of=as_of,
            ga4_export_vars=args.vars,
            ga4_export_dir=args.ga4_export_dir,
            embedded=target.is_embedded,
        )
    elapsed = time.perf_counter() - started
    summary = {
        "target": target.name,
        "databases": databases,
        "scale": args.scale,
        "seed": args.seed,
        "as_of": as_of.isoformat(),
        "seconds": round(elapsed, 2),
        "rows": dict(writer.rows),
        "bad_rows": dict(writer.bad),
    }
    print_summary(summary, writer.seconds)
    if stale:
        print(
            f"note: the raw tables were replaced, but the curated and analytics tables of the "
            f"{stale} materialized view(s) built on them still hold the rows computed from the old "
            "raw data (beside the new rows the views added). Run `make dbt-build` (or `dbt "
            "build`) to rebuild them from the new raw data; `make build` does both steps.",
            file=sys.stderr,
        )
    if args.summary_json:
        args.summary_json.write_text(json.dumps(summary, indent=2))
    return 0


def print_summary(summary: dict, insert_seconds: float) -> None:
    rows = summary["rows"]
    width = max(len(t) for t in rows)
    print(f"{'raw table':<{width}}  {'rows':>12}")
    for table, count in rows.items():
        print(f"{table:<{width}}  {count:>12,}")
    total = sum(rows.values())
    seconds = summary["seconds"]
    print(f"{'total':<{width}}  {total:>12,}")
    print(
        f"{total:,} rows in {seconds:.1f} s ({total / max(seconds, 1e-9):,.0f} rows/s; "
        f"{insert_seconds:.1f} s inserting)"
    )
    if summary["bad_rows"]:
        print(
            "deliberately bad rows: "
            + ", ".join(f"{k}={v}" for k, v in sorted(summary["bad_rows"].items()))
        )
