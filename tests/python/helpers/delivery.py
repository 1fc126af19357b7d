"""The pool of delivered raw rows that the delivery-pattern tests replay
(test_delivery_equivalence, test_incremental_analytics): a small sample generated once per run
into raw tables of their own, every raw table's rows saved in load order."""

from __future__ import annotations

import json

import pyarrow as pa

from helpers.project import Project

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
