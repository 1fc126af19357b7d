"""GA4 reports (Google Analytics Data API): one row per date and dimension combination,
derived from what GA4 received of the sample's site (the sessions and events behind the
BigQuery export, ga4_export.traffic) by GA4's definitions, for the property's dates (the
shop's time zone) the export covers. So the two GA4 sources agree: sessions, users, new users,
engaged sessions and page views per day and dimension are the export's (exact counts: real
GA4 estimates sessions and users with HyperLogLog++).

- sessions: distinct sessions with an event that day (a session that crosses midnight counts
  on both days), under the session's source / medium, device and location;
- users (totalUsers, active users): distinct clients (user_pseudo_id) with an event that day,
  or in the 7 and 28 days up to it; new users: first sessions (first_visit) started that day;
- engaged sessions (1 - bounceRate): longer than 10 seconds, 2+ page views, or a purchase;
- page views: page_view events that day, per page path and query string;
- events, their users and purchase revenue per event name; units viewed, added to cart and
  bought and item revenue per item name.

Sync k reads the last 2 days, so a date arrives first with provisional figures (the day just
ended: GA4 has processed 80-95% of it, each count rounded down) and again, restated with the
final figures, one sync later. The day in progress is not read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from ecom_analytics.sample_data.common import (
    DAY_MS,
    HISTORY_DAYS,
    SHOP_OFFSET_MS,
    Writer,
    decimal,
    rng_for,
    strings,
)
from ecom_analytics.sample_data.world import CITIES, World

if TYPE_CHECKING:
    from ecom_analytics.sample_data.ga4_export.traffic import Traffic

PROPERTY_ID = "properties/354187726"
DEVICES = [
    ("desktop", "Windows", "Chrome", 0.22),
    ("desktop", "Macintosh", "Safari", 0.1),
    ("desktop", "Macintosh", "Chrome", 0.08),
    ("desktop", "Windows", "Edge", 0.05),
    ("desktop", "Linux", "Firefox", 0.02),
    ("mobile", "iOS", "Safari", 0.28),
    ("mobile", "Android", "Chrome", 0.15),
    ("mobile", "iOS", "Chrome", 0.04),
    ("mobile", "Android", "Samsung Internet", 0.03),
    ("tablet", "iOS", "Safari", 0.03),
]
SOURCES = [
    ("google", "organic", 0.28),
    ("(direct)", "(none)", 0.2),
    ("google", "cpc", 0.15),
    ("facebook", "paid_social", 0.1),
    ("klaviyo", "email", 0.12),
    ("instagram.com", "referral", 0.05),
    ("bing", "organic", 0.03),
    ("l.facebook.com", "referral", 0.03),
    ("tiktok", "paid_social", 0.02),
    ("chatgpt.com", "referral", 0.02),
]
FIRST_READ = (0.8, 0.95)  # the share of a day GA4 has processed when it is first read


class _Rows:
    """Report rows keyed by (day, dimensions), each metric counted from its own input rows."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, np.ndarray, list, np.ndarray | None, tuple | None]] = []

    def add(self, metric, day, dims, weight=None, distinct=None) -> None:
        """Count `metric` per key from rows on `day` with dimension values `dims`: a sum of
        `weight` (default 1 per row), or distinct ids (ids, each id's weight or None)."""
        self.parts.append((metric, np.asarray(day, np.int64), list(dims), weight, distinct))

    def result(self) -> tuple[np.ndarray, list[np.ndarray], dict[str, np.ndarray]]:
        """(day, dimension values, {metric: int64 counts}) per key, sorted by key."""
        day = np.concatenate([part[1] for part in self.parts])
        key = day - day.min()
        dims = []
        for i in range(len(self.parts[0][2])):
            values = pa.concat_arrays([_text(part[2][i]) for part in self.parts])
            encoded = values.dictionary_encode()  # by hashing, not sorting
            key = key * len(encoded.dictionary) + encoded.indices.to_numpy()
            dims.append(values)
        keys, first, group = np.unique(key, return_index=True, return_inverse=True)
        counts = {}
        start = 0
        for metric, part_day, _, weight, distinct in self.parts:
            rows = group[start : start + len(part_day)]
            start += len(part_day)
            if distinct is not None:
                ids, id_weight = distinct
                width = int(ids.max()) + 1
                pairs = np.unique(rows.astype(np.int64) * width + ids)
                weights = None if id_weight is None else id_weight[pairs % width]
                found = np.bincount(pairs // width, weights, len(keys))
            else:
                found = np.bincount(rows, weight, len(keys))
            counts[metric] = counts.get(metric, 0) + np.round(found).astype(np.int64)
        taken = pa.array(first)
        return day[first], [values.take(taken).to_numpy(False) for values in dims], counts


def _text(values) -> pa.Array:
    """Strings as an Arrow array (numpy object arrays are converted)."""
    return values if isinstance(values, pa.Array) else pa.array(values, pa.string())


def _rate(numerator: np.ndarray, denominator: np.ndarray) -> pa.Array:
    """numerator / denominator as an exact Decimal(38, 9) (9 decimal places, rounded)."""
    units = np.round(numerator * 1e9 / np.maximum(denominator, 1)).astype(np.int64)
    return decimal(units, 9)


def _write(
    writer: Writer,
    table: str,
    day: np.ndarray,
    dims: dict[str, np.ndarray],
    counts: dict[str, np.ndarray],
    metrics,
    rng: np.random.Generator,
) -> None:
    """Both reads of every row of a day that has ended: provisional (the first sync after the
    day ends), then final (the sync after). `day` counts days since the epoch in the property's
    time zone; `metrics(counts)` gives the report's columns from the counts."""
    ended = (day + 1) * DAY_MS - SHOP_OFFSET_MS  # the day's end, UTC
    read = ended < writer.clock.now_ms
    day, ended = day[read], ended[read]
    counts = {name: values[read] for name, values in counts.items()}
    share = rng.uniform(*FIRST_READ, len(day))
    first = {name: np.floor(values * share).astype(np.int64) for name, values in counts.items()}
    restated = writer.clock.sync_of(ended) < HISTORY_DAYS
    final = metrics(counts)
    provisional = metrics(first)
    both_days = np.concatenate([day, day[restated]])
    dates = both_days.astype("datetime64[D]").astype(str)
    columns = {
        "property_id": strings(np.full(len(both_days), PROPERTY_ID, object)),
        "date": strings(np.char.replace(dates, "-", "")),
    }
    for name, values in dims.items():
        columns[name] = strings(np.concatenate([values[read], values[read][restated]]))
    for name in final:
        columns[name] = pa.concat_arrays(
            [provisional[name], final[name].filter(pa.array(restated))]
        )
    changed = np.concatenate([ended, ended[restated]])  # read by the next sync ...
    delay = np.concatenate([np.zeros(len(day), int), np.ones(int(restated.sum()), int)])
    writer.write("ga4", table, columns, changed, delay_sync=delay)  # ... restated by the one after


def _traffic_metrics(counts: dict[str, np.ndarray]) -> dict[str, pa.Array]:
    """The usual traffic metrics from the counts of _session_rows."""
    sessions, users, views = counts["sessions"], counts["totalUsers"], counts["screenPageViews"]
    return {
        "totalUsers": pa.array(users),
        "newUsers": pa.array(counts["newUsers"]),
        "sessions": pa.array(sessions),
        "sessionsPerUser": _rate(sessions, users),
        "averageSessionDuration": _rate(counts["duration_ms"] / 1000, sessions),
        "screenPageViews": pa.array(views),
        "screenPageViewsPerSession": _rate(views, sessions),
        "bounceRate": _rate(np.maximum(sessions - counts["engaged"], 0), sessions),
    }


def _local_day(ms: np.ndarray) -> np.ndarray:
    return (np.asarray(ms, np.int64) + SHOP_OFFSET_MS) // DAY_MS


def write_reports(writer: Writer, world: World, traffic: Traffic) -> None:
    """Every report, derived from `traffic` (so their order is part of the output)."""
    from ecom_analytics.sample_data.ga4_export import pages as p

    rng = rng_for(world.seed, "ga4")
    t = traffic
    known = np.flatnonzero(t.known)
    start, end = _local_day(t.start_ms[known]), _local_day(t.end_ms[known])
    # a session counts on each day it has events: the day it started and the day it ended
    later = np.flatnonzero(end != start)
    session_day = np.concatenate([start, end[later]])
    session = np.concatenate([known, known[later]])
    event_day = _local_day(t.time_ms)
    _write_active_users(writer, rng, t.client[session], session_day)
    devices = np.array(DEVICES, object)[:, :3]
    cities = np.array(CITIES, object)[:, :3]
    views = np.flatnonzero(t.name == p.PAGE_VIEW)
    for table, names, values in (
        ("website_overview", [], []),
        ("devices", ["deviceCategory", "operatingSystem", "browser"], devices[t.device].T),
        ("traffic_sources", ["sessionSource", "sessionMedium"], [t.source, t.medium]),
        ("locations", ["city", "region", "country"], cities[t.city].T),
    ):
        rows = _Rows()
        dims = [np.asarray(v, object) for v in values]
        per_day = [v[session] for v in dims]
        rows.add("sessions", session_day, per_day)
        rows.add("engaged", session_day, per_day, t.engaged[session])
        rows.add("duration_ms", session_day, per_day, (t.end_ms - t.start_ms)[session])
        rows.add("totalUsers", session_day, per_day, distinct=(t.client[session], None))
        rows.add("newUsers", start, [v[known] for v in dims], t.new[known])
        rows.add("screenPageViews", event_day[views], [v[t.session[views]] for v in dims])
        day, found, counts = rows.result()
        found_dims = dict(zip(names, found, strict=True))
        _write(writer, table, day, found_dims, counts, _traffic_metrics, rng)
    _write_pages(writer, world, rng, t, event_day, views)
    _write_events(writer, rng, t, event_day)
    _write_items(writer, rng, t, event_day)


def _write_active_users(
    writer: Writer, rng: np.random.Generator, client: np.ndarray, day: np.ndarray
) -> None:
    """Active users over 1, 7 and 28 days: the distinct clients with an event on a day of the
    window (every client of the sample is active: each session has engagement time)."""
    first, last = day.min(), day.max()
    width = last - first + 1
    pairs = np.unique(client.astype(np.int64) * width + day - first)  # by client, then day
    client, day = pairs // width, pairs % width + first
    following = np.append(np.where(client[1:] == client[:-1], day[1:], last + 1), last + 1)
    dates = np.unique(day)
    for table, column, window in (
        ("daily_active_users", "active1DayUsers", 1),
        ("weekly_active_users", "active7DayUsers", 7),
        ("four_weekly_active_users", "active28DayUsers", 28),
    ):
        # a client is active from each day it came until its next visit or the window's end
        change = np.zeros(last - first + 2, np.int64)
        np.add.at(change, day - first, 1)
        np.add.at(change, np.minimum(following, day + window) - first, -1)
        active = np.cumsum(change)[dates - first]
        _write(
            writer,
            table,
            dates,
            {},
            {column: active},
            lambda counts, column=column: {column: pa.array(counts[column])},
            rng,
        )


def _write_pages(writer, world, rng, t, event_day, views) -> None:
    """Page views per page path and query string, and the bounce rate of the sessions that
    viewed the page that day."""
    rows = _Rows()
    page = [t.page.take(pa.array(views))]
    rows.add("views", event_day[views], page)
    rows.add("sessions", event_day[views], page, distinct=(t.session[views], None))
    rows.add("engaged", event_day[views], page, distinct=(t.session[views], t.engaged))
    day, (page,), counts = rows.result()
    _write(
        writer,
        "pages",
        day,
        {"hostName": np.full(len(day), world.host, object), "pagePathPlusQueryString": page},
        counts,
        lambda c: {
            "screenPageViews": pa.array(c["views"]),
            "bounceRate": _rate(np.maximum(c["sessions"] - c["engaged"], 0), c["sessions"]),
        },
        rng,
    )


def _write_events(writer, rng, t, event_day) -> None:
    """Events per name and date, the clients who sent them; purchases carry their revenue."""
    from ecom_analytics.sample_data.ga4_export.pages import NAMES

    name = pa.array(NAMES).take(pa.array(t.name))
    rows = _Rows()
    rows.add("eventCount", event_day, [name])
    rows.add("totalUsers", event_day, [name], distinct=(t.client[t.session], None))
    rows.add("revenue_cents", event_day, [name], t.revenue_cents)
    day, (event,), counts = rows.result()
    _write(
        writer,
        "events_report",
        day,
        {"eventName": event},
        counts,
        lambda c: {
            "eventCount": pa.array(c["eventCount"]),
            "totalUsers": pa.array(c["totalUsers"]),
            "eventCountPerUser": _rate(c["eventCount"], c["totalUsers"]),
            "totalRevenue": decimal(c["revenue_cents"], 2),
        },
        rng,
    )


def _write_items(writer, rng, t, event_day) -> None:
    """E-commerce purchases per item name and date: units viewed (view_item), added to cart,
    bought, and the revenue of the units bought."""
    from ecom_analytics.sample_data.ga4_export import pages as p

    kind = t.name[t.item_event]
    counted = np.flatnonzero(np.isin(kind, [p.VIEW_ITEM, p.ADD_TO_CART, p.PURCHASE]))
    kind, day = kind[counted], event_day[t.item_event[counted]]
    item = [t.item_name.take(pa.array(counted))]
    quantity = t.quantity[counted]
    rows = _Rows()
    rows.add("itemsViewed", day, item, np.where(kind == p.VIEW_ITEM, quantity, 0))
    rows.add("itemsAddedToCart", day, item, np.where(kind == p.ADD_TO_CART, quantity, 0))
    rows.add("itemsPurchased", day, item, np.where(kind == p.PURCHASE, quantity, 0))
    revenue = np.where(kind == p.PURCHASE, t.item_revenue_cents[counted], 0)
    rows.add("itemRevenue", day, item, revenue)
    day, (name,), counts = rows.result()
    _write(
        writer,
        "ecommerce_purchases_item_name_report",
        day,
        {"itemName": name},
        counts,
        lambda c: {
            "itemsViewed": pa.array(c["itemsViewed"]),
            "itemsAddedToCart": pa.array(c["itemsAddedToCart"]),
            "itemsPurchased": pa.array(c["itemsPurchased"]),
            "itemRevenue": decimal(c["itemRevenue"], 2),
        },
        rng,
    )
