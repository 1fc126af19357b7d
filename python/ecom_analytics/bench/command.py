"""`ecom bench`: its options, the private folder it runs on, the steps in order, the output."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ecom_analytics import PROJECT_DIR
from ecom_analytics.bench.backfill import CHUNKS, measure_backfill_all, measure_backfills
from ecom_analytics.bench.curation import measure_insert_cost
from ecom_analytics.bench.freshness import measure_freshness
from ecom_analytics.bench.incremental import DELTA_SHARE, measure_incremental
from ecom_analytics.bench.opening import OPEN_ROUNDS, measure_open
from ecom_analytics.bench.queries import (
    BASELINE_ROUNDS,
    QUERY_ROUNDS,
    measure_dashboard_queries,
)
from ecom_analytics.bench.report import format_table
from ecom_analytics.bench.runner import Bench, BenchError
from ecom_analytics.bench.setup_costs import (
    measure_dbt_analytics,
    measure_dbt_build,
    measure_dbt_startup,
    measure_dbt_test,
    measure_sample,
)

DEFAULT_OUTPUT = PROJECT_DIR / "target" / "bench.json"

# the sections of --sections, in the order they run; set-up always runs (the rest measure the
# data it generates and the models it builds); the incremental section changes raw data, so it
# comes last
SECTIONS = ("setup", "backfill", "test", "curation", "freshness", "queries", "incremental")


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
    parser.add_argument(
        "--baseline-rounds",
        type=int,
        default=BASELINE_ROUNDS,
        help="runs of each dashboard query's curated and raw baselines, whose median is "
        f"reported (default: {BASELINE_ROUNDS}; at a large scale 1 is enough for a ratio "
        "of 100x, 0 skips them)",
    )
    parser.add_argument(
        "--query-rounds",
        type=int,
        default=QUERY_ROUNDS,
        help=f"runs of each typical dashboard query, whose median is reported (default: "
        f"{QUERY_ROUNDS})",
    )
    parser.add_argument(
        "--open-rounds",
        type=int,
        default=OPEN_ROUNDS,
        help=f"opens of the folder at each point it is measured, whose median is reported "
        f"(default: {OPEN_ROUNDS})",
    )
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"sections to run, comma-separated, among {', '.join(SECTIONS)} (default: all; "
        "setup always runs, the others measure what it builds)",
    )


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


def checked_chunks(args: argparse.Namespace) -> list[str]:
    """The chunk sizes of --chunks, after checking the options."""
    chunks = [c.strip() for c in args.chunks.split(",") if c.strip()]
    if not chunks or any(c not in ("day", "week", "month") for c in chunks):
        raise BenchError(f"--chunks must list day, week and/or month; got: {args.chunks}")
    if args.baseline_rounds < 0:
        raise BenchError(f"--baseline-rounds must be 0 or more; got: {args.baseline_rounds}")
    for option, rounds in (
        ("--query-rounds", args.query_rounds),
        ("--open-rounds", args.open_rounds),
    ):
        if rounds < 1:
            raise BenchError(f"{option} must be at least 1; got: {rounds}")
    if args.backfill_all_days is not None and args.backfill_all_days < 1:
        raise BenchError(f"--backfill-all-days must be at least 1; got: {args.backfill_all_days}")
    return chunks


def checked_sections(args: argparse.Namespace) -> set[str]:
    """The sections of --sections (set-up included), after checking the names."""
    named = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(named) - set(SECTIONS))
    if not named or unknown:
        raise BenchError(
            f"--sections must list some of {', '.join(SECTIONS)}; "
            f"got: {args.sections}" + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )
    return {"setup", *named}


Step = tuple[str, str, str, Callable[[], Any]]  # section, result key, progress label, measurement


def steps(
    bench: Bench, args: argparse.Namespace, raw: dict[str, str], chunks: list[str]
) -> list[Step]:
    """The measurements in the order they run (each open after what it measures)."""
    return [
        ("setup", "sample", "sample-data generation", lambda: measure_sample(bench, args)),
        (
            "setup",
            "dbt_build",
            "dbt build of the curated layer",
            lambda: measure_dbt_build(bench),
        ),
        ("setup", "dbt_startup", "dbt start-up", lambda: measure_dbt_startup(bench)),
        (
            "setup",
            "dbt_analytics",
            "dbt run of the analytics layer",
            lambda: measure_dbt_analytics(bench),
        ),
        (
            "setup",
            "open_after_build",
            "open after build",
            lambda: measure_open(bench, args.open_rounds),
        ),
        ("backfill", "backfill", "backfills", lambda: measure_backfills(bench, chunks)),
        (
            "backfill",
            "open_after_backfill",
            "open after backfills",
            lambda: measure_open(bench, args.open_rounds),
        ),
        (
            "backfill",
            "backfill_all",
            f"backfill_all by day, {args.backfill_all_days or 'all generated'} days",
            lambda: measure_backfill_all(bench, args.backfill_all_days),
        ),
        (
            "backfill",
            "open_after_backfill_all",
            "open after backfill_all",
            lambda: measure_open(bench, args.open_rounds),
        ),
        ("test", "dbt_test", "dbt test", lambda: measure_dbt_test(bench)),
        (
            "test",
            "open_after_test",
            "open after dbt test",
            lambda: measure_open(bench, args.open_rounds),
        ),
        ("curation", "insert", "raw insert cost", lambda: measure_insert_cost(bench, raw)),
        ("freshness", "freshness", "freshness", lambda: measure_freshness(bench, raw)),
        (
            "queries",
            "queries",
            "dashboard queries",
            lambda: measure_dashboard_queries(bench, raw, args.baseline_rounds, args.query_rounds),
        ),
        (
            "incremental",
            "incremental",
            f"incremental refresh: full, nothing new, after a {DELTA_SHARE:.0%} delta",
            lambda: measure_incremental(bench, raw),
        ),
    ]


@contextmanager
def private_folder(path: Path, temporary: bool) -> Iterator[Path]:
    """$ECOM_CHDB_PATH set to the benchmark's folder and a work folder for dbt's artifacts;
    both restored or removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="ecom-bench-work-"))
    previous_path = os.environ.get("ECOM_CHDB_PATH")
    os.environ["ECOM_CHDB_PATH"] = str(path)
    try:
        yield workdir
    finally:
        if previous_path is None:
            os.environ.pop("ECOM_CHDB_PATH", None)
        else:
            os.environ["ECOM_CHDB_PATH"] = previous_path
        shutil.rmtree(workdir, ignore_errors=True)
        if temporary:
            shutil.rmtree(path.parent, ignore_errors=True)


