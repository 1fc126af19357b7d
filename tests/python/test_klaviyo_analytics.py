"""Klaviyo analytics on the sample data: unique opens per message, Klaviyo-attributed revenue per
campaign and events per metric per day reconcile with figures computed here in Python from the
raw rows; every rate is a share; re-delivering raw events and profiles changes nothing.

Python parses the raw JSON:API records itself and dedups events by id (newest per key), never
with FINAL.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from helpers import models_snapshot, newest_per_key, raw_message_campaigns, rows


@pytest.fixture(scope="module")
def marketing(standard):
    # held for the module's tests (Project.held): each opens a client, most of a second apiece
    with standard.held():
        yield standard


def raw_events(client) -> list[dict]:
    """Current raw events with their metric name and parsed properties."""
    metric_names = {
        r["id"]: json.loads(r["attributes"])["name"]
        for r in rows(client, "select id, attributes from raw_klaviyo.metrics")
    }
    found = rows(
        client,
        "select id, datetime, attributes, relationships, _airbyte_extracted_at "
        "from raw_klaviyo.events where id != ''",
    )
    found.sort(key=lambda r: r["_airbyte_extracted_at"])
    events = []
    for event in newest_per_key(
        found, key=lambda r: r["id"], version=lambda r: r["datetime"]
    ).values():
        try:
            properties = json.loads(event["attributes"])["event_properties"]
        except (TypeError, ValueError, KeyError):
            properties = {}
        relationships = json.loads(event["relationships"] or "{}")
        metric = relationships.get("metric", {}).get("data", {}).get("id")
        profile = (relationships.get("profile") or {}).get("data", {}).get("id")
        events.append(
            {
                "id": event["id"],
                "datetime": event["datetime"],
                "metric": metric_names.get(metric, ""),
                "profile": profile,
                "properties": properties if isinstance(properties, dict) else {},
            }
        )
    return events


def test_unique_opens_per_message_match_raw(marketing):
    with marketing.client() as client:
        expected = defaultdict(set)
        for event in raw_events(client):
            message = event["properties"].get("$message")
            if event["metric"] == "Opened Email" and message and event["profile"]:
                expected[message].add(event["profile"])
        found = rows(
            client,
            "select message_id, unique_opens from "
            "analytics_klaviyo.int_klaviyo__message_performance where unique_opens > 0",
        )
    assert len(expected) > 20
    found = {r["message_id"]: r["unique_opens"] for r in found}
    expected = {m: len(p) for m, p in expected.items()}
    differing = {
        m: (expected.get(m), found.get(m))
        for m in expected.keys() | found.keys()
        if expected.get(m) != found.get(m)
    }
    assert not differing, list(differing.items())[:5]


def test_klaviyo_attributed_revenue_per_campaign_matches_raw(marketing):
    with marketing.client() as client:
        campaigns = raw_message_campaigns(client)
        latest = {}  # order -> (datetime, message, value) of its latest Placed Order event
        for event in raw_events(client):
            properties = event["properties"]
            message = properties.get("$attributed_message")
            if event["metric"] != "Placed Order" or not message:
                continue
            order = str(properties.get("OrderId") or event["id"])
            if order not in latest or event["datetime"] >= latest[order][0]:
                latest[order] = (event["datetime"], message, Decimal(str(properties["$value"])))
        expected = defaultdict(Decimal)
        for _, message, value in latest.values():
            if message in campaigns:
                expected[campaigns[message]] += value
        found = rows(
            client,
            "select campaign_id, sum(attributed_revenue) as revenue "
            "from analytics_klaviyo.klaviyo_campaign_performance "
            "where campaign_id != '' group by campaign_id having revenue > 0",
        )
    assert len(expected) > 10
    assert {r["campaign_id"]: r["revenue"] for r in found} == dict(expected)


def test_events_per_metric_per_day_match_raw(marketing):
    with marketing.client() as client:
        expected = defaultdict(int)
        for event in raw_events(client):
            expected[(event["datetime"].date(), event["metric"])] += 1
        found = rows(
            client,
            "select event_date, metric_name, events "
            "from analytics_klaviyo.klaviyo_daily_event_summary",
        )
    assert {(r["event_date"], r["metric_name"]): r["events"] for r in found} == dict(expected)


def test_every_rate_is_a_share(marketing):
    rates = "open_rate, click_rate, click_to_open_rate, unsubscribe_rate"
    with marketing.client() as client:
        for model in ("klaviyo_campaign_performance", "klaviyo_flow_performance"):
            found = rows(client, f"select {rates} from analytics_klaviyo.{model}")
            assert found, model
            for row in found:
                assert all(v is None or 0 <= v <= 1 for v in row.values()), (model, row)
        hourly = rows(
            client, "select open_rate, click_rate from analytics_klaviyo.klaviyo_hourly_engagement"
        )
        assert hourly and all(0 <= v <= 1 for row in hourly for v in row.values())


def test_redelivered_events_and_profiles_change_nothing(marketing):
    with marketing.client() as client:
        before = models_snapshot(client)  # after a refresh of its own
        for table in ("events", "profiles", "campaigns_detailed"):
            again = client.query_arrow(f"select * from raw_klaviyo.{table} limit 2000")
            # a later sync delivers the same records again
            ids = again.column("_airbyte_extracted_at").to_pylist()
            again = again.set_column(
                again.column_names.index("_airbyte_extracted_at"),
                "_airbyte_extracted_at",
                [[t + timedelta(hours=1) for t in ids]],
            )
            client.insert_arrow(table, again, database="raw_klaviyo")
        after = models_snapshot(client)
    assert [name for name in before if before[name] != after.get(name)] == []
