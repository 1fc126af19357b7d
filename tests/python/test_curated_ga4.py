"""Curated GA4 on the real engine: materialized views fire on raw inserts.

One dbt build for the module. Hand-made raw rows (property `t-prop`) check restated days,
garbage dates, page-path parsing and channel groups; generated sample data is loaded first,
and the reconciliation covers it too. Expected figures come from the raw rows, deduplicated
in Python (newest read per key wins), never from curated.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from operator import itemgetter

import pytest
from helpers import Project, newest_per_key

RAW = "raw_ga4"
CURATED = "data_ga4"
PROPERTY = "t-prop"
SYNC_1 = datetime(2024, 5, 2, 6, 0, tzinfo=UTC)
SYNC_2 = SYNC_1 + timedelta(days=1)
EARLIER = SYNC_1 - timedelta(hours=1)
# Raw key columns (besides property_id) of each report, as in provisioning_flow.sql.
KEYS = {
    "daily_active_users": ["date"],
    "weekly_active_users": ["date"],
    "four_weekly_active_users": ["date"],
    "website_overview": ["date"],
    "devices": ["date", "deviceCategory", "operatingSystem", "browser"],
    "locations": ["region", "country", "city", "date"],
    "traffic_sources": ["date", "sessionSource", "sessionMedium"],
    "pages": ["date", "hostName", "pagePathPlusQueryString"],
    "events_report": ["date", "eventName"],
}


def insert(client, report: str, records: list[dict], extracted_at: datetime) -> None:
    columns = ["_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta", "property_id"]
    names = sorted({name for record in records for name in record})
    client.insert(
        f"{RAW}.{report}",
        [
            [str(uuid.uuid4()), extracted_at, '{"changes": []}', PROPERTY]
            + [record.get(name) for name in names]
            for record in records
        ],
        column_names=columns + names,
    )


def overview(date: str, sessions: int, views: int) -> dict:
    return {
        "date": date,
        "sessions": sessions,
        "screenPageViews": views,
        "totalUsers": sessions - 20,
    }


def traffic(source: str, medium: str, sessions: int, date: str = "20240501") -> dict:
    return {"date": date, "sessionSource": source, "sessionMedium": medium, "sessions": sessions}


def page(path: str, views: int) -> dict:
    return {
        "date": "20240501",
        "hostName": "shop.example.com",
        "pagePathPlusQueryString": path,
        "screenPageViews": views,
    }


# Source/medium pairs and the channel GA4's default channel group gives them (by hand, from
# Google's definitions).
CHANNELS = {
    ("(direct)", "(none)"): "Direct",
    ("google", "organic"): "Organic Search",
    ("google", "cpc"): "Paid Search",
    ("bing", "cpc"): "Paid Search",
    ("duckduckgo.com", "referral"): "Organic Search",
    ("klaviyo", "email"): "Email",
    ("Newsletter", "E-Mail"): "Email",
    ("l.facebook.com", "referral"): "Organic Social",
    ("instagram", "paid_social"): "Paid Social",
    ("tiktok", "cpc"): "Paid Social",
    ("youtube.com", "referral"): "Organic Video",
    ("youtube", "cpv"): "Paid Video",
    ("amazon", "cpc"): "Paid Shopping",
    ("shop.app", "referral"): "Organic Shopping",
    ("criteo", "display"): "Display",
    ("criteo", "retargeting"): "Paid Other",
    ("blog.example.org", "referral"): "Referral",
    ("partnerize", "affiliate"): "Affiliates",
    ("attentive", "sms"): "SMS",
    ("spotify", "audio"): "Audio",
    ("firebase", "notification"): "Mobile Push Notifications",
    ("mystery", "weird"): "Unassigned",
}


@pytest.fixture(scope="module")
def ga4(provisioned: Project) -> Iterator[Project]:
    provisioned.cli("sample", "--scale", "0.05", "--replace")
    with provisioned.client() as client:
        insert(client, "website_overview", [overview("20240430", 90, 250)], SYNC_1)
        insert(client, "website_overview", [overview("20240501", 100, 300)], SYNC_1)
        insert(client, "traffic_sources", [traffic("google", "organic", 50)], SYNC_1)
        insert(
            client,
            "daily_active_users",
            [
                {"date": "20240501", "active1DayUsers": 80},
                {"date": "garbage", "active1DayUsers": 1},
                {"date": "20240230", "active1DayUsers": 2},
            ],
            SYNC_1,
        )
        insert(
            client,
            "pages",
            [
                page("/products/blue-shirt?variant=123&utm_source=ig", 40),
                page("/collections/sale/products/red-hat", 7),
                page("/en-us/products/caf%C3%A9-mug#reviews", 3),
                page("/", 90),
            ],
            SYNC_1,
        )
        insert(
            client,
            "traffic_sources",
            [traffic(source, medium, 1, date="20240601") for source, medium in CHANNELS],
            SYNC_1,
        )
    provisioned.dbt("build", "--select", "path:curated_datasets/data_ga4", "path:seeds")
    # held for the module's tests (Project.held): each opens a client, most of a second apiece
    with provisioned.held():
        yield provisioned


def test_restated_day_holds_latest_figures(ga4):
    """A re-read day replaces its figures; a stale read arriving late does not win."""
    project = ga4
    with project.client() as client:
        insert(client, "website_overview", [overview("20240501", 120, 350)], SYNC_2)
        insert(client, "traffic_sources", [traffic("google", "organic", 60)], SYNC_2)
        insert(client, "website_overview", [overview("20240501", 95, 280)], EARLIER)
    days = project.query(
        "select date_text, sessions, screen_page_views, total_users "
        f"from {CURATED}.website_overview final where property_id = '{PROPERTY}' "
        "order by date_text",
    )
    assert days == [("20240430", 90, 250, 70), ("20240501", 120, 350, 100)]
    organic = project.query(
        f"select sum(sessions) from {CURATED}.traffic_sources final where property_id = "
        f"'{PROPERTY}' and date_text = '20240501'",
    )
    assert organic == [(60,)]


def test_garbage_dates_kept_and_flagged(ga4):
    project = ga4
    found = project.query(
        f"select date_text, date, active_users, _dq_issues from {CURATED}.daily_active_users "
        f"final where property_id = '{PROPERTY}' order by date_text",
    )
    assert [(r[0], r[2], r[3]) for r in found] == [
        ("20240230", 2, ["unparsable_date"]),
        ("20240501", 80, []),
        ("garbage", 1, ["unparsable_date"]),
    ]
    assert [r[1] for r in found] == [None, datetime(2024, 5, 1).date(), None]


def test_page_paths_parsed(ga4):
    project = ga4
    pages = {
        r[0]: r[1:]
        for r in project.query(
            "select page_path_plus_query_string, page_path, query_string, query_parameters, "
            f"product_handle from {CURATED}.pages final where property_id = '{PROPERTY}'",
        )
    }
    assert pages == {
        "/products/blue-shirt?variant=123&utm_source=ig": (
            "/products/blue-shirt",
            "variant=123&utm_source=ig",
            {"variant": "123", "utm_source": "ig"},
            "blue-shirt",
        ),
        "/collections/sale/products/red-hat": (
            "/collections/sale/products/red-hat",
            None,
            {},
            "red-hat",
        ),
        "/en-us/products/caf%C3%A9-mug#reviews": (
            "/en-us/products/caf%C3%A9-mug",
            None,
            {},
            "café-mug",
        ),
        "/": ("/", None, {}, None),
    }


def test_default_channel_groups(ga4):
    project = ga4
    found = {
        (source, medium): channel
        for source, medium, channel in project.query(
            "select session_source, session_medium, default_channel_group "
            f"from {CURATED}.traffic_source_channels "
            f"where property_id = '{PROPERTY}' and date_text = '20240601'",
        )
    }
    assert found == CHANNELS


def test_channel_rules_apply_when_read(ga4):
    """A rule added to the seed table re-labels existing rows without touching curated data."""
    project = ga4
    with project.client() as client:
        seed = client.query(
            "select database from system.tables where name = 'ga4_default_channel_groups'"
        ).result_rows[0][0]
        client.command(
            f"insert into {seed}.ga4_default_channel_groups values "
            "(5, 'Partner Program', 'all', '^partnerize$', '.*')"
        )
    relabelled = project.query(
        f"select default_channel_group from {CURATED}.traffic_source_channels "
        f"where property_id = '{PROPERTY}' and session_source = 'partnerize'",
    )
    assert relabelled == [("Partner Program",)]


def _newest_raw(project: Project, report: str, metrics: list[str]) -> dict:
    """Newest read per raw key: {(property_id, *key): {metric: value}}."""
    keys = ["property_id", *KEYS[report]]
    newest = newest_per_key(
        project.query(
            f"select {', '.join(keys + metrics)}, _airbyte_extracted_at from {RAW}.{report}"
        ),
        key=lambda row: tuple(row[: len(keys)]),
        version=itemgetter(-1),  # _airbyte_extracted_at
    )
    return {
        key: dict(zip(metrics, row[len(keys) : -1], strict=True)) for key, row in newest.items()
    }


def test_row_accounting(ga4):
    """Every distinct raw key is exactly one curated row: nothing lost, nothing doubled."""
    with ga4.client() as client:  # one open for all the queries (about a second each)
        for report, keys in KEYS.items():
            raw_keys = client.query(
                f"select count(distinct property_id, {', '.join(keys)}) from {RAW}.{report}"
            ).result_rows
            curated = client.query(f"select count() from {CURATED}.{report} final").result_rows
            assert curated == raw_keys, report


def test_reconciles_with_raw(ga4):
    """Sessions and page views per day equal a from-scratch Python computation on raw."""
    project = ga4
    for report, metrics in [
        ("website_overview", ["sessions", "screenPageViews"]),
        ("traffic_sources", ["sessions", "screenPageViews"]),
        ("pages", ["screenPageViews"]),
    ]:
        width = len(metrics)
        expected: dict = defaultdict(lambda width=width: [0] * width)
        for key, values in _newest_raw(project, report, metrics).items():
            day = (key[0], key[KEYS[report].index("date") + 1])
            for i, metric in enumerate(metrics):
                expected[day][i] += values[metric] or 0
        columns = ", ".join(
            f"sum(ifNull({'screen_page_views' if m == 'screenPageViews' else m}, 0))"
            for m in metrics
        )
        curated = {
            (r[0], r[1]): list(r[2:])
            for r in project.query(
                f"select property_id, date_text, {columns} from {CURATED}.{report} final "
                "group by property_id, date_text",
            )
        }
        assert curated == dict(expected), report
    generated_days = project.query(
        f"select count() from {CURATED}.website_overview final where property_id != '{PROPERTY}'",
    )[0][0]
    assert generated_days > 10
