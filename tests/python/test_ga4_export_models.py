"""GA4 export curated and analytics models on hand-made business cases: events delivered the
way the export delivers them (an intraday file, then the daily table; a day re-exported; one
event three times, the intraday file loaded last), a session crossing midnight, a session of
one page view and 12 s of engagement, attribution, bad rows. Expected figures are worked out
by hand from the rows (helpers/ga4_export.py), never from the models; the Airbyte layout,
loaded with the same deliveries, must give the same curated rows.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from ecom_analytics.refresh import refresh_analytics
from helpers import Project, rows
from helpers.ga4_export import (
    A2_SID,
    A_SID,
    B_SID,
    C_SID,
    D_SID,
    DELIVERIES,
    EVENTS,
    PROPERTY,
    STREAM,
    at,
    deliver,
    event,
)
from helpers.ga4_sessions import export_events, page_views, sessions

CURATED = ("ga4__events", "ga4__event_items")
# with the incremental states and change logs behind them
ANALYTICS = ("+ga4_sessions", "ga4_daily_sessions", "+ga4_page_engagement")


def build(project: Project, layout: str, models: tuple[str, ...]) -> Project:
    """The models built on an empty export, then each delivery inserted and the analytics
    refreshed after it: the incremental states see every delivery apart (session A's events
    after midnight a day later, A2 after A). No overlap, so a refresh never recomputes the
    previous delivery's sessions again, which would hide one the change log failed to name."""
    project.vars = {"ga4_export_layout": layout, "analytics_incremental_overlap_seconds": 0}
    project.cli("--vars", json.dumps(project.vars), "provision")
    project.dbt("seed")
    project.dbt("run", "-s", *models)
    with project.client() as client:
        for delivered, export_type, loaded_at in DELIVERIES:
            deliver(client, delivered, layout, export_type, loaded_at)
            refresh_analytics(client)
    return project


@pytest.fixture(scope="module")
def export(project: Project) -> Project:
    return build(project, "parquet", CURATED + ANALYTICS)


def query(project: Project, sql: str) -> list[dict]:
    with project.client() as client:
        return rows(client, sql)


def session(project: Project, client: str, session_id: int) -> dict:
    found = query(
        project,
        f"select * from analytics_ga4.ga4_sessions where session_key = '{key(client, session_id)}'",
    )
    assert len(found) == 1, found
    return found[0]


def key(client: str, session_id: int | None = None) -> str:
    """dbt-ga4's keys: base64(md5(user_pseudo_id || stream_id)), then of that || ga_session_id."""
    client_key = base64.b64encode(hashlib.md5((client + STREAM).encode()).digest()).decode()
    if session_id is None:
        return client_key
    return base64.b64encode(hashlib.md5((client_key + str(session_id)).encode()).digest()).decode()


def test_every_delivery_of_an_event_is_one_curated_row(export):
    raw = query(export, "select count() as n from raw_ga4_export.events")[0]["n"]
    assert raw == sum(len(delivered) for delivered, _, _ in DELIVERIES) == 30
    curated = query(export, "select event_name, export_type from data_ga4.events final")
    assert len(curated) == len(EVENTS) == 18
    # the daily table wins, also over the intraday file of D loaded after it
    assert {row["export_type"] for row in curated} == {"daily"}


def test_events_sharing_a_timestamp_stay_apart(export):
    found = query(
        export,
        f"select event_name from data_ga4.events final where session_key = '{key('a.1', A_SID)}' "
        "and event_at = '2024-05-01 23:55:00' order by batch_event_index",
    )
    assert [row["event_name"] for row in found] == ["session_start", "first_visit", "page_view"]


def test_keys_are_computed_as_dbt_ga4_computes_them(export):
    found = query(
        export,
        "select distinct user_pseudo_id, ga_session_id, client_key, session_key "
        "from data_ga4.events final where ga_session_id is not null",
    )
    assert len(found) == 5
    for row in found:
        assert row["client_key"] == key(row["user_pseudo_id"])
        assert row["session_key"] == key(row["user_pseudo_id"], row["ga_session_id"])


def test_a_session_crossing_midnight_is_one_session_on_its_first_day(export):
    found = session(export, "a.1", A_SID)
    assert found["session_date"] == date(2024, 5, 1)
    assert str(found["session_start_at"]) == "2024-05-01 23:55:00"
    assert str(found["session_end_at"]) == "2024-05-02 00:03:30"
    assert (found["landing_page_path"], found["exit_page_path"]) == ("/", "/products/tee")
    assert (found["page_views"], found["events"], found["engagement_time_seconds"]) == (2, 5, 9.0)
    assert found["is_engaged"] and found["is_new_user"]
    assert (found["session_source"], found["session_medium"]) == ("google", "organic")
    assert found["default_channel_group"] == "Organic Search"
    assert (found["device_category"], found["country"]) == ("desktop", "Germany")


