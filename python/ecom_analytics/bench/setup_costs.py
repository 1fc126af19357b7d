"""The set-up section: sample data, `dbt build` of the curated layer, dbt start-up, `dbt run`
of the analytics layer and a whole `dbt test`."""

from __future__ import annotations

import argparse
import io
import re
import resource
import time
from typing import Any

from ecom_analytics.bench.runner import Bench, peak_rss_mib, rate, scalar

CURATED_SELECTOR = "+path:curated_datasets"  # the curated models and what they need (seeds)
ANALYTICS_SELECTOR = "path:analytics_datasets"


def curated_databases(vars: dict[str, Any]) -> tuple[str, ...]:
    """The curated database of every source (`data_<source>`)."""
    from ecom_analytics.target import project_vars, source_names

    return tuple(f"data_{source}" for source in source_names(project_vars(vars)))


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
        version = scalar(client, "select version()")
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
            parameters={"dbs": curated_databases(bench.vars)},
        ).result_rows
        # FINAL: one row per entity, whatever the background merges have done so far
        rows = {
            f"{db}.{name}": scalar(client, f"select count() from `{db}`.`{name}` final")
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


def measure_dbt_analytics(bench: Bench) -> dict[str, Any]:
    command = bench.timed_dbt("run", "--select", ANALYTICS_SELECTOR)
    return {"selector": ANALYTICS_SELECTOR, "seconds": command.seconds}


def measure_dbt_test(bench: Bench) -> dict[str, Any]:
    """A whole `dbt test` run (every data and unit test), as CI runs it."""
    command = bench.timed_dbt("test")
    passed = re.search(r"PASS=(\d+)", command.output)
    return {"seconds": command.seconds, "passed": int(passed.group(1)) if passed else None}
