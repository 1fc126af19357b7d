"""Curated Klaviyo on the real engine: materialized views fire on raw inserts.

One dbt build for the module. Hand-made raw rows (ids prefixed `t-`, in helpers/klaviyo.py)
check extraction, re-delivery, late metrics, bad input and row accounting; generated sample
data is loaded first, and the reconciliation covers it too. Expected figures come from the raw
rows, parsed and deduplicated in Python, never from curated tables.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from operator import itemgetter

import pytest
from helpers import Project, newest_per_key
from helpers.klaviyo import (
    BAD_EVENTS,
    CAMPAIGN,
    CURATED,
    DAY,
    GOOD_EVENTS,
    MESSAGES,
    OPENED,
    PLACED,
    RAW,
    SYNC_1,
    SYNC_2,
    as_utc,
    event,
    insert,
    named,
    profile,
)


@pytest.fixture(scope="module")
def klaviyo(provisioned: Project) -> Iterator[Project]:
    provisioned.cli("sample", "--scale", "0.05", "--replace")
    with provisioned.client() as client:
        insert(
            client,
            "metrics",
            [named(PLACED, "Placed Order"), named(OPENED, "Opened Email")],
            SYNC_1,
        )
        insert(client, "events", GOOD_EVENTS + BAD_EVENTS, SYNC_1)
        insert(
            client,
            "campaigns",
            [CAMPAIGN, {"id": "t-c-bad", "cursor": DAY, "attributes": "{{garbage"}],
            SYNC_1,
        )
        insert(
            client,
            "campaigns_detailed",
            [
                {**CAMPAIGN, "campaign_messages": MESSAGES},
                {**named("t-c2", "Broken"), "campaign_messages": "not json"},
            ],
            SYNC_1,
            extra={"campaign_messages": None},
        )
        insert(client, "profiles", [profile(["t-l1", "t-l2"], ["t-s1"], 0)], SYNC_1)
        insert(client, "lists", [named("t-l1", "Newsletter"), named("t-l2", "VIP")], SYNC_1)
        insert(
            client,
            "flows",
            [named("t-f1", "Welcome", status="live", trigger_type="Added to List")],
            SYNC_1,
        )
    provisioned.dbt("build", "--select", "path:curated_datasets/data_klaviyo")
    # held for the module's tests (Project.held): each opens a client, most of a second apiece
    with provisioned.held():
        yield provisioned


def test_event_fields_extracted(klaviyo):
    project = klaviyo
    e1 = project.one(f"select * from {CURATED}.events final where id = 't-e1'")
    assert e1["source_relation"] == RAW
    assert (e1["metric_id"], e1["profile_id"]) == (PLACED, "t-p1")
    assert e1["value"] == Decimal("100.5")
    assert e1["order_id"] == "5001"
    assert e1["source_event_id"] == "5001"
    assert e1["attributed_message_id"] == "t-msg1"
    assert e1["attribution_ids"] == ["t-att1"]
    assert as_utc(e1["occurred_at"]) == DAY + timedelta(minutes=1)
    assert as_utc(e1["_loaded_at"]) == SYNC_1
    assert e1["_dq_issues"] == []
    assert json.loads(e1["event_properties"])["OrderId"] == 5001
    e2 = project.one(f"select value, order_id from {CURATED}.events final where id = 't-e2'")
    assert e2 == {"value": Decimal("19.99"), "order_id": "5002"}
    e3 = project.one(f"select * from {CURATED}.events final where id = 't-e3'")
    assert (e3["message_id"], e3["flow_id"], e3["value"]) == ("t-msg1", "t-f1", None)


def test_redelivered_events_count_once(klaviyo):
    project = klaviyo
    with project.client() as client:
        insert(client, "events", GOOD_EVENTS, SYNC_2)
        raw = client.query(
            f"select count() from {RAW}.events where id in ('t-e1', 't-e2', 't-e3')"
        ).result_rows[0][0]
    assert raw == 6
    curated = project.one(
        f"select count() as n, sum(value) as total from {CURATED}.events final "
        "where id in ('t-e1', 't-e2', 't-e3')",
    )
    assert curated == {"n": 3, "total": Decimal("120.49")}


def test_new_batch_appears_without_dbt_run(klaviyo):
    project = klaviyo
    with project.client() as client:
        insert(client, "events", [event("t-e-new", PLACED, {"$value": 7}, 30)], SYNC_2)
    assert project.query(f"select value from {CURATED}.events final where id = 't-e-new'") == [
        (Decimal(7),)
    ]


def test_metric_names_resolved_when_read(klaviyo):
    """An event whose metric lands later gets its name without any rebuild."""
    project = klaviyo
    named_sql = f"select metric_name from {CURATED}.events_named where id = 't-e-late'"
    with project.client() as client:
        insert(client, "events", [event("t-e-late", "t-m-late", {}, 40)], SYNC_2)
    assert project.query(named_sql) == [(None,)]
    with project.client() as client:
        insert(client, "metrics", [named("t-m-late", "Viewed Product")], SYNC_2)
    assert project.query(named_sql) == [("Viewed Product",)]
    assert project.query(f"select metric_name from {CURATED}.events_named where id = 't-e1'") == [
        ("Placed Order",)
    ]


def test_bad_input_kept_and_flagged(klaviyo):
    project = klaviyo
    issues = dict(
        project.query(
            f"select id, _dq_issues from {CURATED}.events final where id like 't-bad-%'",
        )
    )
    assert issues == {
        "t-bad-json": ["malformed_attributes_json"],
        "t-bad-empty-attributes": ["missing_attributes"],
        "t-bad-array-attributes": ["malformed_attributes_json"],
        "t-bad-text-value": ["unparsable_value"],
        "t-bad-huge-value": ["unparsable_value"],
        "t-bad-datetime": ["unparsable_attributes_datetime"],
    }
    assert project.query(
        f"select _dq_issues from {CURATED}.campaigns final where id = 't-c-bad'"
    ) == [(["malformed_attributes_json", "missing_name"],)]
    unkeyed = Counter(
        project.query(
            f"select stream, reason from {CURATED}.unkeyed_rows where source_relation = '{RAW}'",
        )
    )
    generated_unkeyed = _raw_unkeyed_events(project) - 1
    assert unkeyed[("events", "missing_id")] == 1 + generated_unkeyed
    assert unkeyed[("campaigns_detailed.campaign_messages", "missing_campaign_message_id")] >= 1
    assert (
        unkeyed[("campaigns_detailed.campaign_messages", "malformed_campaign_messages_json")] >= 1
    )


def _raw_unkeyed_events(project: Project) -> int:
    return project.query(f"select count() from {RAW}.events where id = ''")[0][0]


def _newest(records: list[tuple]) -> dict:
    """Newest version per key from (key, version, extracted_at, *fields) raw rows: {key: fields}."""
    newest = newest_per_key(records, key=itemgetter(0), version=itemgetter(1, 2))
    return {key: row[3:] for key, row in newest.items()}


def _json(text):
    try:
        return json.loads(text, parse_float=Decimal) if text else None
    except ValueError:
        return None


def test_row_accounting(klaviyo):
    """Every raw row is either a version of a curated row or listed as unkeyed."""
    with klaviyo.client() as client:  # one open for all the queries (about a second each)

        def query(sql: str) -> list[tuple]:
            return client.query(sql).result_rows

        for stream, curated in [
            ("events", "events"),
            ("metrics", "metrics"),
            ("campaigns", "campaigns"),
            ("flows", "flows"),
            ("profiles", "profiles"),
            ("lists", "lists"),
        ]:
            raw_ids = [r[0] for r in query(f"select id from {RAW}.{stream}")]
            keyed = {i for i in raw_ids if i != ""}
            curated_ids = [r[0] for r in query(f"select id from {CURATED}.{curated} final")]
            assert sorted(curated_ids) == sorted(keyed), stream
            unkeyed = query(
                f"select count() from {CURATED}.unkeyed_rows where stream = '{stream}'"
            )[0][0]
            assert unkeyed == raw_ids.count(""), stream

        messages: set = set()
        message_unkeyed = 0
        single_unkeyed = 0  # the connector 2.x shape: one campaign_message object
        for campaign_id, text, single in query(
            f"select id, campaign_messages, campaign_message from {RAW}.campaigns_detailed "
            "where id != ''"
        ):
            parsed = _json(text)
            if single not in (None, "", "null"):
                one_message = _json(single)
                if isinstance(one_message, dict) and one_message.get("id"):
                    messages.add((campaign_id, one_message["id"]))
                else:
                    single_unkeyed += 1
            if text is not None and not isinstance(parsed, list):
                message_unkeyed += 1
                continue
            for message in parsed or []:
                if isinstance(message, dict) and message.get("id"):
                    messages.add((campaign_id, message["id"]))
                else:
                    message_unkeyed += 1
        assert (
            set(query(f"select campaign_id, message_id from {CURATED}.campaign_messages final"))
            == messages
        )
        assert (
            query(
                f"select count() from {CURATED}.unkeyed_rows "
                "where stream = 'campaigns_detailed.campaign_messages'",
            )[0][0]
            == message_unkeyed
        )
        assert (
            query(
                f"select count() from {CURATED}.unkeyed_rows "
                "where stream = 'campaigns_detailed.campaign_message'",
            )[0][0]
            == single_unkeyed
        )


def test_campaigns_and_messages(klaviyo):
    project = klaviyo
    campaign = project.one(f"select * from {CURATED}.campaigns final where id = 't-c1'")
    assert (campaign["name"], campaign["status"], campaign["channel"]) == (
        "Spring sale",
        "Sent",
        "email",
    )
    assert campaign["archived"] is False
    assert campaign["included_audience_ids"] == ["t-l1"]
    assert campaign["excluded_audience_ids"] == ["t-s1"]
    assert campaign["adds_utm_parameters"] is True
    assert campaign["utm_parameters"] == {"utm_source": "klaviyo", "utm_campaign": "spring"}
    assert as_utc(campaign["send_time"]) == datetime(2024, 4, 30, 12, 0, tzinfo=UTC)
    messages = {
        r[0]: r[1:]
        for r in project.query(
            "select message_id, label, channel, subject, preview_text, from_email, sms_body "
            f"from {CURATED}.campaign_messages final where campaign_id = 't-c1'",
        )
    }
    assert messages == {
        "t-msg1": ("Spring A", "email", "Hello spring", "Up to 30%", "shop@x.io", None),
        "t-msg2": ("Spring SMS", "sms", None, None, None, "Sale!"),
    }


def test_profiles_and_memberships(klaviyo):
    project = klaviyo
    p1 = project.one(f"select * from {CURATED}.profiles final where id = 't-p1'")
    assert p1["email"] == "alice.smith@example.com"
    assert (p1["external_id"], p1["city"], p1["zip"]) == ("7001", "Lyon", "69001")
    assert p1["email_marketing_consent"] == "SUBSCRIBED"
    assert (p1["historic_clv"], p1["predicted_clv"]) == (Decimal("250.5"), Decimal("80.25"))
    assert p1["churn_probability"] == pytest.approx(0.3)
    assert as_utc(p1["expected_next_order_at"]) == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
    memberships_sql = (
        f"select audience_type, audience_id from {CURATED}.profile_memberships "
        "where profile_id = 't-p1'"
    )
    assert set(project.query(memberships_sql)) == {
        ("list", "t-l1"),
        ("list", "t-l2"),
        ("segment", "t-s1"),
    }
    # The profile leaves list t-l1 and segment t-s1: its next update drops those memberships.
    with project.client() as client:
        insert(client, "profiles", [profile(["t-l2"], [], 60)], SYNC_2)
    assert set(project.query(memberships_sql)) == {("list", "t-l2")}


def _decimal(value) -> Decimal | None:
    """A `$value` as Klaviyo means it: a number or numeric text within Decimal(38, 9)."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < Decimal("1e29") else None


