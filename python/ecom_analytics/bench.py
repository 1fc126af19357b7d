"""Benchmark: `ecom bench` prints speed and memory as ratios from one run (never asserted in tests).

Everything runs on a fresh, private embedded database folder (a temporary one unless `--path`
names a new or empty folder), never on the user's `.chdb`:

1. sample-data generation in this process: rows, seconds, rows/s, peak RSS;
2. `dbt build` of the curated layer (a subprocess: this process closes its client first, as
   the embedded engine admits one process per folder): wall seconds, curated rows produced;
3. dbt start-up: a no-op `dbt run-operation`, the fixed cost every dbt command pays;
4. backfill throughput: `dbt run-operation backfill` per model and chunk size over the whole
   generated range, against one plain `INSERT INTO <scratch> SELECT <the model's SELECT>`
   over the same range: the loop rate (the macro's own timing of its chunks) and the
   end-to-end rate (the whole command: start-up, chunks, reconciliation);
5. raw insert cost: the same batch of raw rows inserted into the raw table, where the
   materialized views fire, and into a copy of it without views.

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


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


def peak_rss_mib(rusage: resource.struct_rusage) -> float:
    """ru_maxrss is KiB on Linux, bytes on macOS."""
    return rusage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def rate(rows: int, seconds: float) -> float:
    return rows / max(seconds, 1e-9)


@dataclass
class Command:
    seconds: float
    output: str


class Bench(Workspace):
    """The folder under test: dbt subprocesses on it, and a client on it when none is running."""

    def timed_dbt(self, *args: str) -> Command:
        """Run dbt on the folder: wall seconds and output. (No peak RSS: a child started from
        this process inherits its high-water mark in ru_maxrss, so the figure would be ours.)"""
        started = time.perf_counter()
        result = self.dbt(*args)
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            raise BenchError(
                f"`dbt {' '.join(args)}` failed ({result.returncode}):\n"
                f"{(result.stdout + result.stderr)[-4000:]}"
            )
        return Command(seconds, result.stdout)


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
        rss_before = peak_rss_mib(resource.getrusage(resource.RUSAGE_SELF))
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
        "peak_rss_mib": peak_rss_mib(resource.getrusage(resource.RUSAGE_SELF)),
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
    }


def measure_open(bench: Bench, rounds: int = 3) -> dict[str, Any]:
    """What every dbt command, tool and dashboard request pays first: opening the folder."""
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        with bench.client() as client:
            client.command("select 1")
        seconds.append(time.perf_counter() - started)
    dropped = bench.path / "metadata_dropped"
    return {
        "seconds": statistics.median(seconds),
        "rounds": rounds,
        "queued_drops": len(list(dropped.iterdir())) if dropped.is_dir() else 0,
    }


def model_relation(bench: Bench, model: str) -> tuple[str, str]:
    """Where a model lands (database, table), from the manifest of the benchmark's dbt build."""
    manifest = json.loads((bench.workdir / "target" / "manifest.json").read_text())
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"] == model:
            return node["schema"], node["alias"]
    raise BenchError(f"model {model} is not in the dbt project")


