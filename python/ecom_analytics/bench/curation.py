"""Real-time curation (goal: <= 1.2x): a batch of raw rows inserted where the materialized
views fire, against the fair baseline: the insert into a copy without views plus each view's
SELECT over those rows as one batch INSERT ... SELECT into a copy of its target."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from ecom_analytics.bench.backfill import BACKFILL_MODELS
from ecom_analytics.bench.runner import BENCH_DATABASE, Bench, scalar, table_columns

INSERT_BATCH_ROWS = 100_000
INSERT_ROUNDS = 3  # insert rounds per table (best of, alternating with and without views)
# (source, raw table) measured: the backfilled models' tables, whose views are the busiest (one
# event stream, one order fan-out into children), and the GA4 export's events, whose view
# unpacks nested params and items
INSERT_COST_TABLES = (*BACKFILL_MODELS.values(), ("ga4_export", "events"))

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


@dataclass
class InsertCase:
    """One raw table's batch, its copy without views and the batch curation statements."""

    table: str  # the raw table, database.table
    batch: str  # a Memory table of INSERT_BATCH_ROWS of its rows
    no_views: str  # an identical table without views
    curation: list[tuple[str, str]]  # (copy, statement) per view, upstream first


def prepare_insert_case(client: Any, database: str, table: str, chain: list[View]) -> InsertCase:
    qualified = f"{database}.{table}"
    batch = f"{BENCH_DATABASE}.`{database}__{table}__batch`"
    no_views = f"{BENCH_DATABASE}.`{database}__{table}__no_views`"
    client.command(f"drop table if exists {batch}")
    client.command(
        f"create table {batch} engine = Memory as select * from {qualified}"
        f" limit {INSERT_BATCH_ROWS}"
    )
    client.command(f"drop table if exists {no_views}")
    client.command(f"create table {no_views} as {qualified}")
    return InsertCase(qualified, batch, no_views, batch_curation(client, chain, batch))


def time_insert_rounds(client: Any, case: InsertCase) -> dict[str, list[float]]:
    """Seconds per round of the insert without views, the batch curation and the insert with
    views, alternating."""
    timings: dict[str, list[float]] = {"with_views": [], "without_views": [], "batch": []}
    for _ in range(INSERT_ROUNDS):
        for copy, _statement in case.curation:
            client.command(f"truncate table {copy}")
        started = time.perf_counter()
        client.command(f"insert into {case.no_views} select * from {case.batch}")
        timings["without_views"].append(time.perf_counter() - started)
        started = time.perf_counter()
        for _copy, statement in case.curation:
            client.command(statement)
        timings["batch"].append(time.perf_counter() - started)
        started = time.perf_counter()
        client.command(f"insert into {case.table} select * from {case.batch}")
        timings["with_views"].append(time.perf_counter() - started)
    return timings


def measure_table_insert_cost(client: Any, database: str, table: str) -> dict[str, Any]:
    chain = view_chain(client, database, table)
    case = prepare_insert_case(client, database, table, chain)
    rows = scalar(client, f"select count() from {case.batch}")
    timings = time_insert_rounds(client, case)
    curated_rows = {
        copy: scalar(client, f"select count() from {copy}") for copy, _statement in case.curation
    }
    for name in (case.batch, case.no_views, *curated_rows):
        client.command(f"drop table {name} sync")
    with_views, without_views = min(timings["with_views"]), min(timings["without_views"])
    # the baseline's best round: its raw insert and its batch INSERT ... SELECTs together
    baseline = min(w + b for w, b in zip(timings["without_views"], timings["batch"], strict=True))
    return {
        "table": case.table,
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


def measure_insert_cost(bench: Bench, raw: dict[str, str]) -> list[dict]:
    """The same batch of raw rows (copied from the generated data into a Memory table, so
    reading it costs the same both ways) inserted into the raw table with its views attached,
    and into an identical table without views; and the fair baseline: the insert without views
    plus each view's SELECT over the same rows as one batch INSERT ... SELECT (what curating
    the batch costs when it is not done in real time). Best of INSERT_ROUNDS, alternating."""
    with bench.client() as client:
        client.command(f"create database if not exists {BENCH_DATABASE}")
        return [
            measure_table_insert_cost(client, raw[source], table)
            for source, table in INSERT_COST_TABLES
        ]
