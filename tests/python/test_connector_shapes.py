"""Real connector output: records in the shapes Airbyte's Shopify, Klaviyo and GA4 connectors
really emit (their own test records: Shopify 3.0.3, Klaviyo 2.14.8, GA4 Data API), inserted as
the ClickHouse destination does (JSON lines, best-effort date-times, unknown fields skipped),
come out parsed right in the curated tables.

Expected values are written by hand from the records.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest
from helpers import insert_json_rows, one, rows

AIRBYTE = {
    "_airbyte_raw_id": "shape",
    "_airbyte_extracted_at": "2024-03-11 00:00:00",
    "_airbyte_meta": '{"changes":[]}',
    "_airbyte_generation_id": 1,
}

# A Shopify-like order id above every one the sample generator gives (it counts up from
# 5,600,000,000,000), so the record stands alone in the built sample it is inserted into.
ORDER_ID = 5_690_000_000_001

# campaigns_detailed, connector 2.x: one `campaign_message` object, no array
MESSAGE_ID = "01HTDA5JFKGMQ7E0R9X2CTCH7N"
CAMPAIGN_MESSAGE = {
    "type": "campaign-message",
    "id": MESSAGE_ID,
    "attributes": {
        "label": "Spring launch",
        "channel": "email",
        "content": {
            "subject": "Spring is here",
            "preview_text": "New arrivals",
            "from_email": "hello@example.com",
            "from_label": "Example",
        },
        "send_times": [{"datetime": "2024-03-05T14:00:00+00:00", "is_local": False}],
        "created_at": "2024-03-01T10:00:00+00:00",
        "updated_at": "2024-03-04T10:00:00+00:00",
        "campaign_id": "01HTD9ZQ3A0CAMPAIGN0000001",
    },
}
CAMPAIGN_ATTRIBUTES = {
    "name": "Spring launch",
    "status": "Sent",
    "archived": False,
    "channel": "email",
    "message": MESSAGE_ID,  # the campaigns stream names its message here
    "send_time": "2024-03-05T14:00:00+00:00",
    "created_at": "2024-03-01T10:00:00+00:00",
    "updated_at": "2024-03-05T15:00:00+00:00",
}


def record(**fields) -> dict:
    return {
        **AIRBYTE,
        **{k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in fields.items()},
    }


# What each raw table receives, in the shapes the connectors emit.
RECORDS = {
    "raw_klaviyo.campaigns": [
        record(
            type="campaign",
            id="01HTD9ZQ3A0CAMPAIGN0000001",
            updated_at="2024-03-05T15:00:00+00:00",
            attributes=CAMPAIGN_ATTRIBUTES,
            relationships={},
            links={},
        )
    ],
    "raw_klaviyo.campaigns_detailed": [
        record(
            type="campaign",
            id="01HTD9ZQ3A0CAMPAIGN0000001",
            updated_at="2024-03-05T15:00:00+00:00",
            attributes=CAMPAIGN_ATTRIBUTES,
            relationships={},
            links={},
            campaign_message=CAMPAIGN_MESSAGE,
        )
    ],
    "raw_klaviyo.events": [
        # the events stream: properties may hold only $event_id, the metric only in
        # relationships, datetime with an offset, timestamp in epoch seconds
        record(
            type="event",
            id="4vRpBT5gRBn",
            datetime="2021-05-17 23:43:28+00:00",
            attributes={
                "timestamp": 1621295008,
                "event_properties": {"$event_id": "1621295008"},
                "datetime": "2021-05-17 23:43:28+00:00",
                "uuid": "ae3e7600-b76b-11eb-8001-28f0ef6f3d5a",
            },
            relationships={
                "profile": {"data": {"type": "profile", "id": "01F5YBDQE9W7WDSH9KK398CAYX"}},
                "metric": {"data": {"type": "metric", "id": "VFaYVy"}},
            },
        ),
        # a campaign event: `$message` is the campaign-message id, Campaign Name beside it
        record(
            type="event",
            id="5aQpXT7hRCo",
            datetime="2024-03-05 14:03:00+00:00",
            attributes={
                "timestamp": 1709647380,
                "event_properties": {
                    "$message": MESSAGE_ID,
                    "Campaign Name": "Spring launch",
                },
                "datetime": "2024-03-05 14:03:00+00:00",
            },
            relationships={"metric": {"data": {"type": "metric", "id": "RcvEml"}}},
        ),
    ],
    "raw_shopify.orders": [
        # REST stream: money as numbers, shop offsets across a daylight-saving change,
        # no customer
        record(
            id=ORDER_ID,
            name="#1001",
            email="guest@example.com",
            created_at="2024-03-10T01:30:00-08:00",
            updated_at="2024-03-10T03:30:00-07:00",
            processed_at="2024-03-10T01:30:00-08:00",
            currency="USD",
            presentment_currency="USD",
            total_price=102.0,
            subtotal_price=90.0,
            total_tax=7.0,
            total_discounts=0.0,
            total_line_items_price="90.00",
            total_price_set={
                "shop_money": {"amount": 102.0, "currency_code": "USD"},
                "presentment_money": {"amount": 102.0, "currency_code": "USD"},
            },
            line_items=[
                {"id": 1, "quantity": 2, "price": "45.00", "product_id": 7, "variant_id": 8}
            ],
            customer=None,
            test=False,
        ),
    ],
    "raw_shopify.transactions": [
        record(
            id=9100000000001,
            order_id=ORDER_ID,
            kind="refund",
            status="success",
            currency="USD",
            amount="57.23",
            test=False,
            created_at="2024-03-12T10:00:00Z",
        )
    ],
    "raw_ga4.daily_active_users": [
        record(property_id="354187726", date="20240115", active1DayUsers=42)
    ],
}


@pytest.fixture(scope="module")
def loaded(standard):
    """The built standard sample, then the connector records above, inserted as Airbyte's
    destination inserts them: the materialized views must parse each on arrival."""
    with standard.client() as client:
        for table, records in RECORDS.items():
            insert_json_rows(client, table, records)
    # held for the module's tests (Project.held): each opens a client, most of a second apiece
    with standard.held():
        yield standard


def test_the_single_campaign_message_object_is_a_curated_message_of_its_campaign(loaded):
    with loaded.client() as client:
        found = one(
            client,
            "select campaign_id, label, channel, subject, from_label, _dq_issues "
            f"from data_klaviyo.campaign_messages final where message_id = '{MESSAGE_ID}'",
        )
    assert found == {
        "campaign_id": "01HTD9ZQ3A0CAMPAIGN0000001",
        "label": "Spring launch",
        "channel": "email",
        "subject": "Spring is here",
        "from_label": "Example",
        "_dq_issues": [],
    }


def test_the_campaigns_stream_names_its_message(loaded):
    with loaded.client() as client:
        found = one(
            client,
            "select message_id from data_klaviyo.campaigns final "
            "where id = '01HTD9ZQ3A0CAMPAIGN0000001'",
        )
    assert found == {"message_id": MESSAGE_ID}


def test_an_event_with_only_an_event_id_and_a_relationship_metric_parses(loaded):
    with loaded.client() as client:
        found = one(
            client,
            "select metric_id, profile_id, occurred_at, source_event_id, _dq_issues "
            "from data_klaviyo.events final where id = '4vRpBT5gRBn'",
        )
    assert found["metric_id"] == "VFaYVy"
    assert found["profile_id"] == "01F5YBDQE9W7WDSH9KK398CAYX"
    assert found["occurred_at"].replace(tzinfo=None) == datetime(2021, 5, 17, 23, 43, 28)
    assert found["source_event_id"] == "1621295008"
    assert found["_dq_issues"] == []


def test_a_campaign_event_ties_to_its_campaign(loaded):
    with loaded.client() as client:
        found = rows(
            client,
            "select campaigns.id as campaign_id from data_klaviyo.events as events final "
            "inner join data_klaviyo.campaign_messages as messages final "
            "on events.message_id = messages.message_id "
            "inner join data_klaviyo.campaigns as campaigns final "
            "on messages.campaign_id = campaigns.id and messages.message_id = campaigns.message_id "
            "where events.id = '5aQpXT7hRCo'",
        )
    assert found == [{"campaign_id": "01HTD9ZQ3A0CAMPAIGN0000001"}]


def test_shop_offsets_across_daylight_saving_become_utc_and_money_numbers_parse(loaded):
    with loaded.client() as client:
        found = one(
            client,
            "select created_at, updated_at, total_price, total_line_items_price, customer_id, "
            f"is_test from data_shopify.orders final where order_id = {ORDER_ID}",
        )
    assert found["created_at"].replace(tzinfo=None) == datetime(2024, 3, 10, 9, 30)  # -08:00
    assert found["updated_at"].replace(tzinfo=None) == datetime(2024, 3, 10, 10, 30)  # -07:00
    assert found["total_price"] == Decimal("102")
    assert found["total_line_items_price"] == Decimal("90")  # arrived as text
    assert found["customer_id"] is None
    assert found["is_test"] is False


def test_a_refund_amount_sent_as_text_parses(loaded):
    with loaded.client() as client:
        found = one(
            client,
            "select amount, currency from data_shopify.transactions final "
            "where transaction_id = 9100000000001",
        )
    assert found == {"amount": Decimal("57.23"), "currency": "USD"}


def test_ga4_text_property_and_yyyymmdd_date_parse(loaded):
    with loaded.client() as client:
        found = rows(
            client,
            "select * except (_loaded_at) from data_ga4.daily_active_users final "
            "where date_text = '20240115'",
        )
    assert len(found) == 1
    assert found[0]["property_id"] == "354187726"
    assert str(found[0]["date"]) == "2024-01-15"
    assert 42 in found[0].values()
