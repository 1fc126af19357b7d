"""`ecom bench` at a tiny scale: every section is measured and written to the JSON output.

Row counts only, never timings (the guide: speed is read from the benchmark, not asserted)."""

from __future__ import annotations

import json

from helpers import Project


def test_bench_writes_every_section(project: Project, tmp_path):
    output = tmp_path / "bench.json"
    result = project.cli(
        "bench", "--scale", "0.01", "--path", str(tmp_path / "db"), "--output", str(output)
    )
    results = json.loads(output.read_text())

    assert results["sample"]["rows"] > 0
    assert results["dbt_build"]["curated_rows"] > 0 and results["dbt_build"]["curated_tables"] > 0
    assert results["dbt_startup"]["command"].startswith("dbt run-operation")
    assert {i["table"] for i in results["insert"]} == {"raw_klaviyo.events", "raw_shopify.orders"}
    for insert in results["insert"]:
        assert insert["rows"] > 0 and insert["views"], insert
    assert {b["model"] for b in results["backfill"]} == {"klaviyo__events", "shopify__orders"}
    for backfill in results["backfill"]:
        assert backfill["plain"]["rows"] > 0
        assert [r["chunk"] for r in backfill["runs"]] == ["month", "week"]
        # the backfill (dbt macro) and the plain INSERT ... SELECT (Python) write the same rows
        assert all(r["rows"] == backfill["plain"]["rows"] for r in backfill["runs"]), backfill
    # backfill scratch tables and refreshes leave no dropped tables queued to slow opens
    assert results["open_after_backfill"]["queued_drops"] <= 1, results["open_after_backfill"]
    for title in ("sample-data generation", "open the folder", "raw insert cost", "backfill"):
        assert title in result.stdout
