"""GA4 BigQuery export rows made by hand, in Google's export shape, and their delivery into the
raw table `events` in either layout: the Parquet layout's typed columns (records as objects,
JSONEachRow fills the named Tuples), or the Airbyte layout's JSON text. Then the hand-made
business cases, as data, and the order they are delivered in."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from helpers.raw import insert_json_rows

STREAM = "s1"
PROPERTY = "p1"
HOST = "https://shop.example.com"
RECORDS = (
    "event_params",
    "items",
    "device",
    "geo",
    "ecommerce",
    "session_traffic_source_last_click",
)


def micros(at: datetime) -> int:
    return round(at.timestamp() * 1_000_000)


def event(
    name: str,
    at: datetime,
    client: str,
    session_id: int | None,
    page: str | None = None,
    batch: tuple[int, int, int] = (1, 1, 1),
    **params: str | int,
) -> dict:
    """One export row: its params (ga_session_id first, page_location from `page`, then
    `params`: strings as string_value, ints as int_value), a desktop in Germany by default."""
    values = {"ga_session_id": session_id, "page_location": page and HOST + page, **params}
    return {
        "event_date": at.strftime("%Y%m%d"),
        "event_timestamp": micros(at),
        "event_name": name,
        "event_params": [
            {"key": key, "value": {"int_value" if isinstance(v, int) else "string_value": v}}
            for key, v in values.items()
            if v is not None
        ],
        "user_pseudo_id": client,
        "stream_id": STREAM,
        "platform": "WEB",
        "device": {"category": "desktop", "operating_system": "Windows"},
        "geo": {"country": "Germany", "city": "Berlin"},
        "batch_page_id": batch[0],
        "batch_ordering_id": batch[1],
        "batch_event_index": batch[2],
    }


def deliver(
    client,
    rows: list[dict],
    layout: str,
    export_type: str,
    loaded_at: datetime,
    database: str = "raw_ga4_export",
) -> None:
    """Insert one delivery (a file of the daily, intraday or fresh table) in the layout given.
    `is_active_user` is set in daily tables only, as Google's export does. In the Airbyte
    layout records become JSON text; a record given as text is taken as it is."""
    active = {"is_active_user": True} if export_type == "daily" else {}
    if layout == "parquet":
        load = {"property_id": PROPERTY, "export_type": export_type, "_loaded_at": loaded_at}
        insert_json_rows(client, f"{database}.events", [{**row, **active, **load} for row in rows])
        return
    insert_json_rows(
        client,
        f"{database}.events",
        [
            {
                "_airbyte_raw_id": str(uuid.uuid4()),
                "_airbyte_extracted_at": loaded_at,
                "_airbyte_meta": '{"changes": []}',
                **{
                    k: json.dumps(v) if k in RECORDS and not isinstance(v, str) else v
                    for k, v in row.items()
                },
                **active,
            }
            for row in rows
        ],
    )


def at(day: int, hour: int, minute: int = 0, second: float = 0) -> datetime:
    """An instant of May 2024, UTC."""
    whole = int(second)
    return datetime(2024, 5, day, hour, minute, whole, round((second - whole) * 1e6), tzinfo=UTC)


# The business cases of test_ga4_export_models, worked out by hand there.
A_SID, A2_SID, B_SID, C_SID, D_SID = 1714607700, 1714820400, 1714550400, 1714557600, 1714568400
LAST_CLICK = {
    "manual_campaign": {"source": "klaviyo", "medium": "email", "campaign_name": "spring"}
}
PURCHASE = {
    "transaction_id": "1001",
    "purchase_revenue": 59.9,
    "shipping_value": 4.9,
    "tax_value": 9.56,
}
TEE = {
    "item_id": "SKU-TEE",
    "item_name": "Tee",
    "price": 27.5,
    "quantity": 2,
    "item_list_index": "1",
}

# A: new client, lands on / at 23:55 from google / organic, goes on after midnight.
A = [
    event("session_start", at(1, 23, 55), "a.1", A_SID, "/", (1, 1, 1), ga_session_number=1),
    event("first_visit", at(1, 23, 55), "a.1", A_SID, "/", (1, 1, 2), ga_session_number=1),
    event(
        "page_view",
        at(1, 23, 55),
        "a.1",
        A_SID,
        "/",
        (1, 1, 3),
        ga_session_number=1,
        source="Google",
        medium="organic",
        entrances=1,
    ),
]
A_AFTER_MIDNIGHT = [
    event(
        "page_view",
        at(2, 0, 3),
        "a.1",
        A_SID,
        "/products/tee",
        (2, 1, 1),
        ga_session_number=1,
        engagement_time_msec=4000,
    ),
    event(
        "user_engagement",
        at(2, 0, 3, 30),
        "a.1",
        A_SID,
        "/products/tee",
        (2, 2, 1),
        ga_session_number=1,
        engagement_time_msec=5000,
    ),
]
# A2: the same client three days later, direct.
A2 = [
    event("session_start", at(4, 11), "a.1", A2_SID, "/", ga_session_number=2),
    event("page_view", at(4, 11, 0, 1), "a.1", A2_SID, "/", ga_session_number=2),
]
# B: one page view and 12 s of engagement, on a phone; intraday first, then the daily table.
B = [
    event("session_start", at(1, 8), "b.1", B_SID, "/collections/all", ga_session_number=3),
    event("page_view", at(1, 8, 0, 0.5), "b.1", B_SID, "/collections/all", ga_session_number=3),
    event(
        "user_engagement",
        at(1, 8, 0, 12),
        "b.1",
        B_SID,
        "/collections/all",
        ga_session_number=3,
        engagement_time_msec=12000,
    ),
]
for row in B:
    row["device"] = {"category": "mobile", "operating_system": "iOS"}
# C: a new client's short direct visit; its day is exported twice.
C = [
    event("session_start", at(1, 10), "c.1", C_SID, "/pages/about", ga_session_number=1),
    event("page_view", at(1, 10, 0, 1), "c.1", C_SID, "/pages/about", ga_session_number=1),
    event(
        "user_engagement",
        at(1, 10, 0, 4),
        "c.1",
        C_SID,
        "/pages/about",
        ga_session_number=1,
        engagement_time_msec=3000,
    ),
]
# D: lands from a facebook referral, GA4's last click says klaviyo email; buys two tees.
D = [
    event("session_start", at(1, 13), "d.1", D_SID, "/products/tee", ga_session_number=5),
    event(
        "page_view",
        at(1, 13, 0, 2),
        "d.1",
        D_SID,
        "/products/tee",
        ga_session_number=5,
        source="facebook",
        medium="referral",
    ),
    event("purchase", at(1, 13, 5), "d.1", D_SID, "/products/tee", ga_session_number=5),
]
D[2].update(user_id="cust-42", ecommerce=PURCHASE, items=[TEE])
for row in D:
    row["session_traffic_source_last_click"] = LAST_CLICK
# E: no ga_session_id; no timestamp and a garbage date.
E = [
    event("page_view", at(1, 14), "e.1", None, "/"),
    event("page_view", at(1, 14), "e.2", None, "/"),
]
E[1].update(event_timestamp=None, event_date="garbage")

DELIVERIES = [  # (rows, export table, loaded at), in insertion order
    (B, "intraday", at(1, 12)),
    (A + B + C + D + E, "daily", at(2, 6)),
    (A_AFTER_MIDNIGHT, "daily", at(3, 6)),
    (C + D, "daily", at(3, 7)),  # 20240501 re-exported
    (D, "intraday", at(3, 12)),  # a late intraday file, loaded after the daily table
    (A2, "daily", at(5, 6)),
]
EVENTS = A + A_AFTER_MIDNIGHT + A2 + B + C + D + E
