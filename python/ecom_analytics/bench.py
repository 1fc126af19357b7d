"""Benchmark: `ecom bench` prints speed and memory as ratios from one run (never asserted in tests).

Everything runs on a fresh, private embedded database folder (a temporary one unless `--path`
names a new or empty folder), never on the user's `.chdb`:

1. sample-data generation in this process: rows, seconds, rows/s, peak RSS;
2. `dbt build` of the curated layer (a subprocess: this process closes its client first, as
   the embedded engine admits one process per folder): wall seconds, curated rows produced;
3. dbt start-up: a no-op `dbt run-operation`, the fixed cost every dbt command pays; then
   `dbt run` of the analytics layer;
4. opening the folder (goal: the same cost whatever ran before): after the build, after the
   backfills, after `backfill_all` by day over the last `--backfill-all-days` days (every
   materialized-view model) and after a whole `dbt test`, with the entries queued in
   `metadata_dropped/`;
5. backfill throughput: `dbt run-operation backfill` per model and chunk size over the whole
   generated range, against one plain `INSERT INTO <scratch> SELECT <the model's SELECT>`
   over the same range: the loop rate (the macro's own timing of its chunks) and the
   end-to-end rate (the whole command: start-up, chunks, reconciliation);
6. real-time curation (goal: <= 1.2x): the same batch of raw rows inserted into the raw table,
   where the materialized views fire, against the fair baseline: the insert into a copy
   without views plus each view's SELECT over those rows as one batch INSERT ... SELECT into
   a copy of its target (the old ratio, against the insert alone, beside it);
7. freshness: seconds from a raw insert until the curated tables show it, and until each
   analytics model does after `refresh_analytics` (the interval a server adds is stated);
8. dashboard queries (goal: >= 20x faster than from raw, <= 100 ms): each analytics model's
   typical query (`ecom_analytics.typical_queries`), median of 20, against the same answer
   computed from the curated tables and from raw where the module has those.

Ratios are the point: one run on a shared machine is noisy, absolute figures only set the
scale. Results are also written as JSON (`--output`).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ecom_analytics import PROJECT_DIR
from ecom_analytics.workspace import Workspace

DEFAULT_OUTPUT = PROJECT_DIR / "target" / "bench.json"
CURATED_SELECTOR = "+path:curated_datasets"  # the curated models and what they need (seeds)
CURATED_DATABASES = ("data_shopify", "data_klaviyo", "data_ga4")
# model -> (source, raw table): the backfilled models, and the raw tables whose insert cost is
# measured (their views are the busiest: one event stream, one order fan-out into children)
BACKFILL_MODELS = {
    "klaviyo__events": ("klaviyo", "events"),
    "shopify__orders": ("shopify", "orders"),
}
CHUNKS = ("month", "week")
INSERT_BATCH_ROWS = 100_000
INSERT_ROUNDS = 3  # insert rounds per table (best of, alternating with and without views)
BENCH_DATABASE = "bench"  # scratch tables of the benchmark, in its own database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ecom_analytics.sample_data import positive_scale

    parser.add_argument(
        "--scale",
        type=positive_scale,
        default=1.0,
        help="sample-data scale (1.0 = 10k orders)",
    )
    parser.add_argument(
        "--klaviyo-scale",
        type=positive_scale,
        default=None,
        help="scale of the Klaviyo event volume (default: --scale)",
    )
    parser.add_argument(
        "--path",
        type=Path,
        help="embedded database folder to use; must be new or empty, and is kept "
        "(default: a temporary folder, removed at the end)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="write the results as JSON here (default: target/bench.json)",
    )
    parser.add_argument(
        "--chunks",
        default=",".join(CHUNKS),
        help="backfill chunk sizes to measure, comma-separated (default: month,week)",
    )
    parser.add_argument(
        "--backfill-all-days",
        type=int,
        default=None,
        help="days of `backfill_all` by day, ending with the generated data "
        "(default: every generated day)",
    )


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


def peak_rss_mib(maxrss: int) -> float:
    """ru_maxrss is KiB on Linux, bytes on macOS."""
    return maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def rate(rows: int, seconds: float) -> float:
    return rows / max(seconds, 1e-9)


@dataclass
class Command:
    seconds: float
    output: str
    peak_rss_mib: float


# A child forked from this process starts with our high-water mark in ru_maxrss (Linux carries
# it across exec), so dbt is started by a fresh, small Python that reports its child's peak.
_PEAK_RSS_LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print('ru_maxrss:', peak, file=sys.stderr)\n"
    "sys.exit(code)\n"
)
_PEAK_RSS = re.compile(r"ru_maxrss: (\d+)\s*$")


class Bench(Workspace):
    """The folder under test: dbt subprocesses on it, and a client on it when none is running."""

    def timed_dbt(self, *args: str) -> Command:
        """Run dbt on the folder: wall seconds, output and the dbt process's peak RSS (the
        embedded engine runs inside it)."""
        started = time.perf_counter()
        result = self.run(sys.executable, "-c", _PEAK_RSS_LAUNCHER, *self.dbt_command(*args))
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            raise BenchError(
                f"`dbt {' '.join(args)}` failed ({result.returncode}):\n"
                f"{(result.stdout + result.stderr)[-4000:]}"
            )
        found = _PEAK_RSS.search(result.stderr)
        return Command(seconds, result.stdout, peak_rss_mib(int(found.group(1)) if found else 0))


class BenchError(Exception):
    pass


def measure_sample(bench: Bench, args: argparse.Namespace) -> dict[str, Any]:
    """Provision the raw tables, then time the sample-data generator in this process."""
    from ecom_analytics import provision, sample_data
    from ecom_analytics.target import project_vars

    plan = provision.render(project_vars(args.vars))
    databases = sample_data.raw_databases(args.vars)
    with bench.client() as client:
        provision.execute(plan, client, embedded=True, out=io.StringIO())
        rss_before = peak_rss_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        started = time.perf_counter()
        writer = sample_data.generate(
            client, databases, args.scale, klaviyo_scale=args.klaviyo_scale, progress=False
        )
        seconds = time.perf_counter() - started
        version = client.query("select version()").result_rows[0][0]
    rows = sum(writer.rows.values())
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_second": rate(rows, seconds),
        "insert_seconds": writer.seconds,
        # the process's peak so far: imports, the generator's arrays and the embedded engine
        "peak_rss_mib": peak_rss_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        "peak_rss_mib_before": rss_before,
        "rows_per_table": dict(writer.rows),
        "clickhouse_version": version,
        "raw_databases": databases,
    }


def measure_dbt_build(bench: Bench) -> dict[str, Any]:
    command = bench.timed_dbt("build", "--select", CURATED_SELECTOR)
    with bench.client() as client:
        tables = client.query(
            "select database, name from system.tables"
            " where database in %(dbs)s and engine like '%%MergeTree' order by database, name",
            parameters={"dbs": CURATED_DATABASES},
        ).result_rows
        # FINAL: one row per entity, whatever the background merges have done so far
        rows = {
            f"{db}.{name}": client.query(f"select count() from `{db}`.`{name}` final").result_rows[
                0
            ][0]
            for db, name in tables
        }
    total = sum(rows.values())
    return {
        "selector": CURATED_SELECTOR,
        "seconds": command.seconds,
        "curated_tables": len(rows),
        "curated_rows": total,
        "rows_per_second": rate(total, command.seconds),
        "rows_per_table": rows,
    }


def measure_dbt_startup(bench: Bench) -> dict[str, Any]:
    """A run-operation that renders one SQL expression and runs nothing: parse, connect, exit.
    After `dbt build`, so it uses the partial-parse cache like every later command."""
    command = bench.timed_dbt("run-operation", "current_timestamp")
    return {
        "command": "dbt run-operation current_timestamp",
        "seconds": command.seconds,
        "peak_rss_mib": command.peak_rss_mib,
    }


def measure_open(bench: Bench, rounds: int = 3) -> dict[str, Any]:
    """What every dbt command, tool and dashboard request pays first: opening the folder. The
    entries of `metadata_dropped/` are counted before the first open (what that open finds
    queued); each open can itself leave one per refresh it cancels (`.tmp.inner_id...` tables
    of the refreshes an open starts before it stops them), which the next open deletes."""
    dropped = bench.path / "metadata_dropped"

    def queued() -> int:
        return len(list(dropped.iterdir())) if dropped.is_dir() else 0

    before = queued()
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        with bench.client() as client:
            client.command("select 1")
        seconds.append(time.perf_counter() - started)
    with bench.client() as client:
        # an open also loads every data part, the outdated ones too (merged or replaced parts:
        # an embedded client's close deletes them, so this counts what the opens above left)
        parts, outdated = client.query(
            "select countIf(active), countIf(not active) from system.parts"
        ).result_rows[0]
    return {
        "seconds": statistics.median(seconds),
        "rounds": rounds,
        "queued_drops": before,
        "queued_drops_after": queued(),
        "active_parts": parts,
        "outdated_parts": outdated,
    }


def model_relation(bench: Bench, model: str) -> tuple[str, str]:
    """Where a model lands (database, table), from the manifest of the benchmark's dbt build."""
    manifest = json.loads((bench.workdir / "target" / "manifest.json").read_text())
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"] == model:
            return node["schema"], node["alias"]
    raise BenchError(f"model {model} is not in the dbt project")


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


