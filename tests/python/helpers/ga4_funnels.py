"""The GA4 funnel, item-list and cart-abandonment figures recomputed in Python from the raw
export rows (helpers/ga4_sessions.py deduplicates and sessionizes them; nothing is read from
the models): the definitions the docs give, written again independently of the SQL."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from decimal import Decimal

from helpers.ga4_sessions import ORDER, event_day, export_events, sessions

STEPS = ("view_item", "add_to_cart", "begin_checkout", "add_payment_info", "purchase")
ITEM_MEASURES = {
    "view_item_list": "list_impressions",
    "select_item": "list_clicks",
    "view_item": "item_views",
    "add_to_cart": "add_to_carts",
    "begin_checkout": "checkouts",
}
RECOVERY_MICROS = 7 * 86_400 * 1_000_000  # the var checkout_recovery_days of dbt_project.yml
COLUMNS = (
    ", property_id, toJSONString(items) as items_json, ecommerce.transaction_id as transaction_id"
)


def commerce_events(client) -> list[dict]:
    """The raw export's events, deduplicated, each with its items (prices as exact decimals),
    its order, its session (None without ga_session_id) and `counted`: false for a purchase
    whose transaction_id an earlier purchase event of the property sent (a repeat)."""
    events = export_events(client, columns=COLUMNS)
    for event in events:
        event["items"] = json.loads(event.pop("items_json") or "[]", parse_float=Decimal)
        event["order"] = tuple(event[c] or 0 for c in ORDER)
        event["session"] = None
    for found in sessions(events):
        for event in found["events"]:
            event["session"] = found
    first: dict[tuple, dict] = {}
    for event in sorted(events, key=lambda e: e["order"]):
        event["counted"] = True
        if event["event_name"] == "purchase" and event["transaction_id"] is not None:
            key = (event["property_id"], event["transaction_id"])
            event["counted"] = key not in first
            first.setdefault(key, event)
    return events


def unit(event: dict) -> object:
    """What a rate counts: the event's session, or the event itself when it has none."""
    return event["session"]["key"] if event["session"] else id(event)


def quantity(item: dict) -> int:
    return 1 if item.get("quantity") is None else item["quantity"]


def value(item: dict) -> Decimal:
    """price × quantity, 0 without a price."""
    return Decimal(item.get("price") or 0) * quantity(item)


def list_index(item: dict) -> int | None:
    text = item.get("item_list_index")
    return int(text) if text is not None and re.fullmatch(r"-?\d+", text) else None


def _share(part: int, base: int) -> float | None:
    return None if base == 0 else part / base


def item_funnel(events: list[dict]) -> dict[tuple, dict]:
    """ga4_item_funnel_daily by (property, day, item_id, item_name)."""
    units: dict[tuple, dict] = defaultdict(lambda: defaultdict(set))
    rows: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    for event in events:
        day, name = event_day(event), event["event_name"]
        if day is None or not event["counted"] or name not in (*ITEM_MEASURES, "purchase"):
            continue
        for item in event["items"]:
            key = (
                event["property_id"],
                day,
                item.get("item_id") or "(not set)",
                item.get("item_name") or "(not set)",
            )
            row = rows[key]
            if name != "purchase":
                row[ITEM_MEASURES[name]] += 1
            units[key][name].add(unit(event))
            if name == "purchase":
                units[key]["purchase_events"].add(id(event))
                if event["transaction_id"] is None:
                    units[key]["untracked_events"].add(id(event))
                row["units_purchased"] += quantity(item)
                revenue = item.get("item_revenue")
                row["item_revenue"] += value(item) if revenue is None else Decimal(revenue)
    for key, row in rows.items():
        seen = units[key]
        row["purchases"] = len(seen["purchase_events"])
        row["purchases_without_transaction_id"] = len(seen["untracked_events"])
        listed, viewed, carted = seen["view_item_list"], seen["view_item"], seen["add_to_cart"]
        row["list_ctr"] = _share(len(listed & seen["select_item"]), len(listed))
        row["view_to_cart_rate"] = _share(len(viewed & carted), len(viewed))
        row["cart_to_purchase_rate"] = _share(len(carted & seen["purchase"]), len(carted))
        row["view_to_purchase_rate"] = _share(len(viewed & seen["purchase"]), len(viewed))
    return {key: dict(row) for key, row in rows.items()}


def reached_steps(session_events: list[dict]) -> tuple[set[str], int]:
    """The funnel steps a session's events reach at all (open), and how many steps it goes
    through in order (closed): each step's event strictly after the one of the step before."""
    counted = [e for e in session_events if e["counted"]]
    reached, last = 0, None
    for event in sorted(counted, key=lambda e: e["order"]):
        if reached < len(STEPS) and event["event_name"] == STEPS[reached]:
            if last is None or event["order"] > last:
                reached, last = reached + 1, event["order"]
    return {e["event_name"] for e in counted} & set(STEPS), reached


