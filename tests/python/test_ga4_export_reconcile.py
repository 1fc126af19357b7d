"""GA4 export models against the generated sample: sessions, engaged sessions, landing pages,
channel groups and page views recomputed in Python from the raw export rows
(helpers/ga4_sessions.py: deduplicated and sessionized in Python, never read from the models)
equal the models; delivering a day again, as a re-export and as a late intraday file, changes
no curated or analytics figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from ecom_analytics.refresh import refresh_analytics
from helpers import Project, rows
from helpers.ga4_sessions import export_events, page_views, sessions

MODELS = {
    "data_ga4.events": "* except (_loaded_at, _version)",
    "data_ga4.event_items": "* except (_loaded_at, _version)",
    "analytics_ga4.ga4_sessions": "*",
    "analytics_ga4.ga4_daily_sessions": "*",
    "analytics_ga4.ga4_page_engagement": "*",
}


@pytest.fixture(scope="module")
def sample(standard: Project) -> Iterator[Project]:
    with standard.client() as client:
        refresh_analytics(client)
        raw = rows(client, "select count() as n from raw_ga4_export.events")[0]["n"]
    if raw == 0:
        pytest.fail("the standard sample holds no GA4 export events")
    # held for the module's tests (Project.held): each opens a client, most of a second apiece
    with standard.held():
        yield standard


@pytest.fixture(scope="module")
def recomputed(sample: Project) -> tuple[list[dict], list[dict]]:
    with sample.client() as client:
        events = export_events(client)
    return events, sessions(events)


def query(project: Project, sql: str) -> list[dict]:
    with project.client() as client:
        return rows(client, sql)


def test_sessions_and_engaged_sessions_per_day_and_channel_match_raw(sample, recomputed):
    _, found_sessions = recomputed
    expected = Counter()
    for s in found_sessions:
        if s["session_date"] is not None:
            expected[(s["session_date"], s["default_channel_group"], "sessions")] += 1
            expected[(s["session_date"], s["default_channel_group"], "engaged")] += s["is_engaged"]
    found = Counter()
    for row in query(
        sample,
        "select session_date, default_channel_group, sum(sessions) as sessions, "
        "sum(engaged_sessions) as engaged from analytics_ga4.ga4_daily_sessions "
        "group by session_date, default_channel_group",
    ):
        found[(row["session_date"], row["default_channel_group"], "sessions")] = row["sessions"]
        found[(row["session_date"], row["default_channel_group"], "engaged")] = row["engaged"]
    assert +found == +expected
    assert sum(v for (_, _, kind), v in expected.items() if kind == "sessions") > 1000
    assert len({channel for _, channel, _ in expected}) >= 4


def test_landing_pages_match_raw(sample, recomputed):
    _, found_sessions = recomputed
    expected = Counter(
        (s["session_date"], s["landing_page_path"]) for s in found_sessions if s["session_date"]
    )
    found = query(
        sample,
        "select session_date, landing_page_path, count() as n from analytics_ga4.ga4_sessions "
        "where session_date is not null group by session_date, landing_page_path",
    )
    assert {(r["session_date"], r["landing_page_path"]): r["n"] for r in found} == dict(expected)


def test_page_views_per_day_and_path_match_raw(sample, recomputed):
    events, _ = recomputed
    found = query(
        sample,
        "select activity_date, page_path, page_views from analytics_ga4.ga4_page_engagement "
        "where page_views > 0",
    )
    assert {(r["activity_date"], r["page_path"]): r["page_views"] for r in found} == dict(
        page_views(events)
    )


def snapshot(client) -> dict[str, list]:
    refresh_analytics(client)
    found = {}
    for model, columns in MODELS.items():
        final = " final" if model.startswith("data_") else ""
        result = client.query(f"select {columns} from {model}{final}").result_rows
        found[model] = sorted(result, key=repr)
    return found


def test_a_day_delivered_again_changes_no_figure(sample):
    with sample.client() as client:
        before = snapshot(client)
        newest = rows(
            client,
            "select event_date as day, max(_loaded_at) as loaded_at from raw_ga4_export.events "
            "where export_type = 'daily' group by event_date order by event_date desc limit 1",
        )[0]
        # its newest daily delivery again: as a re-export, then as a late intraday file
        for export_type in ("daily", "intraday"):
            client.command(
                "insert into raw_ga4_export.events select * replace "
                f"('{export_type}' as export_type, now64(3) as _loaded_at) "
                "from raw_ga4_export.events where export_type = 'daily' "
                f"and event_date = '{newest['day']}' and _loaded_at = %(loaded_at)s",
                parameters={"loaded_at": newest["loaded_at"]},
            )
        after = snapshot(client)
    assert before == after
    assert len(before["data_ga4.events"]) > 1000
