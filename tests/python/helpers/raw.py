"""Reading query results, and writing raw rows the way Airbyte's ClickHouse destination does."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from typing import Any, TypeVar

Row = TypeVar("Row")


def rows(client, sql: str) -> list[dict]:
    """The rows of one query as {column: value} dicts."""
    result = client.query(sql)
    return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]


def one(client, sql: str) -> dict:
    """The single row of one query as {column: value}; fails unless there is exactly one."""
    found = rows(client, sql)
    assert len(found) == 1, found
    return found[0]


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
