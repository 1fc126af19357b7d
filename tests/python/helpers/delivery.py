"""The pool of delivered raw rows that the delivery-pattern tests replay
(test_delivery_equivalence, test_incremental_analytics): a small sample generated once per run
into raw tables of their own, every raw table's rows saved in load order; and how they are
replayed (`deliveries`, `insert`) into a folder emptied first (`empty_everything`)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from helpers.project import Project
from helpers.snapshots import model_relations

RAW_DATABASES = ("raw_shopify", "raw_klaviyo", "raw_ga4", "raw_ga4_export")
# the GA4 export's Parquet layout (the default) has its own load time, no Airbyte columns
LOADED_AT = {"raw_ga4_export": "_loaded_at"}
POOL_SAMPLE = ("sample", "--scale", "0.03", "--klaviyo-scale", "0.03")


def raw_tables(client) -> list[str]:
    databases = ", ".join(f"'{d}'" for d in RAW_DATABASES)
    return [
        f"`{database}`.`{name}`"
        for database, name in client.query(
            f"select database, name from system.tables where database in ({databases}) "
            "and engine like '%MergeTree' order by database, name"
        ).result_rows
    ]


def loaded_at(table: str) -> str:
    """The column that orders a raw table's rows as they were loaded."""
    return LOADED_AT.get(table.split(".")[0].strip("`"), "_airbyte_extracted_at")


def save_pool(generated: Project) -> None:
    """Generate the pool's sample into `generated` (a provisioned project: no view fires on
    the rows) and save each raw table's rows, in load order, as an Arrow file beside it."""
    generated.cli(*POOL_SAMPLE)
    folder = generated.workdir / "pool"
    folder.mkdir()
    with generated.client() as client:
        tables = raw_tables(client)
        for position, table in enumerate(tables):
            rows = client.query_arrow(f"select * from {table} order by {loaded_at(table)}")
            with pa.ipc.new_file(str(folder / f"{position}.arrow"), rows.schema) as out:
                out.write_table(rows)
    (folder / "tables.json").write_text(json.dumps(tables))


def read_pool(generated: Project) -> dict[str, pa.Table]:
    """Every delivered raw row, per raw table (`database`.`name`), in load order, as
    `save_pool` saved them."""
    folder = generated.workdir / "pool"
    tables = json.loads((folder / "tables.json").read_text())
    return {
        table: pa.ipc.open_file(str(folder / f"{position}.arrow")).read_all()
        for position, table in enumerate(tables)
    }


def empty_everything(client) -> None:
    """Truncate every raw table and every model table (curated, analytics, incremental state)."""
    for table in raw_tables(client):
        client.command(f"truncate table {table}")
    for database, name, engine in model_relations(client):
        if engine.endswith("MergeTree"):
            client.command(f"truncate table `{database}`.`{name}`")


def deliveries(pool: dict[str, pa.Table], seed: int, batches: int) -> Iterator[tuple]:
    """(table, rows) inserts: each table's rows shuffled, cut into up to `batches` batches,
    about a fifth of them delivered twice; tables interleaved at random."""
    rng = np.random.default_rng(seed)
    inserts = []
    for table, rows in pool.items():
        order = rng.permutation(rows.num_rows)
        cuts = np.sort(rng.choice(np.arange(1, max(rows.num_rows, 2)), batches - 1))
        for part in np.split(order, cuts):
            if len(part):
                inserts.append((table, rows.take(part)))
                if rng.random() < 0.2:
                    inserts.append((table, rows.take(part)))
    for i in rng.permutation(len(inserts)):
        yield inserts[i]


def insert(client, table: str, rows: pa.Table) -> None:
    database, name = (part.strip("`") for part in table.split("."))
    # One insert is one delivery: keep every row of it, as the destination does.
    client.insert_arrow(name, rows, database=database, settings={"optimize_on_insert": 0})
