"""The curated Klaviyo tests' hand-made raw records (ids prefixed `t-`): events good and bad,
a campaign with its messages, a profile, metrics, lists and a flow, in the JSON:API shape of
Airbyte's Klaviyo streams."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from helpers.raw import insert_klaviyo

RAW = "raw_klaviyo"
CURATED = "data_klaviyo"
SYNC_1 = datetime(2024, 5, 2, 6, 0, tzinfo=UTC)
SYNC_2 = SYNC_1 + timedelta(hours=6)
DAY = datetime(2024, 5, 1, tzinfo=UTC)


def as_utc(value: datetime) -> datetime:
    """The engine returns DateTime64(3, 'UTC') values as naive datetimes in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def insert(
    client, stream: str, records: list[dict], extracted_at: datetime, extra: dict | None = None
) -> None:
    insert_klaviyo(client, stream, records, extracted_at, extra, database=RAW)


def event(
    event_id: str,
    metric_id: str,
    properties: dict,
    minute: int,
    profile_id: str = "t-p1",
    attributions: list[str] = (),
) -> dict:
    return {
        "id": event_id,
        "cursor": DAY + timedelta(minutes=minute),
        "attributes": {
            "timestamp": int((DAY + timedelta(minutes=minute)).timestamp()),
            "datetime": (DAY + timedelta(minutes=minute)).isoformat(),
            "uuid": str(uuid.uuid4()),
            "event_properties": properties,
        },
        "relationships": {
            "profile": {"data": {"type": "profile", "id": profile_id}},
            "metric": {"data": {"type": "metric", "id": metric_id}},
            "attributions": {"data": [{"type": "attribution", "id": a} for a in attributions]},
        },
    }


def with_attributes(record: dict, **changes) -> dict:
    return {**record, "attributes": {**record["attributes"], **changes}}


def named(record_id: str, name: str, minute: int = 0, **attributes) -> dict:
    return {
        "id": record_id,
        "cursor": DAY + timedelta(minutes=minute),
        "attributes": {"name": name, "created": "2024-01-01T00:00:00+00:00", **attributes},
    }


def profile(lists: list[str], segments: list[str], minute: int) -> dict:
    return {
        "id": "t-p1",
        "cursor": DAY + timedelta(minutes=minute),
        "attributes": {
            "email": "  Alice.Smith@Example.COM ",
            "external_id": 7001,
            "first_name": "Alice",
            "location": {"city": "Lyon", "country": "France", "zip": 69001},
            "subscriptions": {"email": {"marketing": {"consent": "SUBSCRIBED"}}},
            "predictive_analytics": {
                "historic_clv": 250.5,
                "predicted_clv": "80.25",
                "churn_probability": 0.3,
                "expected_date_of_next_order": "2024-06-01T10:00:00+02:00",
            },
        },
        "relationships": {
            "lists": {"data": [{"type": "list", "id": i} for i in lists]},
            "segments": {"data": [{"type": "segment", "id": i} for i in segments]},
        },
    }


PLACED = "t-m-placed"
OPENED = "t-m-opened"
GOOD_EVENTS = [
    event(
        "t-e1",
        PLACED,
        {"$value": 100.50, "OrderId": 5001, "$attributed_message": "t-msg1", "$event_id": "5001"},
        1,
        attributions=["t-att1"],
    ),
    event("t-e2", PLACED, {"$value": "19.99", "order_id": "5002"}, 2),
    event("t-e3", OPENED, {"$message": "t-msg1", "$flow": "t-f1"}, 3),
]
BAD_EVENTS = [
    {**event("t-bad-json", OPENED, {}, 4), "attributes": '{"event_properties": {'},
    # Absent and malformed are told apart: empty text is absent, valid JSON of the wrong
    # type (an array where an object belongs) is malformed.
    {**event("t-bad-empty-attributes", OPENED, {}, 9), "attributes": ""},
    {**event("t-bad-array-attributes", OPENED, {}, 10), "attributes": "[1]"},
    event("t-bad-text-value", PLACED, {"$value": "abc"}, 5),
    event("t-bad-huge-value", PLACED, {"$value": 1e40}, 6),
    with_attributes(event("t-bad-datetime", OPENED, {}, 8), datetime="yesterday 25:61"),
    event("", PLACED, {"$value": 1}, 7),
]
CAMPAIGN = named(
    "t-c1",
    "Spring sale",
    status="Sent",
    channel="email",
    archived=False,
    audiences={"included": ["t-l1"], "excluded": ["t-s1"]},
    tracking_options={
        "add_tracking_params": True,
        "utm_params": [
            {"name": "utm_source", "value": "klaviyo"},
            {"name": "utm_campaign", "value": "spring"},
        ],
    },
    send_time="2024-04-30T08:00:00-04:00",
)
MESSAGES = [
    {
        "type": "campaign-message",
        "id": "t-msg1",
        "attributes": {
            "label": "Spring A",
            "channel": "email",
            "content": {
                "subject": "Hello spring",
                "preview_text": "Up to 30%",
                "from_email": "shop@x.io",
            },
        },
    },
    {
        "type": "campaign-message",
        "id": "t-msg2",
        "attributes": {
            "definition": {"channel": "sms", "label": "Spring SMS", "content": {"body": "Sale!"}}
        },
    },
    {"type": "campaign-message", "attributes": {"label": "no id"}},
]
