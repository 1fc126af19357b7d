"""Backfill throughput: `dbt run-operation backfill` per model and chunk size against one plain
INSERT ... SELECT over the same range, and `backfill_all` by day over every model."""

from __future__ import annotations

import json
import re
import time
from datetime import date
from typing import Any

from ecom_analytics.bench.runner import (
    BENCH_DATABASE,
    Bench,
    BenchError,
    rate,
    scalar,
    table_columns,
)

# model -> (source, raw table): the backfilled models, and the raw tables whose insert cost is
# measured (their views are the busiest: one event stream, one order fan-out into children)
BACKFILL_MODELS = {
    "klaviyo__events": ("klaviyo", "events"),
    "shopify__orders": ("shopify", "orders"),
}
CHUNKS = ("month", "week")

# The one line per model the backfill writes for scripts (macros/backfill/backfill_result.sql).
_RESULT = re.compile(r"backfill result: (\{.*\})")


def backfill_results(output: str) -> list[dict[str, Any]]:
    """The `backfill result:` objects of a backfill or backfill_all run, in order."""
    return [json.loads(found) for found in _RESULT.findall(output)]


def generated_range(client: Any, database: str, table: str) -> tuple[date, date]:
    """Whole months covering the rows of the target by the column its partition key uses
    (monthly or yearly partitions; rows with no usable time, dated 1970, are left out): the
    range a user would backfill after loading this history."""
    key = client.query(
        "select partition_key from system.tables where database = %(db)s and name = %(t)s",
        parameters={"db": database, "t": table},
    ).result_rows
    column = re.search(r"\((?:coalesce\()?`?(\w+)`?[,)]", key[0][0]) if key and key[0][0] else None
    if not column:
        raise BenchError(f"{database}.{table} has no time partition key to backfill by")
    first, last = client.query(
        f"select min(d), max(d) from (select toDate(`{column.group(1)}`) as d"
        f" from `{database}`.`{table}` where d > toDate('1970-01-01'))"
    ).result_rows[0]
    if first is None or first <= date(1970, 1, 1):
        raise BenchError(f"{database}.{table} has no dated rows to backfill")
    start = date(first.year, first.month, 1)
    end = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    return start, end


def measure_backfill_run(bench: Bench, model: str, start: date, end: date, chunk: str) -> dict:
    arguments = f"{{model: {model}, start: {start}, end: {end}, chunk: {chunk}}}"
    command = bench.timed_dbt("run-operation", "backfill", "--args", arguments)
    results = backfill_results(command.output)
    if len(results) != 1:
        raise BenchError(f"unexpected backfill output for {model}:\n{command.output[-4000:]}")
    result = results[0]
    if result["reconciliation"] != "ok":
        raise BenchError(f"backfill of {model} did not reconcile:\n{command.output[-4000:]}")
    return {
        "chunk": chunk,
        "chunks": result["chunks"],
        "rows": result["rows"],
        "loop_seconds": result["loop_seconds"],
        "loop_rows_per_second": rate(result["rows"], result["loop_seconds"]),
        "reconcile_seconds": result["reconcile_seconds"],
        "end_to_end_seconds": command.seconds,
        "end_to_end_rows_per_second": rate(result["rows"], command.seconds),
        "peak_rss_mib": command.peak_rss_mib,
        "time_column": result["time_column"],
    }


def model_select(client: Any, database: str, table: str) -> str:
    """The model's SELECT as the backfill reads it from the database: the UNION ALL of the
    SELECTs of the deployed views writing into the table."""
    qualified = f"{database}.{table}"
    views = client.query(
        "select as_select from system.tables where database = %(db)s"
        " and engine = 'MaterializedView'"
        " and (position(create_table_query, %(to)s) > 0"
        " or position(create_table_query, %(as)s) > 0)"
        " order by name",
        parameters={"db": database, "to": f" TO {qualified} (", "as": f" TO {qualified} AS "},
    ).result_rows
    if not views:
        raise BenchError(f"no materialized view writes into {qualified}")
    return "\nunion all\n".join(f"select * from ({sql})" for (sql,) in views)