# The one line per model the backfill writes for scripts (macros/backfill/backfill_result.sql).
_RESULT = re.compile(r"backfill result: (\{.*\})")


def backfill_results(output: str) -> list[dict[str, Any]]:
    """The `backfill result:` objects of a backfill or backfill_all run, in order."""
    return [json.loads(found) for found in _RESULT.findall(output)]


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


def table_columns(client: Any, database: str, table: str) -> list[str]:
    """The table's column names, in order."""
    return [
        name
        for (name,) in client.query(
            "select name from system.columns where database = %(db)s and table = %(t)s"
            " order by position",
            parameters={"db": database, "t": table},
        ).result_rows
    ]


def measure_plain_insert_select(
    client: Any, database: str, table: str, time_column: str, start: date, end: date
) -> dict[str, Any]:
    """One INSERT ... SELECT of the model's SELECT (the UNION ALL of the deployed views' SQL,
    as the backfill reads it from the database) over [start, end) into a scratch copy."""
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
    columns = ", ".join(f"`{name}`" for name in table_columns(client, database, table))
    union = "\nunion all\n".join(f"select * from ({sql})" for (sql,) in views)
    scratch = f"{BENCH_DATABASE}.`{database}__{table}__plain`"
    client.command(f"create database if not exists {BENCH_DATABASE}")
    client.command(f"drop table if exists {scratch}")
    client.command(f"create table {scratch} as {qualified}")
    statement = (
        f"insert into {scratch} ({columns})\n"
        f"select {columns} from ({union})\n"
        f"where toDate32(assumeNotNull(`{time_column}`)) >= toDate32('{start}')"
        f" and toDate32(assumeNotNull(`{time_column}`)) < toDate32('{end}')"
    )
    started = time.perf_counter()
    client.command(statement)
    seconds = time.perf_counter() - started
    rows = client.query(f"select count() from {scratch}").result_rows[0][0]
    client.command(f"drop table {scratch}")
    return {"rows": rows, "seconds": seconds, "rows_per_second": rate(rows, seconds)}