def run_steps(steps: list[Step], output: Path) -> dict[str, Any]:
    """Run each step with progress on stderr, writing the figures so far after each one, so a
    run stopped at a large scale still leaves them."""
    results: dict[str, Any] = {}
    output.parent.mkdir(parents=True, exist_ok=True)
    for _section, key, label, step in steps:
        print(f"  {label} ...", file=sys.stderr, flush=True)
        step_started = time.perf_counter()
        results[key] = step()
        print(f"    {time.perf_counter() - step_started:.0f} s", file=sys.stderr, flush=True)
        output.write_text(json.dumps({"partial": True, **results}, default=str) + "\n")
    return results


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except BenchError as ex:
        print(f"error: {ex}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from ecom_analytics.sample_data import raw_databases

    chunks = checked_chunks(args)
    sections = checked_sections(args)
    raw = raw_databases(args.vars)
    klaviyo_scale = args.scale if args.klaviyo_scale is None else args.klaviyo_scale
    path, temporary = prepare_folder(args.path)
    started = time.perf_counter()
    with private_folder(path, temporary) as workdir:
        bench = Bench(path, workdir, embedded_target(args.target, path), args.vars)
        print(
            f"benchmark: scale {args.scale} (Klaviyo {klaviyo_scale}), folder {path}"
            + (" (temporary)" if temporary else ""),
            file=sys.stderr,
        )
        chosen = [step for step in steps(bench, args, raw, chunks) if step[0] in sections]
        results = run_steps(chosen, args.output)
    results = {
        "scale": args.scale,
        "klaviyo_scale": klaviyo_scale,
        "sections": [section for section in SECTIONS if section in sections],
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
