"""Backfill macros on the real engine (`dbt run-operation backfill` / `backfill_all`).

One dbt run for the module builds two materialized-view models over hand-made raw Klaviyo
events: `klaviyo__events` (ReplacingMergeTree target: the backfill adds partitions) and
`int_klaviyo__daily_metric_events` (AggregatingMergeTree target: the backfill replaces whole
partitions). Expected contents are computed in Python from the raw rows the test inserted
(read back from the raw table when other writers added some), never from the targets.
A second database holds the whole project built over sample data, for `backfill_all` over
every materialized-view model; there the expected contents are what the views computed as
the raw rows arrived, before the backfill.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from ecom_analytics.workspace import BIN_DIR
from helpers import (
    MODEL_DATABASES,
    NO_LEFTOVERS,
    PROJECT_DIR,
    Project,
    insert_klaviyo,
    leftovers,
    models_snapshot,
)

EVENTS = "data_klaviyo.events"
DAILY = "klaviyo_analytics.int_klaviyo__daily_metric_events"
DELIVERY_LOG = "cross_source_analytics.int_raw__table_loads"
MODELS = ["klaviyo__events", "int_klaviyo__daily_metric_events"]
# The backfilled range crosses a month, so it spans two partitions of both targets.
START, END = "2026-05-28", "2026-06-04"
FIRST_DAY = date(2026, 5, 20)
DAYS = 22  # raw events from 2026-05-20 to 2026-06-10: some outside the range
SYNC_1 = datetime(2026, 6, 11, 6, 0, tzinfo=UTC)
SYNC_2 = SYNC_1 + timedelta(hours=6)


def raw_event(event_id: str, happened: datetime, metric_id: str, profile_id: str | None):
    relationships = {"metric": {"data": {"type": "metric", "id": metric_id}}}
    if profile_id is not None:
        relationships["profile"] = {"data": {"type": "profile", "id": profile_id}}
    attributes = {"datetime": happened.isoformat(), "uuid": str(uuid.uuid4())}
    return [event_id, happened, json.dumps(attributes), json.dumps(relationships)]


def insert_raw(client, events: list[list], extracted_at: datetime) -> None:
    """Insert raw events given as [id, datetime, attributes JSON, relationships JSON]."""
    records = [
        {"id": e[0], "cursor": e[1], "attributes": e[2], "relationships": e[3]} for e in events
    ]
    insert_klaviyo(client, "events", records, extracted_at)


def generated_events() -> list[list]:
    rng = random.Random(6)
    events = []
    for day in range(DAYS):
        for number in range(12):
            happened = datetime.combine(FIRST_DAY + timedelta(days=day), datetime.min.time(), UTC)
            happened += timedelta(minutes=rng.randrange(24 * 60))
            profile = None if number == 0 else f"bf-p{rng.randrange(15)}"
            events.append(
                raw_event(f"bf-{day}-{number}", happened, f"m{rng.randrange(3)}", profile)
            )
    return events


def expected_contents(client):
    """Both targets' contents computed in Python from every raw row: one row per event id
    (re-deliveries are identical copies), distinct ids and profiles per day and metric."""
    rows = client.query(
        "select id, datetime, relationships from raw_klaviyo.events where id like 'bf-%'"
    ).result_rows
    events = {}
    for event_id, happened, relationships in rows:
        parsed = json.loads(relationships)
        metric = parsed["metric"]["data"]["id"]
        profile = parsed.get("profile", {}).get("data", {}).get("id")
        events[event_id] = (metric, profile, happened.replace(tzinfo=None))
    daily = defaultdict(lambda: (set(), set()))
    for event_id, (metric, profile, happened) in events.items():
        ids, profiles = daily[(happened.date(), metric)]
        ids.add(event_id)
        if profile is not None:
            profiles.add(profile)
    return events, {key: (len(ids), len(profiles)) for key, (ids, profiles) in daily.items()}


def actual_contents(client):
    events = {
        row[0]: (row[1], row[2], row[3].replace(tzinfo=None))
        for row in client.query(
            f"select id, metric_id, profile_id, occurred_at from {EVENTS} final"
            " where id like 'bf-%'"
        ).result_rows
    }
    daily = {
        (row[0], row[1]): (row[2], row[3])
        for row in client.query(
            "select event_date, metric_id, uniqExactMerge(events_state),"
            f" uniqExactMerge(profiles_state) from {DAILY} group by event_date, metric_id"
        ).result_rows
    }
    return events, daily


def snapshot(client) -> dict:
    """Every table of both target databases with its exact contents (the events target read with
    FINAL and without `_loaded_at`: which of two re-deliveries with the same version survives is
    not defined by ReplacingMergeTree; aggregate states finalized)."""
    tables = client.query(
        "select database, name from system.tables"
        " where database in ('data_klaviyo', 'klaviyo_analytics') order by database, name"
    ).result_rows
    return {
        "tables": tables,
        "events": client.query(
            f"select * except (_loaded_at) from {EVENTS} final order by source_relation, id"
        ).result_rows,
        "daily": client.query(
            f"select source_relation, event_date, metric_id, finalizeAggregation(events_state),"
            f" finalizeAggregation(profiles_state) from {DAILY} final order by all"
        ).result_rows,
    }


def wipe_range(client, tables=(EVENTS, DAILY)) -> None:
    """Delete the backfill range from the targets (as a broken catchup or a bad repair would)."""
    for table, column in [(EVENTS, "occurred_at"), (DAILY, "event_date")]:
        if table not in tables:
            continue
        client.command(
            f"alter table {table} delete where toDate({column}) >= '{START}'"
            f" and toDate({column}) < '{END}' settings mutations_sync = 2"
        )


def backfill_results(output: str) -> list[dict]:
    """The machine-readable `backfill result:` line of each backfilled model, in order."""
    return [json.loads(line) for line in re.findall(r"backfill result: (\{.*\})", output)]


def backfill(project: Project, model: str, start=START, end=END, check=True, **extra):
    args = {"model": model, "start": start, "end": end, "chunk": "day", **extra}
    return project.dbt("run-operation", "backfill", "--args", json.dumps(args), check=check)


@pytest.fixture(scope="module")
def built(provisioned: Project) -> Project:
    with provisioned.client() as client:
        events = generated_events()
        insert_raw(client, events, SYNC_1)
        # a later sync re-delivers a quarter of the events unchanged
        insert_raw(client, events[::4], SYNC_2)
    provisioned.dbt("run", "--select", *MODELS)
    return provisioned


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
        "klaviyo_analytics.int_klaviyo__daily_metric_events__backfill" in replace
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
        raw_in_range = client.query(
            "select uniqExact(id) from raw_klaviyo.events where id != ''"
            f" and toDate(datetime, 'UTC') >= '{START}' and toDate(datetime, 'UTC') < '{END}'"
        ).result_rows[0][0]
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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"model": "no_such_model", "start": START, "end": END}, "unknown model 'no_such_model'"),
        ({"model": "klaviyo__events_named", "start": START, "end": END}, "materialized as 'view'"),
        (
            {"model": "int_raw__table_loads", "start": START, "end": END},
            "counts deliveries as they arrive (config backfill: false)",
        ),
        (
            {"model": "x; drop table data_klaviyo.events", "start": START, "end": END},
            "must be a model name",
        ),
        ({"model": "klaviyo__events", "start": END, "end": START}, "must be after 'start'"),
        (
            {"model": "klaviyo__events", "start": "2026-02-30", "end": END},
            "not a valid calendar date",
        ),
        (
            {"model": "klaviyo__events", "start": "05/28/2026", "end": END},
            "must be a date YYYY-MM-DD",
        ),
        ({"model": "klaviyo__events", "start": "2026-05-28' or 1=1 --", "end": END}, "YYYY-MM-DD"),
        ({"model": "klaviyo__events", "end": END}, "'start' is required"),
        (
            {"model": "klaviyo__events", "start": START, "end": END, "chunk": "hour"},
            "one of day, week, month",
        ),
        (
            {"model": "klaviyo__events", "start": START, "end": END, "dry_run": "no"},
            "true or false",
        ),
        (
            {"model": "klaviyo__events", "start": START, "end": END, "cutoff": "now()"},
            "UTC timestamp",
        ),
        (
            {"model": "klaviyo__events", "start": START, "end": END, "show_sql": "yes"},
            "'show_sql' must be true or false",
        ),
    ],
)
def test_bad_arguments_fail_clearly_and_change_nothing(built, args, message):
    with built.client() as client:
        before = snapshot(client)
    result = built.dbt("run-operation", "backfill", "--args", json.dumps(args), check=False)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert "chunk 1/" not in result.stdout
    with built.client() as client:
        assert snapshot(client) == before


def test_make_backfill_with_a_bad_date_gives_a_message_not_a_traceback(built):
    result = built.run(
        "make",
        "--no-print-directory",
        "backfill",
        "START=2026-13-01",
        "END=2026-01-01",
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "argument 'start' is not a valid calendar date (1900-2299): 2026-13-01" in output
    assert "Traceback" not in output and "if [ -n" not in output  # nor the shell block echoed
    assert len(output.splitlines()) < 15, output


# Runs in its own process: dbt (through its Python API) backfills while a thread of the same
# process keeps inserting raw events (the embedded engine admits one process per folder).
CONCURRENT_SCRIPT = """
import json, sys, threading, uuid
from datetime import UTC, datetime, timedelta
from dbt.cli.main import dbtRunner
from dbt.adapters.chdb.client import open_embedded
sys.path.insert(0, sys.argv[2])
from test_backfill import insert_raw, raw_event

