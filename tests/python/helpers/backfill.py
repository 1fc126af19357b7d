"""The backfill tests' world: hand-made raw Klaviyo events over 22 days, the two
materialized-view models they feed, and both targets' contents computed in Python from the raw
rows (never from the targets)."""

from __future__ import annotations

import json
import random
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from ecom_analytics.bench import backfill_results as backfill_results  # the bench's parser

from helpers.project import Project
from helpers.raw import insert_klaviyo

EVENTS = "data_klaviyo.events"
DAILY = "analytics_klaviyo.int_klaviyo__daily_metric_events"
DELIVERY_LOG = "analytics_cross_source.int_raw__table_loads"
# The materialized-view models that log arrivals (config backfill: false): raw cannot say when
# a row arrived, so backfills leave them alone.
NOT_BACKFILLED = (
    DELIVERY_LOG,
    "analytics_shopify.int_shopify__sales_changes",
    "analytics_ga4.int_ga4__commerce_changes",
    "analytics_ga4.int_ga4__commerce_state_changes",
    "analytics_ga4.int_ga4__event_changes",
    "analytics_ga4.int_ga4__session_facts_changes",
    "analytics_klaviyo.int_klaviyo__event_changes",
    "analytics_klaviyo.int_klaviyo__events_named_changes",
)
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
        " where database in ('data_klaviyo', 'analytics_klaviyo') order by database, name"
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


def backfill(project: Project, model: str, start=START, end=END, check=True, **extra):
    args = {"model": model, "start": start, "end": end, "chunk": "day", **extra}
    return project.dbt("run-operation", "backfill", "--args", json.dumps(args), check=check)


def build_events_project(project: Project) -> Project:
    """The hand-made events (a quarter of them re-delivered by a later sync) in the raw table
    of a provisioned project, then one dbt run of the two models over them."""
    with project.client() as client:
        events = generated_events()
        insert_raw(client, events, SYNC_1)
        # a later sync re-delivers a quarter of the events unchanged
        insert_raw(client, events[::4], SYNC_2)
    project.dbt("run", "--select", *MODELS)
    return project
