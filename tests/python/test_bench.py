"""`ecom bench` at a tiny scale: every section is measured and written to the JSON output.

Row counts only, never timings (the guide: speed is read from the benchmark, not asserted)."""

from __future__ import annotations

import json

from ecom_analytics.typical_queries import TYPICAL_QUERIES
from helpers import Project

# Fewer timed rounds than the bench's defaults (test_bench_options checks those): what is
# checked is that each round's query answers and its rounds are reported.
QUERY_ROUNDS = 3
OPEN_ROUNDS = 1
# The incremental section waits until the newest change is older than the states' overlap
# (default 30 s) before its refresh with nothing new; a short overlap, the same for the bench's
# dbt runs and its wait, keeps that wait from outlasting the sections before it.
OVERLAP_SECONDS = 5


def test_bench_writes_every_section(project: Project, tmp_path):
    output = tmp_path / "bench.json"
    result = project.cli_process(
        "--vars",
        f"{{analytics_incremental_overlap_seconds: {OVERLAP_SECONDS}}}",
        "bench",
        "--scale",
        "0.01",
        "--backfill-all-days",
        "1",
        # one chunk size: the backfill tests cover every size; here the section's output counts
        "--chunks",
        "month",
        # one run of each baseline: what is checked is that it gives the model's answer
        "--baseline-rounds",
        "1",
        "--query-rounds",
        str(QUERY_ROUNDS),
        "--open-rounds",
        str(OPEN_ROUNDS),
        "--path",
        str(tmp_path / "db"),
        "--output",
        str(output),
    )
    results = json.loads(output.read_text())

    assert results["sample"]["rows"] > 0
    assert results["dbt_build"]["curated_rows"] > 0 and results["dbt_build"]["curated_tables"] > 0
    assert results["dbt_startup"]["command"].startswith("dbt run-operation")
    assert {i["table"] for i in results["insert"]} == {
        "raw_klaviyo.events",
        "raw_shopify.orders",
        "raw_ga4_export.events",
    }
    for insert in results["insert"]:
        assert insert["rows"] > 0 and insert["views"], insert
        # the fair baseline ran every view's SELECT over the batch into copies of the targets
        assert insert["curated_rows"] > 0 and insert["fair_ratio"] > 0, insert
    assert {b["model"] for b in results["backfill"]} == {"klaviyo__events", "shopify__orders"}
    for backfill in results["backfill"]:
        assert backfill["plain"]["rows"] > 0
        assert [r["chunk"] for r in backfill["runs"]] == ["month"]
        # the backfill (dbt macro) and the plain INSERT ... SELECT (Python) write the same rows
        assert all(r["rows"] == backfill["plain"]["rows"] for r in backfill["runs"]), backfill
        # dbt's peak memory is reported (its size is a measurement, like a timing: not asserted)
        for run in backfill["runs"]:
            assert run["peak_rss_mib"] > 0, run
    # backfill scratch tables and refreshes leave no dropped tables queued to slow opens: what
    # an open finds is at most the one table per refresh the previous open cancelled
    refreshable = results["freshness"]["refreshed_views"]
    assert results["backfill_all"]["models"] > 2 and results["backfill_all"]["days"] == 1
    for opened in (
        "open_after_build",
        "open_after_backfill",
        "open_after_backfill_all",
        "open_after_test",
    ):
        assert results[opened]["queued_drops"] <= refreshable, results[opened]
        assert results[opened]["rounds"] == OPEN_ROUNDS, results[opened]
    assert results["dbt_test"]["passed"] > 0
    freshness = results["freshness"]
    assert freshness["refreshed_views"] > 0 and freshness["refresh_interval_minutes"] > 0
    for model in ("data_shopify.orders", "int_shopify__order_sales", "int_klaviyo__events_named"):
        assert not freshness["visible"][model]["how"].startswith("NOT"), freshness["visible"]
    _incremental_checks(results)
    queries = {q["model"]: q for q in results["queries"]["queries"]}
    assert set(queries) == set(TYPICAL_QUERIES)
    for model, query in queries.items():
        assert query["rounds"] == QUERY_ROUNDS and query["median_seconds"] > 0, query
        for layer in ("curated", "raw"):
            assert layer not in query or query[layer]["rounds"] == 1, query
            assert (layer in query) == (getattr(TYPICAL_QUERIES[model], layer) is not None)
            # a baseline answers the model's question: the same rows on the sample
            if layer in query and TYPICAL_QUERIES[model].comparable:
                assert query[layer]["same_answer"] is True, (model, layer, query[layer])
    for title in (
        "sample-data generation",
        "open the embedded folder",
        "real-time curation",
        "backfill",
        "freshness",
        "dashboard queries",
        "incremental refresh",
    ):
        assert title in result.stdout


def _incremental_checks(results: dict) -> None:
    """The incremental section: the delta reached every raw table it names, and the refreshes'
    own counters show the states doing what they are for."""
    incremental = results["incremental"]
    assert all(rows > 0 for rows in incremental["delta_rows"].values()), incremental["delta_rows"]
    full, nothing_new, after = (incremental[key] for key in ("full", "nothing_new", "after_delta"))
    assert set(full["views"]) == set(nothing_new["views"]) == set(after["views"])
    assert incremental["incremental_states"]
    for state in incremental["incremental_states"]:
        # a full recompute writes every key; with nothing new nothing; after the delta its keys
        assert full["views"][state]["written_rows"] > after["views"][state]["written_rows"] > 0
        assert nothing_new["views"][state]["written_rows"] == 0, nothing_new["views"][state]
    assert full["read_rows"] > 0 and after["read_ratio"] > 0 and nothing_new["read_ratio"] > 0