def measure_backfills(bench: Bench, raw: dict[str, str], chunks: list[str]) -> list[dict]:
    results = []
    for model in BACKFILL_MODELS:
        database, table = model_relation(bench, model)
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
        results.append(
            {
                "model": model,
                "target": f"{database}.{table}",
                "start": str(start),
                "end": str(end),
                "time_column": runs[0]["time_column"],
                "plain": plain,
                "runs": runs,
            }
        )
    return results


_VIEW_TARGET = re.compile(r" TO `?(\w+)`?\.`?(\w+)`?[ (]")


@dataclass
class View:
    name: str  # database.view
    source: tuple[str, str]  # the table whose inserts fire it
    target: tuple[str, str]  # the table it writes into
    select: str  # its SELECT (system.tables as_select)


def view_chain(client: Any, database: str, table: str) -> list[View]:
    """Every materialized view an insert into the table sets off, upstream first, following
    each view's target table (which can feed further views)."""
    found: list[View] = []
    pending = [(database, table)]
    while pending:
        db, name = pending.pop(0)
        for view_db, view, create, select in client.query(
            "select v.database, v.name, v.create_table_query, v.as_select from system.tables as v"
            " where v.engine = 'MaterializedView' and (v.database, v.name) in ("
            " select arrayJoin(arrayZip(dependencies_database, dependencies_table))"
            " from system.tables where database = %(db)s and name = %(t)s)"
            " order by v.database, v.name",
            parameters={"db": db, "t": name},
        ).result_rows:
            target = _VIEW_TARGET.search(create)
            if target and all(v.name != f"{view_db}.{view}" for v in found):
                found.append(View(f"{view_db}.{view}", (db, name), target.groups(), select))
                pending.append(target.groups())
    return found


def dependent_views(client: Any, database: str, table: str) -> list[str]:
    return sorted(view.name for view in view_chain(client, database, table))


def _reads(select: str, table: tuple[str, str], replacement: str) -> str:
    """The view's SELECT reading `replacement` instead of its source table."""
    pattern = rf"`?\b{re.escape(table[0])}`?\.`?{re.escape(table[1])}\b`?"
    return re.sub(pattern, replacement, select)


def batch_curation(client: Any, views: list[View], batch: str) -> list[tuple[str, str]]:
    """The fair baseline of real-time curation: each view's SELECT run once as a batch
    INSERT ... SELECT over the inserted rows (`batch`), into a copy of its target; a view fed
    by another view's target reads that copy (truncated before every round, so it holds just
    this batch's rows, as the view's insert block would). Returns (copy, statement) per view,
    upstream first; the caller creates nothing else."""
    copies: dict[tuple[str, str], str] = {}
    statements = []
    for view in views:
        if view.target not in copies:
            copy = f"{BENCH_DATABASE}.`{view.target[0]}__{view.target[1]}__batch_copy`"
            client.command(f"drop table if exists {copy}")
            client.command(f"create table {copy} as `{view.target[0]}`.`{view.target[1]}`")
            copies[view.target] = copy
        source = copies.get(view.source, batch)
        columns = ", ".join(f"`{name}`" for name in table_columns(client, *view.target))
        select = _reads(view.select, view.source, source)
        statements.append(
            (
                copies[view.target],
                f"insert into {copies[view.target]} ({columns}) select {columns} from ({select})",
            )
        )
    return statements