def measure_plain_insert_select(
    client: Any, database: str, table: str, time_column: str, start: date, end: date
) -> dict[str, Any]:
    """One INSERT ... SELECT of the model's SELECT over [start, end) into a scratch copy."""
    union = model_select(client, database, table)
    columns = ", ".join(f"`{name}`" for name in table_columns(client, database, table))
    scratch = f"{BENCH_DATABASE}.`{database}__{table}__plain`"
    client.command(f"create database if not exists {BENCH_DATABASE}")
    client.command(f"drop table if exists {scratch}")
    client.command(f"create table {scratch} as {database}.{table}")
    statement = (
        f"insert into {scratch} ({columns})\n"
        f"select {columns} from ({union})\n"
        f"where toDate32(assumeNotNull(`{time_column}`)) >= toDate32('{start}')"
        f" and toDate32(assumeNotNull(`{time_column}`)) < toDate32('{end}')"
    )
    started = time.perf_counter()
    client.command(statement)
    seconds = time.perf_counter() - started
    rows = scalar(client, f"select count() from {scratch}")
    client.command(f"drop table {scratch}")
    return {"rows": rows, "seconds": seconds, "rows_per_second": rate(rows, seconds)}


def measure_model_backfills(bench: Bench, model: str, chunks: list[str]) -> dict[str, Any]:
    """One model's backfill per chunk size, each against the plain INSERT ... SELECT."""
    database, table = bench.relation(model)
    with bench.client() as client:
        start, end = generated_range(client, database, table)
    runs = [measure_backfill_run(bench, model, start, end, chunk) for chunk in chunks]
    with bench.client() as client:
        plain = measure_plain_insert_select(
            client, database, table, runs[0]["time_column"], start, end
        )
    for run in runs:
        run["loop_ratio"] = run["loop_rows_per_second"] / plain["rows_per_second"]
        run["end_to_end_ratio"] = run["end_to_end_rows_per_second"] / plain["rows_per_second"]
    return {
        "model": model,
        "target": f"{database}.{table}",
        "start": str(start),
        "end": str(end),
        "time_column": runs[0]["time_column"],
        "plain": plain,
        "runs": runs,
    }


def measure_backfills(bench: Bench, chunks: list[str]) -> list[dict]:
    return [measure_model_backfills(bench, model, chunks) for model in BACKFILL_MODELS]


def measure_backfill_all(bench: Bench, days: int | None) -> dict[str, Any]:
    """`dbt run-operation backfill_all` by day over the generated days of Klaviyo events (the
    longest stream), or the last `days` of them: every materialized-view model, in dependency
    order, one scratch table per chunk. The figures come from the `backfill result:` line each
    model ends with. A backfill_all that differs fails (non-zero exit) and stops the bench."""
    with bench.client() as client:
        first, last = client.query(
            "select toDate(min(occurred_at)), toDate(max(occurred_at)) from data_klaviyo.events"
            " where occurred_at > toDateTime64('1971-01-01', 3, 'UTC')"
        ).result_rows[0]
    end = date.fromordinal(last.toordinal() + 1)
    days = days or end.toordinal() - first.toordinal()
    start = date.fromordinal(end.toordinal() - days)
    arguments = f"{{start: {start}, end: {end}, chunk: day}}"
    command = bench.timed_dbt("run-operation", "backfill_all", "--args", arguments)
    results = backfill_results(command.output)
    if not results:
        raise BenchError(f"unexpected backfill_all output:\n{command.output[-4000:]}")
    return {
        "start": str(start),
        "end": str(end),
        "days": days,
        "models": len(results),
        "chunks": sum(result["chunks"] for result in results),
        "rows": sum(result["rows"] for result in results),
        "seconds": command.seconds,
        "differing": [r["model"] for r in results if r["reconciliation"] != "ok"],
    }
