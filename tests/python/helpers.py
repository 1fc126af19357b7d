"""Shared helpers for the Python test suite: import them with `from helpers import ...`.

Every test runs real dbt and the real ClickHouse engine (embedded). Each test module gets its
own embedded database folder through ECOM_CHDB_PATH, so tests never touch the user's `.chdb`
and a subprocess (dbt, the CLI) can open the folder while the test holds no connection.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from dbt.adapters.chdb.client import open_embedded

PROJECT_DIR = Path(__file__).resolve().parents[2]
BIN_DIR = Path(sys.executable).parent
Row = TypeVar("Row")


class Project:
    """The dbt project bound to one embedded database folder."""

    def __init__(self, workdir: Path):
        self.chdb_path = workdir / "db"
        self.env = {
            **os.environ,
            "ECOM_CHDB_PATH": str(self.chdb_path),
            # dbt artifacts per test module, so parallel runs never share target/ or logs/.
            "DBT_TARGET_PATH": str(workdir / "target"),
            "DBT_LOG_PATH": str(workdir / "logs"),
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "DBT_TARGET": "local",
        }

    def run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(cmd, cwd=PROJECT_DIR, env=self.env, capture_output=True, text=True)
        if check and result.returncode != 0:
            raise AssertionError(
                f"{' '.join(cmd)} failed ({result.returncode})\n"
                f"--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}"
            )
        return result

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run(str(BIN_DIR / "python"), "-m", "ecom_analytics", *args, check=check)

    def dbt(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run(str(BIN_DIR / "dbt"), *args, check=check)

    @contextmanager
    def client(self) -> Iterator:
        """A connection for assertions; leave the block before running dbt or the CLI."""
        client = open_embedded(str(self.chdb_path), query_limit=0)
        try:
            yield client
        finally:
            client.close()

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


def insert_json_rows(client, table: str, rows: Iterable[dict]) -> None:
    """Insert rows the way Airbyte's destination does (JSONEachRow: absent columns get their
    NULL or default, date-times parsed best effort)."""
    body = "\n".join(json.dumps(row, default=str) for row in rows)
    client.command(f"insert into {table} format JSONEachRow\n{body}")


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