def measure_insert_cost(bench: Bench, raw: dict[str, str]) -> list[dict]:
    """The same batch of raw rows (copied from the generated data into a Memory table, so
    reading it costs the same both ways) inserted into the raw table with its views attached,
    and into an identical table without views; and the fair baseline: the insert without views
    plus each view's SELECT over the same rows as one batch INSERT ... SELECT (what curating
    the batch costs when it is not done in real time). Best of INSERT_ROUNDS, alternating."""
    results = []
    with bench.client() as client:
        client.command(f"create database if not exists {BENCH_DATABASE}")
        for source, table in BACKFILL_MODELS.values():
            qualified = f"{raw[source]}.{table}"
            chain = view_chain(client, raw[source], table)
            batch = f"{BENCH_DATABASE}.`{raw[source]}__{table}__batch`"
            plain = f"{BENCH_DATABASE}.`{raw[source]}__{table}__no_views`"
            client.command(f"drop table if exists {batch}")
            client.command(
                f"create table {batch} engine = Memory as select * from {qualified}"
                f" limit {INSERT_BATCH_ROWS}"
            )
            rows = client.query(f"select count() from {batch}").result_rows[0][0]
            client.command(f"drop table if exists {plain}")
            client.command(f"create table {plain} as {qualified}")
            curation = batch_curation(client, chain, batch)
            timings: dict[str, list[float]] = {"with_views": [], "without_views": [], "batch": []}
            for _ in range(INSERT_ROUNDS):
                for copy, _statement in curation:
                    client.command(f"truncate table {copy}")
                started = time.perf_counter()
                client.command(f"insert into {plain} select * from {batch}")
                timings["without_views"].append(time.perf_counter() - started)
                started = time.perf_counter()
                for _copy, statement in curation:
                    client.command(statement)
                timings["batch"].append(time.perf_counter() - started)
                started = time.perf_counter()
                client.command(f"insert into {qualified} select * from {batch}")
                timings["with_views"].append(time.perf_counter() - started)
            curated_rows = {
                copy: client.query(f"select count() from {copy}").result_rows[0][0]
                for copy, _statement in curation
            }
            for name in (batch, plain, *curated_rows):
                client.command(f"drop table {name} sync")
            with_views, without_views = min(timings["with_views"]), min(timings["without_views"])
            # the baseline's best round: its raw insert and its batch INSERT ... SELECTs together
            baseline = min(
                w + b for w, b in zip(timings["without_views"], timings["batch"], strict=True)
            )
            results.append(
                {
                    "table": qualified,
                    "views": sorted(view.name for view in chain),
                    "rows": rows,
                    "curated_rows": sum(curated_rows.values()),
                    "seconds_with_views": with_views,
                    "seconds_without_views": without_views,
                    "seconds_batch_baseline": baseline,
                    "seconds_batch_selects": baseline - without_views,
                    "ratio": with_views / max(without_views, 1e-9),
                    "fair_ratio": with_views / max(baseline, 1e-9),
                    "rounds": INSERT_ROUNDS,
                }
            )
    return results


ANALYTICS_SELECTOR = "path:analytics_datasets"
QUERY_ROUNDS = 20  # runs of each typical dashboard query (median)
BASELINE_ROUNDS = 5  # runs of its curated and raw formulations (median; they are slow)


def measure_dbt_analytics(bench: Bench) -> dict[str, Any]:
    command = bench.timed_dbt("run", "--select", ANALYTICS_SELECTOR)
    return {"selector": ANALYTICS_SELECTOR, "seconds": command.seconds}


def measure_dbt_test(bench: Bench) -> dict[str, Any]:
    """A whole `dbt test` run (every data and unit test), as CI runs it."""
    command = bench.timed_dbt("test")
    passed = re.search(r"PASS=(\d+)", command.output)
    return {"seconds": command.seconds, "passed": int(passed.group(1)) if passed else None}


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


def _fresh_rows(client: Any, raw: dict[str, str]) -> dict[str, Any]:
    """Insert one new Shopify order and one new Klaviyo event (copies of generated rows with
    new ids, loaded now) into raw; returns what identifies them."""
    orders, events = f"{raw['shopify']}.orders", f"{raw['klaviyo']}.events"
    order_id = client.query(f"select max(id) + 1 from {orders}").result_rows[0][0]
    order_columns = table_columns(client, raw["shopify"], "orders")
    replaced = {
        "id": f"toInt64({order_id})",
        "_airbyte_raw_id": "generateUUIDv4()",
        "_airbyte_extracted_at": "now64(3)",
        "updated_at": "now64(3)",
        "test": "false",
        "cancelled_at": "null",
    }
    select = ", ".join(replaced.get(name, f"`{name}`") for name in order_columns)
    event_id = f"bench-fresh-{int(time.time() * 1000)}"
    event_columns = table_columns(client, raw["klaviyo"], "events")
    event_replaced = {
        "id": f"'{event_id}'",
        "_airbyte_raw_id": "generateUUIDv4()",
        "_airbyte_extracted_at": "now64(3)",
    }
    event_select = ", ".join(event_replaced.get(name, f"`{name}`") for name in event_columns)
    # the template rows are found first: at scale L that search over raw takes seconds, and
    # the clock measures the insert and what follows it, not the search
    order_template = f"{BENCH_DATABASE}.fresh_order_template"
    event_template = f"{BENCH_DATABASE}.fresh_event_template"
    client.command(f"create database if not exists {BENCH_DATABASE}")
    for template, source, where in (
        (
            order_template,
            orders,
            "processed_at is not null and not coalesce(test, false)"
            " and line_items like '[{%' order by id desc limit 1",
        ),
        (
            event_template,
            events,
            "JSONExtractString(relationships, 'metric', 'data', 'id') != ''"
            " order by datetime desc limit 1",
        ),
    ):
        client.command(f"drop table if exists {template}")
        client.command(
            f"create table {template} engine = Memory as select * from {source} final where {where}"
        )
    sales_date = client.query(
        f"select toDate(coalesce(processed_at, created_at, updated_at)) from {order_template}"
    ).result_rows[0][0]
    started = time.perf_counter()
    client.command(f"insert into {orders} select {select} from {order_template}")
    client.command(f"insert into {events} select {event_select} from {event_template}")
    return {
        "order_id": order_id,
        "event_id": event_id,
        "sales_date": sales_date,
        "inserted": started,
        "insert_seconds": time.perf_counter() - started,
    }


