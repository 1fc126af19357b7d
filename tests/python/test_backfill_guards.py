"""Backfill guards: bad arguments fail clearly and change nothing (also through `make`), and
raw inserts arriving during a backfill are neither lost nor doubled; on the hand-made events of
helpers/backfill.py.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from ecom_analytics.workspace import BIN_DIR
from helpers import Project
from helpers.backfill import (
    END,
    EVENTS,
    START,
    actual_contents,
    backfill_results,
    build_events_project,
    expected_contents,
    snapshot,
    wipe_range,
)


@pytest.fixture(scope="module")
def built(provisioned: Project) -> Project:
    return build_events_project(provisioned)


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
from helpers.backfill import insert_raw, raw_event

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
