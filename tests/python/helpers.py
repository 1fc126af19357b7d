"""Shared helpers for the Python test suite: import them with `from helpers import ...`.

Every test runs real dbt and the real ClickHouse engine (embedded). Each test module gets its
own embedded database folder through ECOM_CHDB_PATH, so tests never touch the user's `.chdb`
and a subprocess (dbt, the CLI) can open the folder while the test holds no connection.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import time
import uuid
from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from ecom_analytics import PROJECT_DIR
from ecom_analytics.workspace import Workspace

Row = TypeVar("Row")


class Project(Workspace):
    """The dbt project bound to one embedded database folder (`workdir/db`), on the local target.
    `run`, `dbt` and `cli` fail the test with the command's output unless `check=False`."""

    def __init__(self, workdir: Path):
        super().__init__(
            workdir / "db", workdir, target="local", profiles_dir=PROJECT_DIR, check=True
        )
        self.chdb_path = self.path

    def query(self, sql: str) -> list[tuple]:
        """The rows of one query, on a connection of its own (closed before returning)."""
        with self.client() as client:
            return client.query(sql).result_rows

    def one(self, sql: str) -> dict:
        """The single row of one query as {column: value}, on a connection of its own."""
        with self.client() as client:
            return one(client, sql)


def rows(client, sql: str) -> list[dict]:
    """The rows of one query as {column: value} dicts."""
    result = client.query(sql)
    return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]


def one(client, sql: str) -> dict:
    """The single row of one query as {column: value}; fails unless there is exactly one."""
    found = rows(client, sql)
    assert len(found) == 1, found
    return found[0]


def chromium_binary() -> str:
    """Debian's Chromium for the browser tests: required under CI (.ci/run installs it),
    skipped with a reason elsewhere."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if binary := shutil.which(name):
            return binary
    if os.environ.get("CI"):
        pytest.fail("Chromium is required under CI (.ci/run installs Debian's chromium package)")
    pytest.skip("Chromium not installed: `apt-get install chromium` to run the browser tests")


# How Airbyte's ClickHouse destination loads rows: JSON lines, date-times parsed best effort,
# fields the table does not have skipped.
AIRBYTE_INSERT_SETTINGS = {
    "date_time_input_format": "best_effort",
    "input_format_skip_unknown_fields": 1,
}


def insert_json_rows(client, table: str, rows: Iterable[dict]) -> None:
    """Insert rows the way Airbyte's destination does (JSONEachRow; absent columns get their
    NULL or default)."""
    insert_json_lines(client, table, (json.dumps(row, default=str) for row in rows))


def insert_json_lines(client, table: str, lines: Iterable[str]) -> None:
    """Insert JSON lines as they are, the way Airbyte's destination does."""
    body = "\n".join(lines)
    client.command(
        f"insert into {table} format JSONEachRow\n{body}", settings=AIRBYTE_INSERT_SETTINGS
    )


def model_manifest(project: Project) -> dict:
    """dbt's manifest of the project's last dbt command (its nodes, sources and configs)."""
    return json.loads((project.workdir / "target" / "manifest.json").read_text())


def newest_per_key(
    rows: Iterable[Row], key: Callable[[Row], Hashable], version: Callable[[Row], Any]
) -> dict[Hashable, Row]:
    """The newest row per key, deduplicated in Python (never with FINAL), so tests can compute
    the current raw state independently of the engine: the highest version wins, and among
    equal versions the row read last."""
    newest: dict[Hashable, Row] = {}
    for row in rows:
        k = key(row)
        if k not in newest or version(row) >= version(newest[k]):
            newest[k] = row
    return newest


KLAVIYO_COLUMNS = [
    "_airbyte_raw_id",
    "_airbyte_extracted_at",
    "_airbyte_meta",
    "_airbyte_generation_id",
    "type",
    "id",
    "{cursor}",
    "attributes",
    "relationships",
    "links",
]
KLAVIYO_CURSORS = {
    "events": "datetime",
    "campaigns": "updated_at",
    "campaigns_detailed": "updated_at",
    "flows": "updated",
    "profiles": "updated",
    "metrics": "updated",
    "lists": "updated",
}


def _json_text(value) -> str | None:
    """JSON text for dicts and lists; strings pass as they are (to insert malformed text)."""
    return value if value is None or isinstance(value, str) else json.dumps(value)


