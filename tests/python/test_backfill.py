"""Backfill macros on the real engine (`dbt run-operation backfill` / `backfill_all`), on
hand-made raw Klaviyo events (helpers/backfill.py).

One dbt run for the module builds two materialized-view models over the events:
`klaviyo__events` (ReplacingMergeTree target: the backfill adds partitions) and
`int_klaviyo__daily_metric_events` (AggregatingMergeTree target: the backfill replaces whole
partitions). Expected contents are computed in Python from the raw rows the test inserted
(read back from the raw table when other writers added some), never from the targets.
test_backfill_guards.py checks bad arguments and live inserts; test_backfill_all.py every
materialized-view model over sample data.
"""

from __future__ import annotations

import json
import signal
import subprocess
from datetime import UTC, datetime

import pytest
from ecom_analytics.workspace import BIN_DIR
from helpers import NO_LEFTOVERS, PROJECT_DIR, Project, leftovers
from helpers.backfill import (
    DAILY,
    DAYS,
    END,
    EVENTS,
    MODELS,
    START,
    actual_contents,
    backfill,
    backfill_results,
    build_events_project,
    expected_contents,
    insert_raw,
    raw_event,
    snapshot,
    wipe_range,
)


@pytest.fixture(scope="module")
def built(provisioned: Project) -> Project:
    return build_events_project(provisioned)


def test_catchup_matches_python(built):
    """Baseline: the views' catchup gives what Python computes from the raw rows."""
    with built.client() as client:
        assert actual_contents(client) == expected_contents(client)
        assert len(actual_contents(client)[0]) == DAYS * 12


def test_dry_run_prints_the_plan_and_changes_nothing(built):
    with built.client() as client:
        before = snapshot(client)
    plan = backfill(built, "klaviyo__events", dry_run=True).stdout
    attach = backfill(built, "klaviyo__events", dry_run=True, show_sql=True).stdout
    replace = backfill(
        built, "int_klaviyo__daily_metric_events", dry_run=True, show_sql=True
    ).stdout
    with built.client() as client:
        assert snapshot(client) == before
    # the plan alone: one line per chunk, no statements
    assert "DRY RUN" in plan and "chunk 7/7 [2026-06-03, 2026-06-04): " in plan
    assert "rows planned, partitions 202606" in plan
    assert "insert into" not in plan and "attach partition" not in plan
    assert "show_sql: true prints every statement" in plan
    # the statements on request
    assert "DRY RUN" in attach and "chunk 7/7 [2026-06-03, 2026-06-04)" in attach
    assert "attach partition id '202605' from data_klaviyo.events__backfill" in attach
    assert "attach partition id '202606'" in attach
    assert (
        "replace partition id '202605' from "
        "analytics_klaviyo.int_klaviyo__daily_metric_events__backfill" in replace
    )
    assert "reconciliation of " not in attach + replace
    assert [r["reconciliation"] for r in backfill_results(plan + replace)] == ["dry run"] * 2


def test_backfill_after_wipe_restores_the_original_contents(built):
    with built.client() as client:
        original = snapshot(client)
        wipe_range(client)
        wiped = snapshot(client)
    assert len(wiped["events"]) < len(original["events"])
    assert len(wiped["daily"]) < len(original["daily"])
    with built.client() as client:
        # the rows the events backfill writes, counted from raw directly: one per event (the
        # engine folds a chunk's re-deliveries as it writes them)
        raw_in_range, days_with_events = client.query(
            "select uniqExact(id), uniqExact(toDate(datetime, 'UTC')) from raw_klaviyo.events"
            f" where id != '' and toDate(datetime, 'UTC') >= '{START}'"
            f" and toDate(datetime, 'UTC') < '{END}'"
        ).result_rows[0]
    results = {}
    for model in MODELS:
        output = backfill(built, model).stdout
        assert "2 partitions, 0 differ" in output, output
        (results[model],) = backfill_results(output)
    timings = {"cutoff": None, "loop_seconds": None, "reconcile_seconds": None}
    assert results["klaviyo__events"] | timings == {
        "model": "klaviyo__events",
        "target": EVENTS,
        "time_column": "occurred_at",
        "start": START,
        "end": END,
        "chunk": "day",
        "chunks": 7,
        "empty_chunks": 7 - days_with_events,  # day chunks without an event are skipped
        "cutoff": None,
        "rows": raw_in_range,
        "loop_seconds": None,
        "reconciliation": "ok",
        "reconcile_seconds": None,
        "differing_partitions": [],
        "skipped_live_partitions": [],
    }
    assert results["klaviyo__events"]["loop_seconds"] > 0
    assert results["int_klaviyo__daily_metric_events"]["reconciliation"] == "ok"
    with built.client() as client:
        assert snapshot(client) == original
        assert actual_contents(client) == expected_contents(client)