stop = threading.Event()
batches = []

def writer():
    client = open_embedded(sys.argv[1], query_limit=0)
    try:
        number = 0
        while not stop.is_set() and number < 400:
            happened = datetime(2026, 5, 28, tzinfo=UTC) + timedelta(minutes=37 * number)
            new = raw_event(f"bf-live-{number}", happened, "m2", f"bf-p{number % 15}")
            again = client.query(
                "select id, datetime, attributes, relationships from raw_klaviyo.events"
                f" where id like 'bf-%' order by cityHash64(id, {number}) limit 1"
            ).result_rows
            insert_raw(client, [new] + [list(r) for r in again], datetime.now(UTC))
            batches.append(number)
            number += 1
    finally:
        client.close()

thread = threading.Thread(target=writer)
thread.start()
try:
    result = dbtRunner().invoke(["run-operation", "backfill", "--args", sys.argv[3]])
finally:
    stop.set()
    thread.join()
print("INSERTED_BATCHES", len(batches))
sys.exit(0 if result.success else 1)
"""


def test_raw_inserts_during_a_backfill_are_neither_lost_nor_doubled(built):
    with built.client() as client:
        wipe_range(client)
    args = json.dumps({"model": "klaviyo__events", "start": START, "end": END, "chunk": "day"})
    result = built.run(
        str(BIN_DIR / "python"),
        "-c",
        CONCURRENT_SCRIPT,
        str(built.chdb_path),
        os.path.dirname(__file__),
        args,
    )
    inserted = re.search(r"INSERTED_BATCHES (\d+)", result.stdout)
    assert inserted and int(inserted.group(1)) > 0, result.stdout
    # rows arriving between the reconciliation's two reads can show as differences: it then
    # compares again, and says inconclusive (exit 0) rather than fail a correct backfill
    (reconciled,) = backfill_results(result.stdout)
    assert reconciled["reconciliation"] in ("ok", "inconclusive"), result.stdout
    assert ("INCONCLUSIVE" in result.stdout) == (reconciled["reconciliation"] == "inconclusive")
    with built.client() as client:
        events, _ = expected_contents(client)
        actual, _ = actual_contents(client)
        assert actual == events
        # every event once: no key twice in the deduplicated target
        assert client.query(
            f"select count(), uniqExact(id) from {EVENTS} final where id like 'bf-%'"
        ).result_rows[0] == (len(events), len(events))


# --- every materialized-view model, on sample data -------------------------------------------
SAMPLE_AS_OF = "2026-11-01"  # the history: 2026-05-04 to 2026-10-31


def view_targets(client) -> list[str]:
    """The target tables of the insert-triggered materialized views (refreshable ones left
    out), read from the engine: one per materialized-view model, but the log of deliveries
    (int_raw__table_loads), which backfills leave alone."""
    found = client.query(
        "select distinct extract(create_table_query, ' TO (\\w+\\.\\w+)') from system.tables"
        f" where engine = 'MaterializedView' and ({MODEL_DATABASES})"
        " and create_table_query not like '% REFRESH %' order by 1"
    ).result_rows
    return [target for (target,) in found if target != DELIVERY_LOG]


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory) -> Project:
    project = Project(tmp_path_factory.mktemp("sample"))
    project.cli("provision")
    project.cli("sample", "--scale", "0.02", "--as-of", SAMPLE_AS_OF)
    project.dbt("build", "--exclude", "resource_type:test", "resource_type:unit_test")
    return project


def backfill_all(project: Project, **args) -> str:
    output = project.dbt("run-operation", "backfill_all", "--args", json.dumps(args)).stdout
    assert "DIFFERS" not in output, output
    assert "models whose reconciliation differs: none" in output, output
    return output


def test_whole_project_backfill_on_a_quiet_database_reports_no_mismatch(sample_project):
    """Week chunks over part of the history, on a correct database: every model reconciles
    (also those keyed on load time, whose keys have newer versions loaded after the range),
    the command exits 0 and no model changes."""
    with sample_project.client() as client:
        targets = view_targets(client)
        before = models_snapshot(client)
    output = backfill_all(sample_project, start="2026-06-01", end="2026-09-01", chunk="week")
    assert f"backfill_all: {len(targets)} materialized-view models" in output
    assert len(targets) == 33
    assert output.count("reconciliation of ") == len(targets)
    with sample_project.client() as client:
        assert models_snapshot(client) == before


def test_whole_project_backfill_restores_every_emptied_model(sample_project):
    """Every view target emptied; backfills over the history and the catalogue's older
    versions (products, variants and profiles were created up to 900 days before it), and over
    1970-01-01, where rows without a parsable time land, put back exactly what the views had
    computed."""
    with sample_project.client() as client:
        before = models_snapshot(client)
        for target in view_targets(client):
            client.command(f"truncate table {target}")
        assert all(
            client.query(f"select count() from {t}").result_rows[0][0] == 0
            for t in view_targets(client)
        )
    backfill_all(sample_project, start="1970-01-01", end="1970-01-02", chunk="day")
    backfill_all(sample_project, start="2023-11-01", end="2026-11-02", chunk="month")
    with sample_project.client() as client:
        assert models_snapshot(client) == before