def insert_klaviyo(
    client,
    stream: str,
    records: list[dict],
    extracted_at: datetime,
    extra: dict | None = None,
    database: str = "raw_klaviyo",
) -> None:
    """Insert Airbyte-shaped Klaviyo rows: {id, cursor, attributes, relationships} per record."""
    columns = [c.format(cursor=KLAVIYO_CURSORS[stream]) for c in KLAVIYO_COLUMNS]
    columns += list(extra or {})
    rows = [
        [
            str(uuid.uuid4()),
            extracted_at,
            '{"changes": []}',
            1,
            stream.rstrip("s"),
            record["id"],
            record["cursor"],
            _json_text(record.get("attributes")),
            _json_text(record.get("relationships")),
            None,
        ]
        + [_json_text(record.get(name)) for name in extra or {}]
        for record in records
    ]
    client.insert(f"{database}.{stream}", rows, column_names=columns)


def raw_message_campaigns(client, database: str = "raw_klaviyo") -> dict[str, str]:
    """Campaign-message id -> campaign id, parsed here from raw: campaigns_detailed's array
    `campaign_messages` or single object `campaign_message` (connector 2.x), and the campaigns
    stream's `attributes.message`."""
    found = {}
    for r in rows(
        client,
        f"select id, campaign_messages, campaign_message from {database}.campaigns_detailed",
    ):
        for text in (r["campaign_messages"], r["campaign_message"]):
            try:
                parsed = json.loads(text or "null")
            except ValueError:
                continue
            for message in parsed if isinstance(parsed, list) else [parsed]:
                if isinstance(message, dict) and message.get("id"):
                    found[message["id"]] = r["id"]
    for r in rows(client, f"select id, attributes from {database}.campaigns"):
        try:
            message = (json.loads(r["attributes"] or "{}") or {}).get("message")
        except (ValueError, AttributeError):
            continue
        if message:
            found.setdefault(message, r["id"])
    return found


# --- whole-project snapshots --------------------------------------------------------------------

MODEL_DATABASES = "database like 'data\\_%' or database like '%\\_analytics'"
# Which delivery of identical content a model keeps is immaterial: its load time is left out.
LOAD_METADATA = ("_loaded_at",)
# Answers that move with the clock, not with the data (windows ending now, days since): two
# snapshots taken seconds apart may differ there, so whole-project comparisons leave them out.
CLOCK_MODELS = {
    "data_freshness",
    "product_engagement",
    "klaviyo_segment_performance",
    "shopify_product_performance",
    "shopify_inventory_health",
    "shopify_hourly_orders",
}
CLOCK_COLUMNS = {
    "days_since_last_order",
    "lifecycle_stage",
    "events_in_30_days",
    "events_in_90_days",
}


def model_relations(client) -> list[tuple[str, str, str]]:
    """(database, name, engine) of every model table and view; MV inner tables and the
    temporary tables of refreshes in flight (`.tmp.inner_id...`) excluded."""
    return client.query(
        f"select database, name, engine from system.tables where ({MODEL_DATABASES}) "
        "and engine != 'MaterializedView' and not startsWith(name, '.') "
        "order by database, name"
    ).result_rows


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


def models_snapshot(client) -> dict[str, list]:
    """Every curated and analytics model's current rows (FINAL), sorted, load metadata and
    clock-bound answers left out, after refreshing the analytics layer: equal snapshots mean
    equal results."""
    from ecom_analytics.refresh import refresh_analytics

    refresh_analytics(client)
    found = {}
    for database, name, engine in model_relations(client):
        if name in CLOCK_MODELS or engine.startswith("Aggregating"):
            continue  # aggregate states serialize in insertion order: read their merging view
        described = client.query(
            f"select name, type from system.columns where database = '{database}' "
            f"and table = '{name}' order by position"
        ).result_rows
        if any("AggregateFunction" in type_ for _, type_ in described):
            continue  # a plain view over an aggregating table: the same unmerged states
        columns = [c for c, _ in described if c not in LOAD_METADATA and c not in CLOCK_COLUMNS]
        final = " final" if "Replacing" in engine else ""
        result = client.query(
            f"select {', '.join(f'`{c}`' for c in columns)} from `{database}`.`{name}`{final}"
        ).result_rows
        found[f"{database}.{name}"] = sorted((_comparable(row) for row in result), key=repr)
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