def measure_freshness(bench: Bench, raw: dict[str, str]) -> dict[str, Any]:
    """Seconds from a raw insert until the curated tables show it (the views fire inside the
    insert: no dbt run), and until each analytics model shows it after `refresh_analytics`
    (the embedded engine opens with refreshes stopped; a server refreshes every
    `analytics_refresh_minutes`, so there the wait is up to that interval plus the refresh)."""
    from ecom_analytics.refresh import refresh_analytics
    from ecom_analytics.target import project_vars

    with bench.client() as client:

        def checks(fresh: dict[str, Any]) -> dict[str, str]:
            day, order, event = fresh["sales_date"], fresh["order_id"], fresh["event_id"]
            return {
                "data_shopify.orders": f"select count() from data_shopify.orders"
                f" where order_id = {order}",
                "data_klaviyo.events": f"select count() from data_klaviyo.events"
                f" where id = '{event}'",
                "int_shopify__order_sales": "select count() from shopify_analytics."
                f"int_shopify__order_sales where order_id = {order}",
                "shopify_daily_sales": "select sum(orders) from shopify_analytics."
                f"shopify_daily_sales where sales_date = '{day}'",
                "channel_revenue": "select sum(orders) from cross_source_analytics."
                f"channel_revenue where revenue_date = '{day}'",
                "int_klaviyo__events_named": "select count() from klaviyo_analytics."
                f"int_klaviyo__events_named where event_id = '{event}'",
                "data_freshness": "select count() from cross_source_analytics.data_freshness"
                " where source_table = 'orders' and lag_minutes < 1",
            }

        def value(sql: str) -> float:
            return float(client.query(sql).result_rows[0][0] or 0)

        fresh = _fresh_rows(client, raw)
        # refreshed models' daily totals, read before their refresh: they grow by one order
        baseline = {}
        visible: dict[str, dict[str, Any]] = {}
        for name, sql in checks(fresh).items():
            shown = value(sql)
            seconds = time.perf_counter() - fresh["inserted"]
            if name in ("shopify_daily_sales", "channel_revenue"):
                baseline[name] = shown  # refreshed models: compared after the refresh
                continue
            if shown > 0:
                visible[name] = {"seconds": seconds, "how": "at once (views fire in the insert)"}
        refresh_started = time.perf_counter()
        refreshed = refresh_analytics(client)
        refresh_seconds = time.perf_counter() - refresh_started
        finished: dict[str, float] = {}
        elapsed = refresh_started - fresh["inserted"]
        for _database, view, seconds in refreshed:
            elapsed += seconds
            finished[view.removesuffix("_mv")] = elapsed
        for name, sql in checks(fresh).items():
            if name in visible:
                continue
            shown = value(sql)
            grew = shown > baseline.get(name, 0)
            visible[name] = {
                "seconds": finished.get(name, time.perf_counter() - fresh["inserted"]),
                "how": "after refresh_analytics" if grew else "NOT SHOWN after the refresh",
            }
    return {
        "insert_seconds": fresh["insert_seconds"],
        "refresh_seconds": refresh_seconds,
        "refreshed_views": len(refreshed),
        "refresh_interval_minutes": int(
            project_vars(bench.vars).get("analytics_refresh_minutes", 10)
        ),
        "visible": visible,
    }


def _answer(result: Any, columns: list[str]) -> list[tuple]:
    """A query's rows over `columns`, compared loosely: numbers to 2 decimals, the rest as text."""

    def cell(v: Any) -> str:
        if isinstance(v, float | int) or type(v).__name__ == "Decimal":
            return f"{float(v):.2f}"
        return str(v)

    index = [result.column_names.index(name) for name in columns]
    return [tuple(cell(row[i]) for i in index) for row in result.result_rows]