def generated_range(client: Any, database: str, table: str) -> tuple[date, date]:
    """Whole months covering the target's monthly partitions (the partition 197001 holds rows
    with no usable time): the range a user would backfill after loading this history."""
    months = [
        p
        for (p,) in client.query(
            "select distinct partition from system.parts"
            " where database = %(db)s and table = %(t)s and active",
            parameters={"db": database, "t": table},
        ).result_rows
        if re.fullmatch(r"\d{6}", p) and p != "197001"
    ]
    if not months:
        raise BenchError(f"{database}.{table} has no monthly (YYYYMM) partitions to backfill")
    first, last = min(months), max(months)
    start = date(int(first[:4]), int(first[4:]), 1)
    year, month = int(last[:4]), int(last[4:])
    end = date(year + month // 12, month % 12 + 1, 1)
    return start, end


_DONE = re.compile(r"done: (\d+) rows in ([0-9.]+) s")
_TIME_COLUMN = re.compile(r"rows with (\w+) in \[")
_CHUNKS = re.compile(r"(\d+) chunk\(s\) of one")


def measure_backfill_run(bench: Bench, model: str, start: date, end: date, chunk: str) -> dict:
    arguments = f"{{model: {model}, start: {start}, end: {end}, chunk: {chunk}}}"
    command = bench.timed_dbt("run-operation", "backfill", "--args", arguments)
    done = _DONE.search(command.output)
    time_column = _TIME_COLUMN.search(command.output)
    chunks = _CHUNKS.search(command.output)
    if not (done and time_column and chunks):
        raise BenchError(f"unexpected backfill output for {model}:\n{command.output[-4000:]}")
    if "0 differ" not in command.output:
        raise BenchError(f"backfill of {model} did not reconcile:\n{command.output[-4000:]}")
    rows, loop_seconds = int(done.group(1)), float(done.group(2))
    return {
        "chunk": chunk,
        "chunks": int(chunks.group(1)),
        "rows": rows,
        "loop_seconds": loop_seconds,
        "loop_rows_per_second": rate(rows, loop_seconds),
        "end_to_end_seconds": command.seconds,
        "end_to_end_rows_per_second": rate(rows, command.seconds),
        "time_column": time_column.group(1),
    }


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
    columns = ", ".join(
        f"`{name}`"
        for (name,) in client.query(
            "select name from system.columns where database = %(db)s and table = %(t)s"
            " order by position",
            parameters={"db": database, "t": table},
        ).result_rows
    )
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


def dependent_views(client: Any, database: str, table: str) -> list[str]:
    """Every materialized view an insert into the table sets off, following each view's
    target table (which can feed further views)."""
    found: list[str] = []
    pending = [(database, table)]
    while pending:
        db, name = pending.pop()
        for view_db, view, create in client.query(
            "select v.database, v.name, v.create_table_query from system.tables as v"
            " where v.engine = 'MaterializedView' and (v.database, v.name) in ("
            " select arrayJoin(arrayZip(dependencies_database, dependencies_table))"
            " from system.tables where database = %(db)s and name = %(t)s)",
            parameters={"db": db, "t": name},
        ).result_rows:
            if f"{view_db}.{view}" not in found:
                found.append(f"{view_db}.{view}")
                if target := _VIEW_TARGET.search(create):
                    pending.append((target.group(1), target.group(2)))
    return sorted(found)


def measure_insert_cost(bench: Bench, raw: dict[str, str]) -> list[dict]:
    """The same batch of raw rows (copied from the generated data into a Memory table, so
    reading it costs the same both ways) inserted into the raw table with its views attached,
    and into an identical table without views. Best of INSERT_ROUNDS, alternating."""
    results = []
    with bench.client() as client:
        client.command(f"create database if not exists {BENCH_DATABASE}")
        for source, table in BACKFILL_MODELS.values():
            qualified = f"{raw[source]}.{table}"
            views = dependent_views(client, raw[source], table)
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
            timings: dict[str, list[float]] = {"with_views": [], "without_views": []}
            for _ in range(INSERT_ROUNDS):
                for kind, into in (("without_views", plain), ("with_views", qualified)):
                    started = time.perf_counter()
                    client.command(f"insert into {into} select * from {batch}")
                    timings[kind].append(time.perf_counter() - started)
            for name in (batch, plain):
                client.command(f"drop table {name}")
            with_views, without_views = min(timings["with_views"]), min(timings["without_views"])
            results.append(
                {
                    "table": qualified,
                    "views": views,
                    "rows": rows,
                    "seconds_with_views": with_views,
                    "seconds_without_views": without_views,
                    "ratio": with_views / max(without_views, 1e-9),
                    "rounds": INSERT_ROUNDS,
                }
            )
    return results


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
                "" if seconds is None else f"{seconds:.2f}",
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
    before, after = results["open_after_build"], results["open_after_backfill"]
    for name, opened in (("open the folder, after build", before), ("... after backfills", after)):
        row(
            name,
            ratio=opened["seconds"] / before["seconds"],
            seconds=opened["seconds"],
            notes=f"median of {opened['rounds']}; {opened['queued_drops']} dropped tables queued",
        )
    group("raw insert cost: seconds with the views attached / without (1.00x = free)")
    for insert in results["insert"]:
        row(
            f"{insert['table']}, no views",
            rows=insert["rows"],
            seconds=insert["seconds_without_views"],
            per_second=rate(insert["rows"], insert["seconds_without_views"]),
            notes=f"best of {insert['rounds']}",
        )
        row(
            f"{insert['table']}, with views",
            ratio=insert["ratio"],
            rows=insert["rows"],
            seconds=insert["seconds_with_views"],
            per_second=rate(insert["rows"], insert["seconds_with_views"]),
            notes=f"{len(insert['views'])} view(s): {', '.join(insert['views'])}",
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
                notes=f"{run['chunks']} chunks",
            )
            rest = max(run["end_to_end_seconds"] - startup["seconds"] - run["loop_seconds"], 0)
            row(
                f"{model}, {run['chunk']} chunks, end-to-end",
                ratio=run["end_to_end_ratio"],
                rows=run["rows"],
                seconds=run["end_to_end_seconds"],
                per_second=run["end_to_end_rows_per_second"],
                notes=f"whole command: ~{startup['seconds']:.1f} s dbt start-up, "
                f"{run['loop_seconds']:.1f} s chunks, ~{rest:.1f} s inspection and reconciliation",
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
            ("open_after_build", "open after build", lambda: measure_open(bench)),
            ("backfill", "backfills", lambda: measure_backfills(bench, raw, chunks)),
            ("open_after_backfill", "open after backfills", lambda: measure_open(bench)),
            ("insert", "raw insert cost", lambda: measure_insert_cost(bench, raw)),
        ]
        results: dict[str, Any] = {}
        for key, label, step in steps:
            print(f"  {label} ...", file=sys.stderr, flush=True)
            results[key] = step()
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
