"""GA4's definitions in Python, for reconciling models with raw: the default channel group by
the seed's rules, and sessions, engagement, landing pages and page views recomputed from the
raw export rows (deduplicated here, never read from the curated models)."""

from __future__ import annotations

import csv
import functools
import json
import re
from collections import Counter
from datetime import date, datetime
from urllib.parse import urlsplit

from ecom_analytics import PROJECT_DIR

from helpers.raw import newest_per_key, rows

CHANNEL_RULES = PROJECT_DIR / "seeds" / "ga4_default_channel_groups.csv"
RANK = {"daily": 3, "fresh": 2, "intraday": 1}
KEY_EVENTS = {"purchase"}  # the var ga4_key_events of dbt_project.yml
# What tells two events apart (the export has no event id), and what orders a session's events.
IDENTITY = ("stream_id", "user_pseudo_id", "event_timestamp", "event_name", "batch_page_id",
            "batch_ordering_id", "batch_event_index", "identity")  # fmt: skip
ORDER = ("event_timestamp", "batch_page_id", "batch_ordering_id", "batch_event_index")


@functools.cache
def channel_rules() -> list[dict]:
    """The seed's channel rules, first by priority (read once)."""
    with CHANNEL_RULES.open() as f:
        return sorted(csv.DictReader(f), key=lambda r: int(r["priority"]))


def channel_group(source: str, medium: str) -> str:
    """GA4's default channel group of a source and medium, by the seed's rules, in Python."""
    for rule in channel_rules():
        source_ok = re.search(rule["source_pattern"], source.lower()) is not None
        medium_ok = re.search(rule["medium_pattern"], medium.lower()) is not None
        if (source_ok or medium_ok) if rule["match_mode"] == "any" else (source_ok and medium_ok):
            return rule["channel_group"]
    return "Unassigned"


def export_events(client, database: str = "raw_ga4_export", columns: str = "") -> list[dict]:
    """The raw export's events (Parquet layout), one per event: deliveries deduplicated by the
    export's identity fields, the daily table's over the intraday's, then the newest load.
    `columns`: more raw columns to read (a select list starting with a comma)."""
    raw = rows(
        client,
        "select event_date, event_timestamp, event_name, user_pseudo_id, stream_id, "
        "batch_page_id, batch_ordering_id, batch_event_index, export_type, _loaded_at, "
        "toJSONString(event_params) as params_json, device.category as device_category, "
        "session_traffic_source_last_click.manual_campaign.source as last_click_source, "
        "session_traffic_source_last_click.manual_campaign.medium as last_click_medium "
        f"{columns} from {database}.events",
    )
    for row in raw:
        params = json.loads(row.pop("params_json"))
        row["params"] = {p["key"]: p["value"] for p in reversed(params)}  # the first key wins
        row["identity"] = json.dumps(sorted(params, key=lambda p: p["key"] or ""), sort_keys=True)
    return list(
        newest_per_key(
            raw,
            key=lambda r: tuple(r[c] for c in IDENTITY),
            version=lambda r: (RANK.get(r["export_type"], 0), r["_loaded_at"]),
        ).values()
    )


def param(event: dict, key: str) -> str | int | float | None:
    value = event["params"].get(key) or {}
    found = [value.get(v) for v in ("string_value", "int_value", "double_value", "float_value")]
    return next((v for v in found if v is not None), None)


def page_path(event: dict) -> str | None:
    location = param(event, "page_location")
    return urlsplit(str(location)).path or None if location else None


def event_day(event: dict) -> date | None:
    try:
        return datetime.strptime(event["event_date"] or "", "%Y%m%d").date()
    except ValueError:
        return None


def sessions(events: list[dict]) -> list[dict]:
    """One dict per session (client, stream and ga_session_id): its key, events (in order),
    day, landing page, page views, whether GA4 calls it engaged, its channel group and the
    device category of its first event."""
    grouped: dict[tuple, list[dict]] = {}
    for event in events:
        if None not in (param(event, "ga_session_id"), event["user_pseudo_id"], event["stream_id"]):
            key = (event["user_pseudo_id"], event["stream_id"], param(event, "ga_session_id"))
            grouped.setdefault(key, []).append(event)
    found = []
    for key, session_events in grouped.items():
        session_events.sort(key=lambda e: tuple(e[c] or 0 for c in ORDER))
        views = [e for e in session_events if e["event_name"] == "page_view"]
        seconds = sum(int(param(e, "engagement_time_msec") or 0) for e in session_events) / 1000
        key_events = sum(e["event_name"] in KEY_EVENTS for e in session_events)
        flagged = any(str(param(e, "session_engaged")) == "1" for e in session_events)
        last_click = [e for e in session_events if e["last_click_source"]]  # not empty
        sourced = [e for e in session_events if (param(e, "source") or "") not in ("", "(direct)")]
        if last_click:
            source, medium = last_click[0]["last_click_source"], last_click[0]["last_click_medium"]
        elif sourced:
            source, medium = str(param(sourced[0], "source")).lower(), param(sourced[0], "medium")
            medium = str(medium).lower() if medium is not None else "(not set)"
        else:
            source, medium = "(direct)", "(none)"
        found.append(
            {
                "key": key,
                "events": session_events,
                "session_date": event_day(session_events[0]),
                "landing_page_path": page_path(views[0]) if views else None,
                "page_views": len(views),
                "is_engaged": seconds > 10 or len(views) >= 2 or key_events > 0 or flagged,
                "default_channel_group": channel_group(source or "(direct)", medium or "(none)"),
                "device_category": session_events[0]["device_category"] or "(not set)",
            }
        )
    return found


def page_views(events: list[dict]) -> Counter:
    """page_view events per (event day, page path)."""
    return Counter(
        (event_day(e), page_path(e))
        for e in events
        if e["event_name"] == "page_view" and event_day(e) and page_path(e)
    )