def _median_seconds(client: Any, sql: str, parameters: dict, rounds: int) -> tuple[float, Any]:
    seconds, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = client.query(sql, parameters=parameters)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def measure_dashboard_queries(bench: Bench, raw: dict[str, str]) -> dict[str, Any]:
    """Each analytics model's typical dashboard query (ecom_analytics.typical_queries), the
    median of QUERY_ROUNDS runs; where the module has them, the same question from the
    curated tables and from raw (median of BASELINE_ROUNDS), and whether the answers agree."""
    from ecom_analytics.target import project_vars
    from ecom_analytics.typical_queries import TYPICAL_QUERIES

    results = []
    with bench.client() as client:
        last = client.query(
            "select max(sales_date) from shopify_analytics.shopify_daily_sales"
            " where source_relation = %(shop)s",
            parameters={"shop": raw["shopify"]},
        ).result_rows[0][0]
        end = date(last.year, last.month, 1)  # the last whole month of data
        start = date(end.year - (end.month == 1), (end.month - 2) % 12 + 1, 1)
        parameters = {
            "shop": raw["shopify"],
            "account": raw["klaviyo"],
            "property": raw["ga4"],
            "start": start,
            "end": end,
            "timezone": project_vars(bench.vars).get("reporting_timezone", "UTC"),
        }
        for model, query in TYPICAL_QUERIES.items():
            seconds, answer = _median_seconds(client, query.analytics, parameters, QUERY_ROUNDS)
            result: dict[str, Any] = {
                "model": model,
                "question": query.question,
                "rows": len(answer.result_rows),
                "median_seconds": seconds,
                "rounds": QUERY_ROUNDS,
            }
            for layer in ("curated", "raw"):
                sql = getattr(query, layer)
                if sql is None:
                    continue
                other, other_answer = _median_seconds(client, sql, parameters, BASELINE_ROUNDS)
                shared = [c for c in answer.column_names if c in other_answer.column_names]
                result[layer] = {
                    "median_seconds": other,
                    "rounds": BASELINE_ROUNDS,
                    "rows": len(other_answer.result_rows),
                    "speedup": other / max(seconds, 1e-9),
                    # the rows over the columns both give (None: not comparable, clock-bound)
                    "same_answer": _answer(other_answer, shared) == _answer(answer, shared)
                    if query.comparable
                    else None,
                    "compared_columns": shared if query.comparable else [],
                }
            results.append(result)
    return {"parameters": {k: str(v) for k, v in parameters.items()}, "queries": results}


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------