def test_backfill_twice_equals_once(built):
    with built.client() as client:
        wipe_range(client)
    for model in MODELS:
        backfill(built, model)
    with built.client() as client:
        once = snapshot(client)
    for model in MODELS:
        backfill(built, model)
    with built.client() as client:
        assert snapshot(client) == once
        assert actual_contents(client) == expected_contents(client)


def test_backfill_all_runs_every_view_model_in_order(built):
    with built.client() as client:
        before = snapshot(client)
        wipe_range(client)
    # `models` keeps the run to the two models this module built, in dependency order
    args = json.dumps({"start": START, "end": END, "chunk": "week", "models": MODELS[::-1]})
    output = built.dbt("run-operation", "backfill_all", "--args", args).stdout
    assert "in order: int_klaviyo__daily_metric_events, klaviyo__events" in output
    assert "models whose reconciliation differs: none" in output
    with built.client() as client:
        assert snapshot(client) == before


def test_backfill_by_day_leaves_nothing_behind_for_the_next_open(built):
    """Every one-day chunk attaches or replaces partitions from a scratch table: the parts
    replaced, the scratch tables and anything detached must not outlive the dbt command, or
    every later open loads them (after backfill_all by day over the sample, 1,337 outdated
    parts made an open take 0.78 s instead of 0.27 s)."""
    for model in MODELS:
        backfill(built, model)
    assert leftovers(built.chdb_path) == NO_LEFTOVERS
    with built.client() as client:
        assert actual_contents(client) == expected_contents(client)