def test_reconciles_with_raw(klaviyo):
    """Events per metric and Placed Order revenue equal a from-scratch Python computation."""
    project = klaviyo
    events = _newest(
        project.query(
            f"select id, datetime, _airbyte_extracted_at, attributes, relationships "
            f"from {RAW}.events where id != ''",
        )
    )
    metric_names = {
        key: (_json(attributes) or {}).get("name")
        for key, (attributes,) in _newest(
            project.query(
                f"select id, updated, _airbyte_extracted_at, attributes from {RAW}.metrics "
                "where id != ''",
            )
        ).items()
    }
    per_metric: Counter = Counter()
    placed_total = Decimal(0)
    for attributes, relationships in events.values():
        metric_id = (((_json(relationships) or {}).get("metric") or {}).get("data") or {}).get("id")
        per_metric[metric_id or None] += 1
        if metric_names.get(metric_id) == "Placed Order":
            properties = (_json(attributes) or {}).get("event_properties") or {}
            placed_total += _decimal(properties.get("$value")) or 0
    assert len(events) > 100, "the generator should have produced events"
    curated = dict(
        project.query(f"select metric_id, count() from {CURATED}.events final group by metric_id")
    )
    assert curated == dict(per_metric)
    curated_total = project.query(
        f"select sum(value) from {CURATED}.events_named where metric_name = 'Placed Order'",
    )[0][0]
    assert curated_total == placed_total