def test_one_page_view_and_12_seconds_of_engagement_is_engaged(export):
    found = session(export, "b.1", B_SID)
    assert (found["page_views"], found["engagement_time_seconds"], found["is_engaged"]) == (
        1,
        12.0,
        True,
    )
    assert not found["is_new_user"]
    assert (found["device_category"], found["default_channel_group"]) == ("mobile", "Direct")


def test_a_short_direct_visit_is_not_engaged_and_has_no_earlier_source(export):
    found = session(export, "c.1", C_SID)
    assert (found["page_views"], found["engagement_time_seconds"], found["is_engaged"]) == (
        1,
        3.0,
        False,
    )
    assert (found["session_source"], found["session_medium"], found["session_campaign"]) == (
        "(direct)",
        "(none)",
        "(direct)",
    )
    assert (found["last_non_direct_source"], found["last_non_direct_channel_group"]) == (
        "(direct)",
        "Direct",
    )


def test_the_last_click_record_wins_over_the_event_source(export):
    found = session(export, "d.1", D_SID)
    assert (found["session_source"], found["session_medium"], found["session_campaign"]) == (
        "klaviyo",
        "email",
        "spring",
    )
    assert found["default_channel_group"] == "Email"
    assert (found["purchases"], found["key_events"], found["purchase_revenue"]) == (
        1,
        1,
        Decimal("59.9"),
    )
    assert found["is_engaged"] and found["user_id"] == "cust-42"


def test_a_direct_session_inherits_the_last_non_direct_source_within_the_lookback(export):
    found = session(export, "a.1", A2_SID)
    assert (found["session_source"], found["default_channel_group"]) == ("(direct)", "Direct")
    assert (found["last_non_direct_source"], found["last_non_direct_medium"]) == (
        "google",
        "organic",
    )
    assert found["last_non_direct_channel_group"] == "Organic Search"
    assert not found["is_new_user"] and not found["is_engaged"]


def test_bad_rows_are_kept_flagged_and_in_no_session(export):
    found = query(
        export,
        "select user_pseudo_id, session_key, _dq_issues from data_ga4.events final "
        "where user_pseudo_id in ('e.1', 'e.2') order by user_pseudo_id",
    )
    assert [(row["session_key"], row["_dq_issues"]) for row in found] == [
        (None, ["missing_ga_session_id"]),
        (None, ["missing_event_timestamp", "unparsable_event_date", "missing_ga_session_id"]),
    ]
    clean = query(export, "select count() as n from data_ga4.events final where empty(_dq_issues)")
    assert clean[0]["n"] == 16
    assert query(export, "select count() as n from analytics_ga4.ga4_sessions")[0]["n"] == 5


def test_daily_sessions(export):
    found = query(
        export,
        "select * except (source_relation, property_id) from analytics_ga4.ga4_daily_sessions "
        "order by session_date, default_channel_group, device_category",
    )
    columns = (
        "sessions",
        "engaged_sessions",
        "users",
        "new_users",
        "page_views",
        "key_events",
        "purchases",
    )
    assert [
        (
            str(row["session_date"]),
            row["default_channel_group"],
            row["device_category"],
            *(row[c] for c in columns),
            row["purchase_revenue"],
        )
        for row in found
    ] == [
        ("2024-05-01", "Direct", "desktop", 1, 0, 1, 1, 1, 0, 0, Decimal(0)),  # C
        ("2024-05-01", "Direct", "mobile", 1, 1, 1, 0, 1, 0, 0, Decimal(0)),  # B
        ("2024-05-01", "Email", "desktop", 1, 1, 1, 0, 1, 1, 1, Decimal("59.9")),  # D
        ("2024-05-01", "Organic Search", "desktop", 1, 1, 1, 1, 2, 0, 0, Decimal(0)),  # A
        ("2024-05-04", "Direct", "desktop", 1, 0, 1, 0, 1, 0, 0, Decimal(0)),  # A2
    ]