def test_killed_run_restarted_gives_the_uninterrupted_result(built):
    """Kill the backfill after its first progress line (many one-day chunks, so it is mid-run),
    leave a half-filled scratch table behind, and run it again."""
    with built.client() as client:
        expected = snapshot(client)
        wipe_range(client, [DAILY])
    args = {
        "model": "int_klaviyo__daily_metric_events",
        "start": "2026-05-01",
        "end": "2026-07-31",
        "chunk": "day",
    }
    process = subprocess.Popen(
        [str(BIN_DIR / "dbt"), "run-operation", "backfill", "--args", json.dumps(args)],
        cwd=PROJECT_DIR,
        env={**built.env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen = []
    for line in process.stdout:
        seen.append(line)
        if "chunk 1/" in line:
            process.send_signal(signal.SIGKILL)
            break
    process.wait()
    output = "".join(seen)
    assert process.returncode == -signal.SIGKILL, output
    assert "done:" not in output
    with built.client() as client:
        # as if killed while filling the scratch copy: garbage there must not reach the target
        client.command(f"create table if not exists {DAILY}__backfill as {DAILY}")
        client.command(
            f"insert into {DAILY}__backfill select source_relation, event_date, 'garbage',"
            f" events_state, profiles_state from {DAILY}"
        )
    built.dbt("run-operation", "backfill", "--args", json.dumps(args))
    with built.client() as client:
        assert snapshot(client) == expected


def test_live_partition_is_never_replaced(built):
    """Raw rows loaded after the cutoff are the live view's: the aggregating target's partition
    they land in is skipped (replacing it could drop them), other partitions are backfilled,
    and nothing is lost or counted twice."""
    late = raw_event("bf-late-1", datetime(2026, 6, 2, 12, 0, tzinfo=UTC), "m1", "bf-p1")
    with built.client() as client:
        insert_raw(client, [late], datetime(2026, 6, 20, tzinfo=UTC))
        client.command(
            f"alter table {DAILY} delete where event_date = '2026-05-30'"
            " settings mutations_sync = 2"
        )
    output = backfill(
        built, "int_klaviyo__daily_metric_events", cutoff="2026-06-15 00:00:00"
    ).stdout
    assert "skipped live partition 202606" in output
    assert "differs (live partition, skipped)" not in output  # the live view wrote it: complete
    with built.client() as client:
        assert actual_contents(client) == expected_contents(client)


@pytest.mark.parametrize(
    "partition_by",
    [
        "(toYYYYMM(day), shop)",
        "toYYYYMM(day)",
        "(toYYYYMM(day))",
        "tuple()",
        "(intDiv(toYYYYMM(day), 100)) * 2",
        "(toYYYYMM(day), intDiv(toDayOfMonth(day), 10))",
    ],
)
def test_partition_expression_gives_the_engines_partition_ids(built, partition_by):
    """The backfill plans and reconciles partitions by the id it computes for a row: for a key
    that is a tuple of expressions, a single expression (also one that starts with a
    parenthesis) and no key, it must equal the id the engine gave the row's part."""
    table = "default.backfill_partition_ids"
    with built.client() as client:
        client.command(
            f"create table {table} (day Date, shop String) engine = MergeTree"
            f" partition by {partition_by} order by day"
        )
        client.command(
            f"insert into {table} values ('2026-01-05', 's1'), ('2026-01-20', 's2'),"
            " ('2027-02-05', 's1')"
        )
        key = client.query(
            "select partition_key from system.tables"
            " where database = 'default' and name = 'backfill_partition_ids'"
        ).result_rows[0][0]
    expression = built.dbt(
        "--quiet",
        "compile",
        "--inline",
        "{{ backfill_partition_expression({'partition_key': '" + key + "'}) }}",
    ).stdout.strip()
    with built.client() as client:
        try:
            pairs = client.query(f"select _partition_id, {expression} from {table}").result_rows
        finally:
            client.command(f"drop table {table} sync")
    assert len(pairs) == 3
    assert all(engine_id == computed for engine_id, computed in pairs), pairs


def test_a_real_mismatch_fails_the_command(built):
    """A row the views cannot produce (no raw row has its id) makes the reconciliation differ:
    the report says DIFFERS and dbt exits non-zero, for one model and for backfill_all."""
    with built.client() as client:
        client.command(
            f"insert into {EVENTS} (id, source_relation, metric_id, occurred_at, _loaded_at)"
            " values ('bf-not-in-raw', 'raw_klaviyo', 'm1', '2026-05-30 10:00:00', now64(3))"
        )
    try:
        one = backfill(built, "klaviyo__events", check=False)
        args = json.dumps({"start": START, "end": END, "models": MODELS})
        every = built.dbt("run-operation", "backfill_all", "--args", args, check=False)
    finally:
        with built.client() as client:
            client.command(
                f"delete from {EVENTS} where id = 'bf-not-in-raw' settings mutations_sync = 2"
            )
    for result in (one, every):
        assert result.returncode != 0, result.stdout
        assert "202605" in result.stdout and "DIFFERS" in result.stdout
        assert "reconciliation differs for 1 model(s): klaviyo__events" in result.stdout
    assert "models whose reconciliation differs: klaviyo__events" in every.stdout
    (events,) = backfill_results(one.stdout)
    assert (events["reconciliation"], events["differing_partitions"]) == ("differs", ["202605"])
    assert [r["reconciliation"] for r in backfill_results(every.stdout)] == ["ok", "differs"]