def format_table(results: dict[str, Any]) -> str:
    header = ("measurement", "ratio", "rows", "seconds", "rows/s", "notes")
    lines: list[tuple[str, ...]] = []

    def row(name, ratio=None, rows=None, seconds=None, per_second=None, notes=""):
        lines.append(
            (
                name,
                "" if ratio is None else f"{ratio:.2f}x",
                "" if rows is None else f"{rows:,}",
                "" if seconds is None else f"{seconds:.{3 if seconds < 0.1 else 2}f}",
                "" if per_second is None else f"{per_second:,.0f}",
                notes,
            )
        )

    def group(title):
        lines.append((title,))

    sample, build, startup = results["sample"], results["dbt_build"], results["dbt_startup"]
    group("set-up")
    row(
        "sample-data generation",
        rows=sample["rows"],
        seconds=sample["seconds"],
        per_second=sample["rows_per_second"],
        notes=f"peak RSS {sample['peak_rss_mib']:,.0f} MiB "
        f"({sample['peak_rss_mib_before']:,.0f} before generating; engine in-process); "
        f"{sample['insert_seconds']:.2f} s of it inserting",
    )
    row(
        "dbt build, curated layer",
        rows=build["curated_rows"],
        seconds=build["seconds"],
        per_second=build["rows_per_second"],
        notes=f"{build['curated_tables']} tables, rows counted FINAL; "
        f"`dbt build --select {build['selector']}`",
    )
    row(
        "dbt start-up (no-op run-operation)",
        seconds=startup["seconds"],
        notes="paid once by every dbt command",
    )
    row(
        "dbt run, analytics layer",
        seconds=results["dbt_analytics"]["seconds"],
        notes=f"`dbt run --select {results['dbt_analytics']['selector']}` (fills every view)",
    )
    before = results["open_after_build"]
    backfill_all, tests = results["backfill_all"], results["dbt_test"]
    group("open the embedded folder: seconds / after the build (goal: 1.00x)")
    for name, opened, what in (
        ("open, after build", before, ""),
        ("open, after backfills", results["open_after_backfill"], "month and week chunks above"),
        (
            "open, after backfill_all by day",
            results["open_after_backfill_all"],
            f"{backfill_all['models']} models x {backfill_all['days']} days "
            f"[{backfill_all['start']}, {backfill_all['end']}): {backfill_all['chunks']:,} "
            f"chunks, {backfill_all['seconds']:.0f} s; reconciliation differs for "
            f"{len(backfill_all['differing'])} models",
        ),
        (
            "open, after dbt test",
            results["open_after_test"],
            f"{tests['passed']} tests passed in {tests['seconds']:.0f} s",
        ),
    ):
        row(
            name,
            ratio=opened["seconds"] / before["seconds"],
            seconds=opened["seconds"],
            notes=f"median of {opened['rounds']}; {opened['queued_drops']} in metadata_dropped/"
            f" before ({opened['queued_drops_after']} after); parts {opened['active_parts']:,}"
            f" active, {opened['outdated_parts']:,} outdated" + (f"; {what}" if what else ""),
        )
    group(
        "real-time curation: raw insert with the views / insert without views + the views'"
        " SELECTs as batch INSERT ... SELECTs (goal: <= 1.20x)"
    )
    for insert in results["insert"]:
        row(
            f"{insert['table']}, no views",
            rows=insert["rows"],
            seconds=insert["seconds_without_views"],
            per_second=rate(insert["rows"], insert["seconds_without_views"]),
            notes=f"best of {insert['rounds']}",
        )
        row(
            f"{insert['table']}, no views + batch curation",
            rows=insert["rows"],
            seconds=insert["seconds_batch_baseline"],
            per_second=rate(insert["rows"], insert["seconds_batch_baseline"]),
            notes=f"{insert['seconds_batch_selects']:.2f} s of INSERT ... SELECTs writing "
            f"{insert['curated_rows']:,} curated rows into copies of the targets",
        )
        row(
            f"{insert['table']}, with views",
            ratio=insert["fair_ratio"],
            rows=insert["rows"],
            seconds=insert["seconds_with_views"],
            per_second=rate(insert["rows"], insert["seconds_with_views"]),
            notes=f"{insert['ratio']:.2f}x against the insert alone; "
            f"{len(insert['views'])} view(s): {', '.join(insert['views'])}",
        )
    fresh = results["freshness"]
    group(
        "freshness: seconds from a raw insert until a model shows it (no dbt run; the embedded"
        " engine refreshes on `refresh_analytics`)"
    )
    for name, shown in fresh["visible"].items():
        row(name, seconds=shown["seconds"], notes=shown["how"])
    row(
        "refresh_analytics, all views",
        seconds=fresh["refresh_seconds"],
        notes=f"{fresh['refreshed_views']} refreshable views; on a server they refresh every "
        f"{fresh['refresh_interval_minutes']} min (var analytics_refresh_minutes): up to "
        f"{fresh['refresh_interval_minutes']} min + this",
    )
    queries = results["queries"]
    group(
        "dashboard queries: median seconds; ratio = from raw / from the analytics model"
        " (goal: >= 20x and <= 0.100 s)"
    )
    for query in queries["queries"]:
        raw_formulation = query.get("raw")
        row(
            query["model"],
            ratio=raw_formulation["speedup"] if raw_formulation else None,
            rows=query["rows"],
            seconds=query["median_seconds"],
            notes=query["question"]
            + f" (median of {query['rounds']}"
            + ("; within 100 ms)" if query["median_seconds"] <= 0.1 else "; OVER 100 ms)"),
        )
        for layer in ("curated", "raw"):
            if layer in query:
                other = query[layer]
                row(
                    f"... same answer from {layer}",
                    ratio=other["speedup"],
                    rows=other["rows"],
                    seconds=other["median_seconds"],
                    notes=f"median of {other['rounds']}; "
                    + {
                        True: f"same rows ({', '.join(other['compared_columns'])})",
                        False: "DIFFERENT rows (simplified definitions)",
                        None: "not compared (the answer depends on when it is read)",
                    }[other["same_answer"]],
                )
    group(
        "backfill throughput: rows/s of the backfill / one plain INSERT ... SELECT"
        " (1.00x = as fast)"
    )
    for backfill in results["backfill"]:
        plain = backfill["plain"]
        model = backfill["model"]
        row(
            f"{model}, plain INSERT ... SELECT",
            rows=plain["rows"],
            seconds=plain["seconds"],
            per_second=plain["rows_per_second"],
            notes=f"{backfill['time_column']} in [{backfill['start']}, {backfill['end']})",
        )
        for run in backfill["runs"]:
            row(
                f"{model}, {run['chunk']} chunks, loop",
                ratio=run["loop_ratio"],
                rows=run["rows"],
                seconds=run["loop_seconds"],
                per_second=run["loop_rows_per_second"],
                notes=f"{run['chunks']} chunks; dbt peak RSS {run['peak_rss_mib']:,.0f} MiB"
                f" (no-op command {startup['peak_rss_mib']:,.0f} MiB)",
            )
            reconcile = run["reconcile_seconds"]
            rest = run["end_to_end_seconds"] - startup["seconds"] - run["loop_seconds"] - reconcile
            row(
                f"{model}, {run['chunk']} chunks, end-to-end",
                ratio=run["end_to_end_ratio"],
                rows=run["rows"],
                seconds=run["end_to_end_seconds"],
                per_second=run["end_to_end_rows_per_second"],
                notes=f"whole command: ~{startup['seconds']:.1f} s dbt start-up, "
                f"{run['loop_seconds']:.1f} s chunks, {reconcile:.1f} s reconciliation, "
                f"~{max(rest, 0):.1f} s inspection",
            )

    widths = [len(h) for h in header]
    for line in lines:
        if len(line) > 1:
            widths = [max(w, len(cell)) for w, cell in zip(widths, line, strict=True)]
    aligned = "<>>>><"

    def render(cells):
        return "  ".join(
            f"{cell:{align}{width}}" if i < 5 else cell
            for i, (cell, align, width) in enumerate(zip(cells, aligned, widths, strict=True))
        ).rstrip()

    out = [render(header), "  ".join("-" * w for w in widths[:5]) + "  -----"]
    for line in lines:
        out.append(f"\n{line[0]}" if len(line) == 1 else render(line))
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Command
# ---------------------------------------------------------------------------------------------


def prepare_folder(path: Path | None) -> tuple[Path, bool]:
    """The database folder and whether to remove it at the end. A chosen folder must be new
    or empty (and not the project's own `.chdb`): the benchmark must never touch real data."""
    if path is None:
        return Path(tempfile.mkdtemp(prefix="ecom-bench-")) / "db", True
    folder = path.expanduser().resolve()
    if folder == (PROJECT_DIR / ".chdb").resolve():
        raise BenchError(f"--path {folder} is the project's own database folder; choose another")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BenchError(
            f"--path {folder} is not an empty folder; the benchmark needs a fresh one "
            "(give a new path, or leave --path out for a temporary folder)"
        )
    return folder, False