def test_page_engagement(export):
    found = query(
        export, "select * from analytics_ga4.ga4_page_engagement order by activity_date, page_path"
    )
    assert [
        (
            str(row["activity_date"]),
            row["page_path"],
            row["page_views"],
            row["users"],
            row["entrances"],
            row["exits"],
            row["engagement_time_seconds"],
            row["product_handle"],
        )
        for row in found
    ] == [
        # A lands here (its session leaves elsewhere); E's page view counts, in no session
        ("2024-05-01", "/", 2, 2, 1, 0, 0.0, None),
        ("2024-05-01", "/collections/all", 1, 1, 1, 1, 12.0, None),
        ("2024-05-01", "/pages/about", 1, 1, 1, 1, 3.0, None),
        # D lands and buys here; A leaves from here after midnight, counted on its session's day
        ("2024-05-01", "/products/tee", 1, 1, 1, 2, 0.0, "tee"),
        ("2024-05-02", "/products/tee", 1, 1, 0, 0, 9.0, "tee"),
        ("2024-05-04", "/", 1, 1, 1, 1, 0.0, None),
    ]


def test_event_items(export):
    found = query(export, "select * from data_ga4.event_items final")
    assert [
        (
            row["event_name"],
            row["item_position"],
            row["item_id"],
            row["price"],
            row["quantity"],
            row["item_list_index"],
            row["transaction_id"],
            row["session_key"],
            row["_dq_issues"],
        )
        for row in found
    ] == [("purchase", 1, "SKU-TEE", Decimal("27.5"), 2, 1, "1001", key("d.1", D_SID), [])]


@pytest.fixture(scope="module")
def airbyte_export(tmp_path_factory) -> Project:
    return build(Project(tmp_path_factory.mktemp("airbyte")), "airbyte", CURATED)


def test_the_airbyte_layout_gives_the_same_curated_rows(export, airbyte_export):
    for model in ("events", "event_items"):
        sql = (
            f"select * except (property_id, _loaded_at, _version) from data_ga4.{model} final "
            "order by event_key" + (", item_position" if model == "event_items" else "")
        )
        assert query(airbyte_export, sql) == query(export, sql), model
    assert {
        row["property_id"] for row in query(export, "select property_id from data_ga4.events")
    } == {PROPERTY}


def test_airbyte_json_that_cannot_be_read_is_kept_and_flagged(airbyte_export):
    row = event("purchase", at(6, 9), "f.1", 1714986000, "/products/tee")
    row.update(
        event_params='[{"key": "ga_session_id", "value": {"int_val',  # cut short: not JSON
        items=[{"item_id": "SKU-TEE", "price": "abc", "item_list_index": "first"}],
    )
    with airbyte_export.client() as client:
        deliver(client, [row], "airbyte", "daily", at(7, 6))  # the raw insert succeeds
    [event_row] = query(
        airbyte_export, "select * from data_ga4.events final where user_pseudo_id = 'f.1'"
    )
    [item_row] = query(
        airbyte_export,
        f"select * from data_ga4.event_items final where event_key = '{event_row['event_key']}'",
    )
    assert event_row["_dq_issues"] == [
        "malformed_event_params",
        "missing_ga_session_id",
        "unparsable_item_price",
    ]
    assert (item_row["price"], item_row["item_list_index"], item_row["item_list_index_text"]) == (
        None,
        None,
        "first",
    )
    assert item_row["_dq_issues"][-2:] == ["unparsable_item_price", "unparsable_item_list_index"]


def test_the_python_recomputation_agrees_on_the_hand_made_cases(export):
    """The reconciliation with the sample (test_ga4_export_reconcile) recomputes GA4's
    definitions in Python (helpers/ga4_sessions.py): here it meets the hand-worked figures."""
    with export.client() as client:
        events = export_events(client)
    assert len(events) == len(EVENTS)
    expected = Counter(
        (s["session_date"], s["default_channel_group"], s["is_engaged"], s["landing_page_path"])
        for s in sessions(events)
    )
    found = query(
        export,
        "select session_date, default_channel_group, is_engaged, landing_page_path "
        "from analytics_ga4.ga4_sessions",
    )
    assert Counter(tuple(row.values()) for row in found) == expected
    assert sum(expected.values()) == 5
    found = query(
        export,
        "select activity_date, page_path, page_views from analytics_ga4.ga4_page_engagement",
    )
    assert {(r["activity_date"], r["page_path"]): r["page_views"] for r in found} == page_views(
        events
    )


def test_refreshes_after_each_delivery_equal_a_full_recompute(export):
    """The sessions and the day models, refreshed after each delivery, equal a full recompute
    of the same events (`refresh --full` empties the states and recomputes every session)."""
    tables = [f"analytics_ga4.{model.lstrip('+')}" for model in ANALYTICS]

    def every_row(client) -> dict[str, list]:
        return {
            table: sorted(client.query(f"select * from {table}").result_rows, key=repr)
            for table in tables
        }

    with export.client() as client:
        found = every_row(client)
        refresh_analytics(client, full=True)
        reference = every_row(client)
    assert all(reference.values()), reference
    assert found == reference
