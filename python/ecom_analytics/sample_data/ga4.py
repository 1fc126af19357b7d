"""GA4 reports (Google Analytics Data API): one row per date and dimension combination.

Sync k reads the last 2 days, so a date arrives first with provisional figures (the day just
ended) and again, restated with final figures, one sync later.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ecom_analytics.sample_data.common import (
    DAY_MS,
    HISTORY_DAYS,
    HOUR_MS,
    Writer,
    decimal,
    rng_for,
    strings,
)
from ecom_analytics.sample_data.world import CITIES, World

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
EVENTS = [
    ("session_start", 1.0),
    ("page_view", 3.4),
    ("user_engagement", 2.1),
    ("first_visit", 0.55),
    ("scroll", 1.2),
    ("view_item", 1.1),
    ("view_item_list", 0.8),
    ("add_to_cart", 0.12),
    ("begin_checkout", 0.05),
    ("add_payment_info", 0.03),
    ("purchase", 0.02),
    ("click", 0.3),
]
CONVERSION_RATE = 0.02


def _daily_sessions(world: World, rng: np.random.Generator) -> np.ndarray:
    """Sessions per date: orders per day / conversion rate, growing, with a weekly rhythm."""
    day = np.arange(HISTORY_DAYS)
    growth = 1.25 * ((day + 0.5) / HISTORY_DAYS) ** 0.25  # matches the order density
    weekday = 1 + 0.15 * np.sin(2 * np.pi * day / 7)
    orders_per_day = world.sizes.orders / HISTORY_DAYS
    return np.maximum(
        20,
        orders_per_day / CONVERSION_RATE * growth * weekday * rng.uniform(0.9, 1.1, HISTORY_DAYS),
    )


def _rate(numerator: np.ndarray, denominator: np.ndarray) -> pa.Array:
    """numerator / denominator as an exact Decimal(38, 9) (9 decimal places, rounded)."""
    units = np.round(numerator * 1e9 / np.maximum(denominator, 1)).astype(np.int64)
    return decimal(units, 9)


def _date_text(day0_ms: int, day: np.ndarray) -> pa.Array:
    dates = (np.datetime64(day0_ms, "ms") + day.astype("timedelta64[D]")).astype("datetime64[D]")
    return strings(np.char.replace(dates.astype(str), "-", ""))


def _write(
    writer: Writer,
    table: str,
    day: np.ndarray,
    dims: dict[str, np.ndarray],
    metrics,
    rng: np.random.Generator,
) -> None:
    """Both deliveries of every row: provisional (sync day+1), then final (sync day+2)."""
    final = metrics(1.0)
    provisional = metrics(rng.uniform(0.8, 0.95, len(day)))
    restated = day + 2 <= HISTORY_DAYS
    both_days = np.concatenate([day, day[restated]])
    columns = {
        "property_id": strings(np.full(len(both_days), PROPERTY_ID, object)),
        "date": _date_text(writer.clock.day0_ms, both_days),
    }
    for name, values in dims.items():
        columns[name] = strings(np.concatenate([values, values[restated]]))
    for name in final:
        columns[name] = pa.concat_arrays(
            [provisional[name], final[name].filter(pa.array(restated))]
        )
    changed = writer.clock.day0_ms + both_days * DAY_MS + 12 * HOUR_MS  # read by sync day+1 ...
    delay = np.concatenate([np.zeros(len(day), int), np.ones(int(restated.sum()), int)])
    writer.write("ga4", table, columns, changed, delay_sync=delay)  # ... and restated by day+2


def _traffic(sessions: np.ndarray, rng: np.random.Generator):
    """The usual traffic metrics for `sessions`, as a function of a completeness factor."""
    users = np.maximum(1, (sessions * rng.uniform(0.7, 0.85, len(sessions))))
    new_users = users * rng.uniform(0.3, 0.6, len(sessions))
    duration = rng.uniform(60, 240, len(sessions))
    pages = rng.uniform(2.0, 5.0, len(sessions))
    bounce = rng.uniform(0.3, 0.6, len(sessions))

    def metrics(factor):
        sessions_now = np.maximum(1, np.round(sessions * factor)).astype(np.int64)
        users_now = np.maximum(1, np.round(users * factor)).astype(np.int64)
        views = np.round(sessions_now * pages).astype(np.int64)
        n = len(sessions_now)
        return {
            "totalUsers": pa.array(users_now),
            "newUsers": pa.array(np.round(new_users * factor).astype(np.int64)),
            "sessions": pa.array(sessions_now),
            "sessionsPerUser": _rate(sessions_now, users_now),
            "averageSessionDuration": _rate(duration * 1e3, np.full(n, 1e3)),
            "screenPageViews": pa.array(views),
            "screenPageViewsPerSession": _rate(views, sessions_now),
            "bounceRate": _rate(bounce * 1e6, np.full(n, 1e6)),
        }

    return metrics


def _grid(n_dims: int, presence: np.ndarray | float, rng: np.random.Generator):
    day, combo = np.meshgrid(np.arange(HISTORY_DAYS), np.arange(n_dims), indexing="ij")
    day, combo = day.ravel(), combo.ravel()
    keep = rng.random(len(day)) < np.broadcast_to(presence, (HISTORY_DAYS, n_dims)).ravel()
    return day[keep], combo[keep]


def write_reports(writer: Writer, world: World) -> None:
    """Every report, from one generator in turn (so their order is part of the output)."""
    rng = rng_for(world.seed, "ga4")
    daily = _daily_sessions(world, rng)
    _write_active_users(writer, rng, daily)
    _write(writer, "website_overview", np.arange(HISTORY_DAYS), {}, _traffic(daily, rng), rng)
    _write_by_dimension(
        writer,
        rng,
        daily,
        "devices",
        ["deviceCategory", "operatingSystem", "browser"],
        DEVICES,
        np.array([device[3] for device in DEVICES]),
    )
    _write_by_dimension(
        writer,
        rng,
        daily,
        "traffic_sources",
        ["sessionSource", "sessionMedium"],
        SOURCES,
        np.array([source[2] for source in SOURCES]),
    )
    city_weights = rng.dirichlet(np.ones(len(CITIES)) * 2)
    _write_by_dimension(
        writer,
        rng,
        daily,
        "locations",
        ["city", "region", "country"],
        [(city[0], city[1], city[2]) for city in CITIES],
        city_weights,
        presence=0.97,
    )
    _write_pages(writer, world, rng, daily)
    _write_events(writer, rng, daily)
    _write_items(writer, world, rng, daily)


def _write_active_users(writer: Writer, rng: np.random.Generator, daily: np.ndarray) -> None:
    """Active users over 1, 7 and 28 days."""
    day = np.arange(HISTORY_DAYS)
    users = np.round(daily * 0.8)
    for table, column, window in (
        ("daily_active_users", "active1DayUsers", 1),
        ("weekly_active_users", "active7DayUsers", 7),
        ("four_weekly_active_users", "active28DayUsers", 28),
    ):
        active = np.array(
            [
                users[max(0, last - window + 1) : last + 1].sum() * (0.9 if window > 1 else 1)
                for last in day
            ]
        )
        _write(
            writer,
            table,
            day,
            {},
            lambda factor, active=active, column=column: {
                column: pa.array(np.round(active * factor).astype(np.int64))
            },
            rng,
        )


def _write_by_dimension(
    writer: Writer,
    rng: np.random.Generator,
    daily: np.ndarray,
    table: str,
    names: list[str],
    values: list[tuple],
    weights: np.ndarray,
    presence: float = 1.0,
) -> None:
    """The traffic metrics per date and combination of dimension `values` (named `names`),
    sessions shared out by `weights`; a combination is present on a share `presence` of days."""
    day, combo = _grid(len(values), presence, rng)
    dims = {
        name: np.array([value[i] for value in values], object)[combo]
        for i, name in enumerate(names)
    }
    sessions = daily[day] * weights[combo] * rng.uniform(0.8, 1.2, len(day))
    _write(writer, table, day, dims, _traffic(sessions, rng), rng)


def _write_pages(writer: Writer, world: World, rng: np.random.Generator, daily: np.ndarray) -> None:
    """Pages: product pages of the real catalogue (some with a variant or campaign query)."""
    handles = world.product_handles
    paths = ["/", "/collections/all", "/cart", "/search", "/pages/about"]
    paths += [f"/products/{handle}" for handle in handles]
    paths += [
        f"/products/{handle}?variant={world.variant_ids[world.variant_product == product][0]}"
        for product, handle in enumerate(handles[:40])
    ]
    paths += [
        f"/products/{handles[campaign % len(handles)]}?utm_source="
        f"klaviyo&utm_medium=email&utm_campaign={utm}"
        for campaign, utm in enumerate(world.campaign_utm)
    ]
    weight = np.concatenate([[0.3, 0.08, 0.05, 0.02, 0.01], np.full(len(paths) - 5, 0.004)])
    day, path = _grid(len(paths), np.where(np.arange(len(paths)) < 5 + len(handles), 0.9, 0.3), rng)
    views = np.maximum(1, daily[day] * 3 * weight[path] * rng.uniform(0.5, 1.5, len(day)))
    bounce = rng.uniform(0.2, 0.7, len(day))
    _write(
        writer,
        "pages",
        day,
        {
            "hostName": np.full(len(day), world.host, object),
            "pagePathPlusQueryString": np.array(paths, object)[path],
        },
        lambda factor: {
            "screenPageViews": pa.array(np.round(views * factor).astype(np.int64)),
            "bounceRate": _rate(bounce * 1e6, np.full(len(day), 1e6)),
        },
        rng,
    )


def _write_events(writer: Writer, rng: np.random.Generator, daily: np.ndarray) -> None:
    """Events per name and date; purchases carry revenue."""
    day, event = _grid(len(EVENTS), 1.0, rng)
    per_session = np.array([e[1] for e in EVENTS])[event] * rng.uniform(0.85, 1.15, len(day))
    count = np.maximum(1, daily[day] * per_session)
    event_users = np.maximum(1, count / np.maximum(1.0, per_session) * 0.8)
    revenue = np.where(event == 10, count * rng.uniform(5_000, 9_000, len(day)), 0)  # cents
    _write(
        writer,
        "events_report",
        day,
        {"eventName": np.array([e[0] for e in EVENTS], object)[event]},
        lambda factor: {
            "eventCount": pa.array(np.round(count * factor).astype(np.int64)),
            "totalUsers": pa.array(np.round(event_users * factor).astype(np.int64)),
            "eventCountPerUser": _rate(count, event_users),
            "totalRevenue": decimal(np.round(revenue * factor).astype(np.int64), 2),
        },
        rng,
    )


def _write_items(writer: Writer, world: World, rng: np.random.Generator, daily: np.ndarray) -> None:
    """E-commerce purchases per item (product) and date: viewed, added to cart, bought."""
    n_products = len(world.product_titles)
    day, product = _grid(n_products, 0.6, rng)
    viewed = np.maximum(1, daily[day] * 1.1 / n_products * 4 * rng.uniform(0.2, 1.8, len(day)))
    carted = viewed * rng.uniform(0.05, 0.15, len(day))
    bought = carted * rng.uniform(0.2, 0.5, len(day))
    price = world.variant_price_cents[np.searchsorted(world.variant_product, product)]
    _write(
        writer,
        "ecommerce_purchases_item_name_report",
        day,
        {"itemName": np.array(world.product_titles, object)[product]},
        lambda factor: {
            "itemsViewed": pa.array(np.round(viewed * factor).astype(np.int64)),
            "itemsAddedToCart": pa.array(np.round(carted * factor).astype(np.int64)),
            "itemsPurchased": pa.array(np.round(bought * factor).astype(np.int64)),
            "itemRevenue": decimal(np.round(bought * factor).astype(np.int64) * price, 2),
        },
        rng,
    )