def embedded_target(name: str | None, path: Path) -> str:
    """The dbt target to run on `path`: the profile's embedded target, its folder taken from
    $ECOM_CHDB_PATH (set by the caller), so dbt subprocesses open the benchmark's folder."""
    from ecom_analytics.target import load_target

    try:
        target = load_target(name)
    except Exception as ex:  # e.g. a server target whose environment variables are unset
        raise BenchError(
            f"cannot load target {name or '(default)'}: {ex}; "
            "the benchmark runs on the embedded engine only"
        ) from ex
    if not target.is_embedded or Path(target.credentials.path).resolve() != path:
        raise BenchError(
            f"target '{target.name}' is not the embedded engine with its folder from "
            "$ECOM_CHDB_PATH; the benchmark runs only on a private embedded folder"
        )
    return target.name


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except BenchError as ex:
        print(f"error: {ex}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from ecom_analytics.sample_data import raw_databases

    chunks = [c.strip() for c in args.chunks.split(",") if c.strip()]
    if not chunks or any(c not in ("day", "week", "month") for c in chunks):
        raise BenchError(f"--chunks must list day, week and/or month; got: {args.chunks}")
    if args.backfill_all_days is not None and args.backfill_all_days < 1:
        raise BenchError(f"--backfill-all-days must be at least 1; got: {args.backfill_all_days}")
    raw = raw_databases(args.vars)
    klaviyo_scale = args.scale if args.klaviyo_scale is None else args.klaviyo_scale
    path, temporary = prepare_folder(args.path)
    workdir = Path(tempfile.mkdtemp(prefix="ecom-bench-work-"))
    previous_path = os.environ.get("ECOM_CHDB_PATH")
    os.environ["ECOM_CHDB_PATH"] = str(path)
    started = time.perf_counter()
    try:
        bench = Bench(path, workdir, embedded_target(args.target, path), args.vars)
        print(
            f"benchmark: scale {args.scale} (Klaviyo {klaviyo_scale}), folder {path}"
            + (" (temporary)" if temporary else ""),
            file=sys.stderr,
        )
        steps = [
            ("sample", "sample-data generation", lambda: measure_sample(bench, args)),
            ("dbt_build", "dbt build of the curated layer", lambda: measure_dbt_build(bench)),
            ("dbt_startup", "dbt start-up", lambda: measure_dbt_startup(bench)),
            (
                "dbt_analytics",
                "dbt run of the analytics layer",
                lambda: measure_dbt_analytics(bench),
            ),
            ("open_after_build", "open after build", lambda: measure_open(bench)),
            ("backfill", "backfills", lambda: measure_backfills(bench, raw, chunks)),
            ("open_after_backfill", "open after backfills", lambda: measure_open(bench)),
            (
                "backfill_all",
                f"backfill_all by day, {args.backfill_all_days or 'all generated'} days",
                lambda: measure_backfill_all(bench, args.backfill_all_days),
            ),
            ("open_after_backfill_all", "open after backfill_all", lambda: measure_open(bench)),
            ("dbt_test", "dbt test", lambda: measure_dbt_test(bench)),
            ("open_after_test", "open after dbt test", lambda: measure_open(bench)),
            ("insert", "raw insert cost", lambda: measure_insert_cost(bench, raw)),
            ("freshness", "freshness", lambda: measure_freshness(bench, raw)),
            ("queries", "dashboard queries", lambda: measure_dashboard_queries(bench, raw)),
        ]
        results: dict[str, Any] = {}
        args.output.parent.mkdir(parents=True, exist_ok=True)
        for key, label, step in steps:
            print(f"  {label} ...", file=sys.stderr, flush=True)
            step_started = time.perf_counter()
            results[key] = step()
            print(f"    {time.perf_counter() - step_started:.0f} s", file=sys.stderr, flush=True)
            # the figures so far, so a run stopped at a large scale still leaves them
            args.output.write_text(json.dumps({"partial": True, **results}, default=str) + "\n")
    finally:
        if previous_path is None:
            os.environ.pop("ECOM_CHDB_PATH", None)
        else:
            os.environ["ECOM_CHDB_PATH"] = previous_path
        shutil.rmtree(workdir, ignore_errors=True)
        if temporary:
            shutil.rmtree(path.parent, ignore_errors=True)
    results = {
        "scale": args.scale,
        "klaviyo_scale": klaviyo_scale,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "clickhouse": results["sample"]["clickhouse_version"],
        },
        "total_seconds": time.perf_counter() - started,
        **results,
    }
    print(
        f"\nBenchmark at scale {args.scale} (Klaviyo {klaviyo_scale}); ClickHouse "
        f"{results['machine']['clickhouse']} embedded; {os.cpu_count()} CPUs; one run: ratios "
        "are the point, absolute figures depend on the machine and its load.\n"
    )
    print(format_table(results))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\n{results['total_seconds']:.0f} s in all; results in {args.output}")
    return 0
