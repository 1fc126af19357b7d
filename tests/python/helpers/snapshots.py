"""Whole-project snapshots (every model's rows) and what a closed folder leaves behind."""

from __future__ import annotations

import math
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

MODEL_DATABASES = "database like 'data\\_%' or database like 'analytics\\_%'"
# Which delivery of identical content a model keeps is immaterial: its load time (and a version
# built from it, as the GA4 export's `_version`) is left out.
LOAD_METADATA = ("_loaded_at", "_version")
# An incremental state's refresh time, and what only the path there decides: its change log's
# rows (every delivery logged) and the Merge table over the state's versions
# (macros/incremental/). The state itself is compared, FINAL, and so is the view over it.
INCREMENTAL_BOOKKEEPING = ("_computed_at",)
# Answers that move with the clock, not with the data (windows ending now, days since): two
# snapshots taken seconds apart may differ there, so whole-project comparisons leave them out.
CLOCK_MODELS = {
    "data_freshness",
    "product_engagement",
    "klaviyo_segment_performance",
    "shopify_product_performance",
    "shopify_inventory_health",
    "shopify_hourly_orders",
    "product_affinity",
}
CLOCK_COLUMNS = {
    "days_since_last_order",
    "lifecycle_stage",
    "events_in_30_days",
    "events_in_90_days",
}


def model_relations(client, databases: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    """(database, name, engine) of every model table and view (only those of `databases`, if
    given); MV inner tables and the temporary tables of refreshes in flight
    (`.tmp.inner_id...`) excluded."""
    only = f" and database in ({', '.join(repr(d) for d in databases)})" if databases else ""
    return client.query(
        f"select database, name, engine from system.tables where ({MODEL_DATABASES}){only} "
        "and engine != 'MaterializedView' and not startsWith(name, '.') "
        "order by database, name"
    ).result_rows


# Values of these exact types are comparable as they are (the common case: a snapshot reads
# millions of values, and most are ids, names and counts).
_PLAIN = frozenset({str, int, bool, type(None), bytes})


def _comparable_row(row: tuple) -> tuple:
    """_comparable of one row, the plain values passed through at once."""
    return tuple(v if type(v) in _PLAIN else _comparable(v) for v in row)


def _comparable(value):
    """A value comparable across builds: floats to 9 significant digits (sums of floats in
    another order differ in the last bits), containers element-wise."""
    if isinstance(value, float):
        return None if math.isnan(value) else float(f"{value:.9g}")
    if isinstance(value, list | tuple):
        return tuple(_comparable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _comparable(v)) for k, v in value.items()))
    if isinstance(value, Decimal | date | datetime):
        return str(value)
    return value


def models_snapshot(client, databases: tuple[str, ...] = ()) -> dict[str, list]:
    """Every curated and analytics model's current rows (FINAL; only the models in
    `databases`, if given), sorted, load metadata and clock-bound answers left out, after
    refreshing the analytics layer: equal snapshots mean equal results."""
    from ecom_analytics.refresh import refresh_analytics

    refresh_analytics(client)
    found = {}
    for database, name, engine in model_relations(client, databases):
        if name in CLOCK_MODELS or engine.startswith("Aggregating"):
            continue  # aggregate states serialize in insertion order: read their merging view
        if engine == "Merge" or name.endswith("_changes"):
            continue  # an incremental state's bookkeeping (INCREMENTAL_BOOKKEEPING)
        described = client.query(
            f"select name, type from system.columns where database = '{database}' "
            f"and table = '{name}' order by position"
        ).result_rows
        if any("AggregateFunction" in type_ for _, type_ in described):
            continue  # a plain view over an aggregating table: the same unmerged states
        columns = [
            c
            for c, _ in described
            if c not in LOAD_METADATA + INCREMENTAL_BOOKKEEPING and c not in CLOCK_COLUMNS
        ]
        final = " final" if "Replacing" in engine else ""
        result = client.query(
            f"select {', '.join(f'`{c}`' for c in columns)} from `{database}`.`{name}`{final}"
        ).result_rows
        found[f"{database}.{name}"] = sorted(map(_comparable_row, result), key=repr)
    return found


def leftovers(folder: Path) -> dict[str, list[str]]:
    """What a closed embedded database folder holds beyond its live contents, each of which
    every later open pays for: data parts on disk that are not active (replaced or merged away:
    "outdated"), anything in a table's detached/, tables queued in metadata_dropped/ (counted
    before the open, which may queue its own), backfill scratch tables. All empty when clean."""
    from dbt.adapters.chdb.client import open_embedded

    dropped = sorted(p.name for p in (folder / "metadata_dropped").glob("*"))
    with open_embedded(str(folder)) as client:
        # the open's own merges would move parts while they are compared with the disk
        client.command("SYSTEM STOP MERGES")
        while client.query("select count() from system.merges").result_rows[0][0]:
            time.sleep(0.02)
        data_paths = [
            Path(path).resolve()
            for (path,) in client.query(
                "select arrayJoin(data_paths) from system.tables where engine like '%MergeTree'"
            ).result_rows
        ]
        active = {
            Path(path).resolve()
            for (path,) in client.query("select path from system.parts where active").result_rows
        }
        scratch = [
            f"{database}.{name}"
            for database, name in client.query(
                "select database, name from system.tables where position(name, '__backfill') > 0"
            ).result_rows
        ]
    on_disk = [part for path in data_paths for part in path.iterdir() if part.is_dir()]
    return {
        "outdated parts": sorted(
            str(p) for p in on_disk if p.name != "detached" and p.resolve() not in active
        ),
        "detached": sorted(str(p) for path in data_paths for p in path.glob("detached/*")),
        "metadata_dropped": dropped,
        "scratch tables": sorted(scratch),
    }


NO_LEFTOVERS = {"outdated parts": [], "detached": [], "metadata_dropped": [], "scratch tables": []}
