"""The GA4 BigQuery export of the sample world: every event as Parquet files of the export's
daily and intraday tables, delivered as Google delivers them, then loaded with the project's
own loader statement (the macro ga4_export_insert, which `dbt run-operation load_ga4_export`
issues per file).

Deliveries, in the property's time zone (the shop's, UTC-5): the daily tables of all but the
last 14 days came in one export when the pipeline was set up (14 days ago); since then a day's
daily table (events_YYYYMMDD) lands 8 hours after the day ends; the last days also come as the
intraday table first (events_intraday_YYYYMMDD, loaded at the day's end, or during the last
sync for the day in progress), whose events the daily table then brings again; every seventh
day is exported again two days later with late events (its events and 3% more). Raw keeps
every delivery.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ecom_analytics.sample_data.common import (
    BATCH_ROWS,
    DAY_MS,
    HOUR_MS,
    SHOP_OFFSET_MS,
    Writer,
    rng_for,
)
from ecom_analytics.sample_data.ga4 import PROPERTY_ID
from ecom_analytics.sample_data.ga4_export.events import Clients, export_events
from ecom_analytics.sample_data.ga4_export.sessions import VISITORS_PER_ORDER
from ecom_analytics.sample_data.ga4_export.traffic import Traffic
from ecom_analytics.sample_data.shopify.orders import Orders, draw_orders, slice_orders
from ecom_analytics.sample_data.world import World

TABLE = "events"
REEXPORT_EVERY = 7  # every seventh day is exported again with late events
LATE_SHARE = 0.03
INTRADAY_DAYS = 2  # the days before today that also came as an intraday table
DAILY_DAYS = 14  # days delivered one by one; the days before came in one export at set-up
# orders whose export events are drawn at once: a part holds ~33 events per order with their
# params and items as Python strings, about 100 KB per order, so this bounds the generator's
# memory (~2 GB) whatever the scale, while samples up to scale 2 are drawn in one part
EXPORT_ORDERS = 20_000


def delivery_plan(world: World, local_day: np.ndarray, time_ms: np.ndarray, rng) -> list:
    """[(loaded_ms, export_type, export table name, row mask)] for the events of one batch."""
    now = world.clock.now_ms
    late = rng.random(len(local_day)) < LATE_SHARE
    today = (now + SHOP_OFFSET_MS) // DAY_MS
    first_daily = today - DAILY_DAYS
    history = local_day < first_daily
    # the tables of the days before: one export, when the pipeline was set up
    set_up = int(first_daily) * DAY_MS - SHOP_OFFSET_MS + 8 * HOUR_MS
    plan = [(set_up, "daily", "events_history", history)] if history.any() else []
    for day in np.unique(local_day[~history]):
        rows = local_day == day
        end = int(day + 1) * DAY_MS - SHOP_OFFSET_MS  # the day's end, UTC
        daily = end + 8 * HOUR_MS
        reexport = int(day) % REEXPORT_EVERY == 3
        date = np.datetime64(int(day), "D").astype(str).replace("-", "")
        held = rows & late if reexport else np.zeros(len(rows), bool)
        if reexport and not held.any():  # a re-exported day has at least one late event
            held[np.flatnonzero(rows)[-1]] = True
        if daily <= now:
            plan.append((daily, "daily", f"events_{date}", rows & ~held))
            again = daily + 2 * DAY_MS + 3 * HOUR_MS  # after that day's own daily table
            if reexport and again <= now:
                plan.append((again, "daily", f"events_{date}", rows))
        if today - day <= INTRADAY_DAYS:
            loaded = min(end, now + 5 * 60_000)  # streamed during the last sync
            rows = rows & ~held & (time_ms <= loaded)
            plan.append((loaded, "intraday", f"events_intraday_{date}", rows))
    return plan


def write_export(
    writer: Writer,
    world: World,
    values: dict[str, Any],
    folder: Path | None = None,
    embedded: bool = True,
    before_load: Callable[[Traffic], None] | None = None,
) -> None:
    """Write the export's files (into `folder`, else a temporary one) and load them, in the
    order they were delivered, into the raw table of the layout the vars `values` name (the
    project's vars with the command's overrides), transaction ids from the order field they
    name. `before_load` gets what GA4 received (the Data API reports derive from it) once the
    files are written."""
    layout, transaction_field = values["ga4_export_layout"], values["ga4_transaction_id_field"]
    with tempfile.TemporaryDirectory(prefix="ga4_export_") as scratch:
        root = Path(folder or scratch)
        root.mkdir(parents=True, exist_ok=True)
        received: list[Traffic] = []
        files = _write_files(world, root, transaction_field, received)
        if before_load is not None:
            before_load(Traffic.concat(received))
        columns = writer.client.query(
            "select name, type from system.columns where database = %(db)s and table = %(t)s "
            "and name not in ('property_id', 'export_type', '_loaded_at') order by position",
            parameters={"db": writer.databases["ga4_export"], "t": TABLE},
        ).result_rows
        for loaded_ms, export_type, path in sorted(files):
            _load(writer, path, export_type, loaded_ms, layout, embedded, columns, values)


def _write_files(
    world: World, root: Path, transaction_field: str, received: list | None = None
) -> list:
    """The export's files [(loaded_ms, export_type, path)]; the traffic of each part of an order
    batch (EXPORT_ORDERS orders) is appended to `received`."""
    visitors = max(10, round(world.sizes.orders * VISITORS_PER_ORDER))
    clients = Clients(world, world.sizes.customers + visitors + 1)
    files = []
    step = max(1, BATCH_ROWS // 2)  # the order batches of the Shopify streams
    for batch_start in range(0, world.sizes.orders, step):
        batch_stop = min(world.sizes.orders, batch_start + step)
        batch_orders = draw_orders(
            world, rng_for(world.seed, "orders", batch_start), batch_start, batch_stop
        )
        for lo in range(0, batch_stop - batch_start, EXPORT_ORDERS):
            hi = min(batch_stop - batch_start, lo + EXPORT_ORDERS)
            orders = slice_orders(batch_orders, lo, hi)
            files += _write_part(world, orders, clients, root, transaction_field, received)
    return files


def _write_part(
    world: World,
    orders: Orders,
    clients: Clients,
    root: Path,
    transaction_field: str,
    received: list | None,
) -> list:
    """The export files of one part of an order batch [(loaded_ms, export_type, path)]."""
    files = []
    start = int(orders.batch.index[0])
    batch = export_events(world, orders, clients, transaction_field)
    if received is not None:
        received.append(batch.traffic)
    local_day = (batch.time_ms + SHOP_OFFSET_MS) // DAY_MS
    rng = rng_for(world.seed, "ga4_export_deliveries", start)
    for loaded_ms, export_type, name, rows in delivery_plan(world, local_day, batch.time_ms, rng):
        table = batch.table.filter(pa.array(rows))
        active = pa.array(np.full(len(table), True)) if export_type == "daily" else None
        column = table.schema.get_field_index("is_active_user")
        if active is not None:
            table = table.set_column(column, "is_active_user", active)
        stamp = datetime.fromtimestamp(loaded_ms / 1000, UTC).strftime("%Y%m%dT%H%M%S")
        path = root / name / f"{stamp}_{start:012d}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path)
        files.append((loaded_ms, export_type, path))
    return files


def _load(
    writer: Writer,
    path: Path,
    export_type: str,
    loaded_ms: int,
    layout: str,
    embedded: bool,
    columns: list[tuple[str, str]],
    values: dict,
) -> None:
    """Load one file as the loader does (its statement), or as Airbyte lands it."""
    from ecom_analytics.project_macros import call

    database = writer.databases["ga4_export"]
    loaded_at = datetime.fromtimestamp(loaded_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    if layout == "airbyte":
        statement = _airbyte_insert(str(path), database, loaded_at, export_type, columns)
    elif embedded:
        statement = call(
            "ga4_export_insert", str(path), [list(c) for c in columns], PROPERTY_ID, export_type,
            database, loaded_at, vars=values, needs=("ga4_export_reader",),
        )  # fmt: skip
    else:  # a server reads files on its own disk only: insert the same rows from here
        table = pq.read_table(path)
        n = len(table)
        extra = {
            "property_id": pa.array([PROPERTY_ID] * n),
            "export_type": pa.array([export_type] * n),
            "_loaded_at": pa.array(np.full(n, loaded_ms), pa.timestamp("ms")),
        }
        for i, (name, values) in enumerate(extra.items()):
            table = table.add_column(i, name, values)
        writer.client.insert_arrow(TABLE, table, database=database)
        statement = None
    if statement:
        writer.client.command(statement)
    rows = pq.ParquetFile(path).metadata.num_rows
    writer.rows[f"ga4_export.{TABLE}"] += rows
    if writer.progress is not None:
        writer.progress.update(rows)


def _airbyte_insert(path: str, database: str, loaded_at: str, export_type: str, columns) -> str:
    """The rows of one file as Airbyte's BigQuery source lands them: records as JSON text,
    FLOAT64 as Decimal(38, 9), a raw id per row and delivery."""
    from ecom_analytics.sample_data.ga4_export.schema import EXPORT_SCHEMA

    select = []
    for name, _ in columns:
        if name.startswith("_airbyte_"):
            continue
        type_ = EXPORT_SCHEMA.field(name).type
        if pa.types.is_struct(type_) or pa.types.is_list(type_):
            select.append(f"toJSONString({name})")
        elif pa.types.is_floating(type_):  # the number as JSON text, read as a decimal
            select.append(f"toDecimal128OrNull(toString({name}), 9)")
        else:
            select.append(name)
    names = [name for name, _ in columns if not name.startswith("_airbyte_")]
    identity = (
        f"'{path}', toString(event_timestamp), ifNull(event_name, ''), "
        "toString(batch_page_id), toString(batch_event_index), ifNull(user_pseudo_id, '')"
    )
    return (
        f"insert into `{database}`.`{TABLE}` (_airbyte_raw_id, _airbyte_extracted_at, "
        f"_airbyte_meta, _airbyte_generation_id, {', '.join(names)})\n"
        f"select toString(reinterpretAsUUID(MD5(concat({identity})))), "
        f"toDateTime64('{loaded_at}', 3), '{{\"sync_id\":0,\"changes\":[]}}', 1, "
        f"{', '.join(select)}\nfrom file('{path}', 'Parquet')\n"
        "settings output_format_json_escape_forward_slashes = 0"
    )