def _daily_sessions(events: list[dict]) -> dict[tuple, list[dict]]:
    """The sessions with a day by (property, day, channel group, device category)."""
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    found = {id(e["session"]): e["session"] for e in events if e["session"]}
    for session in found.values():
        if session["session_date"] is not None:
            first = session["events"][0]
            grouped[
                (
                    first["property_id"],
                    session["session_date"],
                    session["default_channel_group"],
                    session["device_category"],
                )
            ].append(session)
    return grouped


def session_funnel(events: list[dict]) -> dict[tuple, dict]:
    """ga4_session_funnel_daily by (property, day, channel group, device category): sessions,
    then each step's sessions open and closed."""
    found = {}
    for key, day_sessions in _daily_sessions(events).items():
        row = {"sessions": len(day_sessions)}
        for step in STEPS:
            row[f"{step}_sessions_open"] = row[f"{step}_sessions_closed"] = 0
        for session in day_sessions:
            opened, closed = reached_steps(session["events"])
            for rank, step in enumerate(STEPS):
                row[f"{step}_sessions_open"] += step in opened
                row[f"{step}_sessions_closed"] += closed > rank
        found[key] = row
    return found


def item_lists(events: list[dict]) -> dict[tuple, dict]:
    """ga4_item_list_performance by (property, day, list name, list index): impressions,
    clicks, ctr, and the add-to-carts and purchases credited to the position."""
    rows: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    units: dict[tuple, dict] = defaultdict(lambda: defaultdict(set))
    first_select: dict[tuple, tuple] = {}
    for event in sorted(events, key=lambda e: e["order"]):
        name, day = event["event_name"], event_day(event)
        if name not in ("view_item_list", "select_item") or day is None:
            continue
        for item in event["items"]:
            key = (
                event["property_id"],
                day,
                item.get("item_list_name") or "(not set)",
                list_index(item),
            )
            measure = "impressions" if name == "view_item_list" else "clicks"
            rows[key][measure] += 1
            units[key][name].add(unit(event))
            if name == "select_item":
                item_key = (event["property_id"], unit(event), item.get("item_id") or "(not set)")
                first_select.setdefault(item_key, (event["order"], key))
    for event in events:
        if event["event_name"] not in ("add_to_cart", "purchase") or not event["counted"]:
            continue
        for item in event["items"]:
            item_key = (event["property_id"], unit(event), item.get("item_id") or "(not set)")
            if item_key in first_select and event["order"] > first_select[item_key][0]:
                measure = "add_to_carts" if event["event_name"] == "add_to_cart" else "purchases"
                rows[first_select[item_key][1]][measure] += 1
    for key, row in rows.items():
        shown = units[key]["view_item_list"]
        row["ctr"] = _share(len(shown & units[key]["select_item"]), len(shown))
    return {key: dict(row) for key, row in rows.items()}


def cart_value(session_events: list[dict]) -> Decimal:
    """Σ price × quantity of the session's add_to_cart items, else of its last
    begin_checkout's items."""
    added = [i for e in session_events if e["event_name"] == "add_to_cart" for i in e["items"]]
    if added:
        return sum((value(i) for i in added), Decimal(0))
    checkouts = [e for e in session_events if e["event_name"] == "begin_checkout"]
    last = max(checkouts, key=lambda e: e["order"])
    return sum((value(i) for i in last["items"]), Decimal(0))


def cart_abandonment(events: list[dict]) -> dict[tuple, dict]:
    """ga4_cart_abandonment_daily's GA4 figures by (property, day, channel group, device)."""
    purchases: dict[tuple, list[int]] = defaultdict(list)
    for event in events:
        if event["event_name"] == "purchase" and event["counted"]:
            if event["user_pseudo_id"] and event["stream_id"] and event["event_timestamp"]:
                client = (event["property_id"], event["user_pseudo_id"], event["stream_id"])
                purchases[client].append(event["event_timestamp"])
    found = {}
    for key, day_sessions in _daily_sessions(events).items():
        row = dict.fromkeys(("cart_sessions", "abandoned_sessions", "recovered_sessions"), 0)
        row.update(sessions=len(day_sessions), abandoned_cart_value=Decimal(0))
        for session in day_sessions:
            counted = [e for e in session["events"] if e["counted"]]
            names = {e["event_name"] for e in counted}
            if not names & {"add_to_cart", "begin_checkout"}:
                continue
            row["cart_sessions"] += 1
            if "purchase" in names:
                continue
            row["abandoned_sessions"] += 1
            row["abandoned_cart_value"] += cart_value(counted)
            first = session["events"][0]
            start = min(e["event_timestamp"] for e in session["events"] if e["event_timestamp"])
            client = (first["property_id"], first["user_pseudo_id"], first["stream_id"])
            row["recovered_sessions"] += any(
                start <= at < start + RECOVERY_MICROS for at in purchases[client]
            )
        row["abandonment_rate"] = _share(row["abandoned_sessions"], row["cart_sessions"])
        row["recovery_rate"] = _share(row["recovered_sessions"], row["abandoned_sessions"])
        found[key] = row
    return found
