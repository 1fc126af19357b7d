"""The site's sessions behind the GA4 export, one row per session, drawn from the same world:
a session for every web order (its landing page and traffic source from the order's
landing_site and referring_site, ending in the order's checkout at the order's creation time)
and about 1.8 times as many sessions without a purchase, whose traffic follows the mix of
ga4.SOURCES, Klaviyo's campaign UTM parameters included (the Data API reports are derived
from these sessions).

Clients (GA's user_pseudo_id) 0..C-1 are the Shopify customers, C.. anonymous visitors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ecom_analytics.sample_data.common import DAY_MS, HOUR_MS
from ecom_analytics.sample_data.ga4 import DEVICES, SOURCES
from ecom_analytics.sample_data.shopify.orders import Orders
from ecom_analytics.sample_data.world import CITIES, World

SESSIONS_PER_ORDER = 1.8  # sessions without a purchase per order
VISITORS_PER_ORDER = 1.5  # the pool of anonymous visitors, per order of the whole history
PAID = {"cpc": "brand-search", "paid_social": "prospecting"}  # medium -> campaign


@dataclass
class Sessions:
    """One row per session, sorted by start time. Strings are numpy object arrays."""

    client: np.ndarray
    start_ms: np.ndarray
    order: np.ndarray  # position in the order batch, or -1 for a session without an order
    source: np.ndarray
    medium: np.ndarray
    campaign: np.ndarray  # None without one
    referrer: np.ndarray  # '' without one
    landing_path: np.ndarray  # path of the first page; '' when the pages decide it
    landing_query: np.ndarray  # the landing page's query string ('' without one)
    device: np.ndarray  # index into ga4.DEVICES
    city: np.ndarray  # index into world CITIES
    logged_in: np.ndarray


def hashed_uniform(values: np.ndarray, salt: int) -> np.ndarray:
    """A uniform [0, 1) per value, the same for a value wherever it appears (per client)."""
    mixed = (values.astype(np.uint64) + np.uint64(salt)) * np.uint64(0x9E3779B97F4A7C15)
    return ((mixed >> np.uint64(11)).astype(np.float64)) / float(1 << 53)


def order_traffic(landing: pa.Array, referrer: np.ndarray):
    """Source, medium and campaign GA4 reads from an order's landing page and referrer: UTM
    parameters first, then the referrer (a search engine is organic, another site a
    referral), else direct; and the landing path and query."""
    utm = {  # flatten(): a landing page without the parameter gives NULL (field() gives '')
        name: pc.extract_regex(landing, rf"[?&]utm_{name}=(?P<v>[^&]*)").flatten()[0]
        for name in ("source", "medium", "campaign")
    }
    source = np.array(utm["source"].to_pylist(), object)
    medium = np.array(utm["medium"].to_pylist(), object)
    campaign = np.array(utm["campaign"].to_pylist(), object)
    host = np.array([r.split("/")[2] if r else "" for r in referrer], object)
    google = host == "www.google.com"
    untagged = source == None  # noqa: E711 (element-wise)
    source = np.where(
        untagged, np.where(google, "google", np.where(host != "", host, "(direct)")), source
    )
    medium = np.where(
        untagged, np.where(google, "organic", np.where(host != "", "referral", "(none)")), medium
    )
    parts = np.array([(s.split("?", 1) + [""])[:2] for s in landing.to_pylist()], object)
    return source, medium, campaign, parts[:, 0], parts[:, 1]


def draw_sessions(world: World, rng: np.random.Generator, orders: Orders) -> Sessions:
    """The sessions of one order batch: one per web order, and the sessions without a purchase
    over the same stretch of time."""
    batch = orders.batch
    web = np.flatnonzero(batch.index % 50 != 7)  # Shopify's pos orders are every 50th
    source, medium, campaign, path, query = order_traffic(
        batch.landing_site.take(pa.array(web)), orders.referrer[web]
    )
    n_web, n_other = len(web), round(len(batch.index) * SESSIONS_PER_ORDER)
    # Sessions without a purchase follow the order density (a growing business).
    near = batch.created_ms[rng.integers(0, len(batch.index), n_other)]
    start = near + rng.integers(-12 * HOUR_MS, 12 * HOUR_MS, n_other)
    start = np.clip(start, world.clock.day0_ms, world.clock.now_ms - 60_000)
    returning = rng.random(n_other) < 0.3
    customer = (world.sizes.customers * rng.random(n_other) ** 1.6).astype(np.int64)
    visitors = max(10, round(world.sizes.orders * VISITORS_PER_ORDER))
    visitor = world.sizes.customers + (visitors * rng.random(n_other) ** 1.3).astype(np.int64)
    mix = rng.choice(len(SOURCES), n_other, p=_weights(SOURCES, 2))
    other_source = np.array([s[0] for s in SOURCES], object)[mix]
    other_medium = np.array([s[1] for s in SOURCES], object)[mix]
    last = np.searchsorted(world.campaign_send_ms, start, side="right") - 1
    recent = (last >= 0) & (start - world.campaign_send_ms[np.maximum(last, 0)] < 5 * DAY_MS)
    utm = np.array(world.campaign_utm, object)[np.maximum(last, 0)]
    email = (other_medium == "email") & recent
    other_campaign = np.where(email, utm, np.array([PAID.get(m) for m in other_medium], object))
    other_medium = np.where((other_medium == "email") & ~recent, "referral", other_medium)
    other_source = np.where(
        other_medium == "referral",
        np.where(other_source == "klaviyo", "mail.google.com", other_source),
        other_source,
    )
    tagged = other_campaign != None  # noqa: E711 (element-wise)
    other_query = np.where(
        tagged,
        "utm_source="
        + other_source
        + "&utm_medium="
        + other_medium
        + "&utm_campaign="
        + np.where(tagged, other_campaign, "").astype(object),
        "",
    )
    other_referrer = np.select(
        [other_medium == "organic", other_medium == "referral"],
        ["https://www." + other_source + ".com/", "https://" + other_source + "/"],
        "",
    )
    client = np.concatenate([batch.customer[web], np.where(returning, customer, visitor)]).astype(
        np.int64
    )
    start_ms = np.concatenate([np.zeros(n_web, np.int64), start])  # orders: set by the pages
    sessions = Sessions(
        client=client,
        start_ms=start_ms,
        order=np.concatenate([web, np.full(n_other, -1)]),
        source=np.concatenate([source, other_source]),
        medium=np.concatenate([medium, other_medium]),
        campaign=np.concatenate([campaign, other_campaign]),
        referrer=np.concatenate([orders.referrer[web], other_referrer]).astype(object),
        landing_path=np.concatenate([path, np.full(n_other, "", object)]),
        landing_query=np.concatenate([query, other_query]).astype(object),
        device=np.searchsorted(
            np.cumsum(_weights(DEVICES, 3)), hashed_uniform(client, 1), side="right"
        ).clip(0, len(DEVICES) - 1),
        city=np.where(
            client < world.sizes.customers,
            world.city[np.minimum(client, world.sizes.customers - 1)],
            (hashed_uniform(client, 2) * len(CITIES)).astype(np.int64),
        ),
        logged_in=(client < world.sizes.customers)
        & (rng.random(len(client)) < np.where(np.arange(len(client)) < n_web, 0.6, 0.3)),
    )
    return sessions


def _weights(rows: list[tuple], column: int) -> np.ndarray:
    weights = np.array([row[column] for row in rows], float)
    return weights / weights.sum()
