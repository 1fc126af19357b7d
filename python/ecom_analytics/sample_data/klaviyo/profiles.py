"""Klaviyo's profiles stream: the Shopify customers (the same people, profiles 0..C-1), then
newsletter-only subscribers; each delivered when created and again after a later order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ecom_analytics.sample_data.common import (
    BATCH_ROWS,
    DAY_MS,
    Writer,
    cat,
    money_text,
    obj,
    pick,
    quoted,
    rng_for,
    strings,
    text,
    truncate,
    ts,
    where,
)
from ecom_analytics.sample_data.klaviyo.api import API, iso_utc
from ecom_analytics.sample_data.world import CITIES, FIRST_NAMES, LAST_NAMES, LISTS, World


@dataclass
class Profiles:
    """Profiles start..stop-1 and what their orders tell (no orders for subscribers)."""

    number: np.ndarray  # the profile's number in the world
    is_customer: np.ndarray
    customer: np.ndarray  # the customer number (meaningful where is_customer)
    orders: np.ndarray
    spent_cents: np.ndarray
    last_order_ms: np.ndarray  # 0 without orders
    created_ms: np.ndarray
    updated_ms: np.ndarray


def write_profiles(
    writer: Writer,
    world: World,
    order_count: np.ndarray,
    spent_cents: np.ndarray,
    last_order_ms: np.ndarray,
) -> None:
    """Profiles: customers first (same people as Shopify), then newsletter-only subscribers."""
    n = world.n_profiles
    for start in range(0, n, BATCH_ROWS):
        stop = min(n, start + BATCH_ROWS)
        rng = rng_for(world.seed, "profiles", start)
        number = np.arange(start, stop)
        is_customer = number < world.sizes.customers
        customer = np.minimum(number, world.sizes.customers - 1)
        orders = np.where(is_customer, order_count[customer], 0)
        last = np.where(orders > 0, last_order_ms[customer], 0)
        created = world.profile_created_ms[number]
        # Delivered when created (or with the first sync), again when a later order updated it.
        updated = np.maximum(created, np.where(orders > 0, last + 90_000, created))
        profiles = Profiles(
            number=number,
            is_customer=is_customer,
            customer=customer,
            orders=orders,
            spent_cents=np.where(is_customer, spent_cents[customer], 0),
            last_order_ms=last,
            created_ms=created,
            updated_ms=updated,
        )
        _write_batch(writer, world, rng, profiles)


def _write_batch(
    writer: Writer, world: World, rng: np.random.Generator, profiles: Profiles
) -> None:
    """One batch of profile records; 0.4% of them malformed."""
    attributes = _attributes(world, rng, profiles)
    malformed = rng.random(len(profiles.number)) < 0.004
    attributes = truncate(attributes, malformed)
    ids = world.profile_ids.take(profiles.number)
    writer.write(
        "klaviyo",
        "profiles",
        {
            "type": strings(np.full(len(profiles.number), "profile", object)),
            "id": ids,
            "updated": ts(profiles.updated_ms),
            "attributes": attributes,
            "relationships": cat(
                '{"lists":{"data":[',
                _list_memberships(world, profiles.number, profiles.orders),
                '],"links":{"related":"',
                API,
                "/profiles/",
                ids,
                '/lists/"}},"segments":{"links":{"related":"',
                API,
                "/profiles/",
                ids,
                '/segments/"}}}',
            ),
            "links": cat('{"self":"', API, "/profiles/", ids, '/"}'),
        },
        profiles.updated_ms,
        redeliver_share=0.02,
        bad={"malformed_json": malformed},
    )


def _attributes(world: World, rng: np.random.Generator, profiles: Profiles) -> pa.Array:
    """The profile's attributes: identity, location, consent, predictive analytics."""
    number, orders = profiles.number, profiles.orders
    predictive = _predictive_analytics(rng, profiles)
    city = world.city[number]
    location = obj(
        city=quoted(pick([place[0] for place in CITIES], city)),
        region=quoted(pick([place[1] for place in CITIES], city)),
        country=quoted(pick([place[2] for place in CITIES], city)),
        zip=quoted(pick([place[4] for place in CITIES], city)),
        timezone="null",
    )
    consent_ms = quoted(iso_utc(profiles.created_ms))
    return obj(
        email=quoted(world.profile_emails.take(number)),
        phone_number="null",
        external_id=where(
            profiles.is_customer, quoted(text(world.customer_ids[profiles.customer])), "null"
        ),
        first_name=quoted(pick(FIRST_NAMES, world.first[number])),
        last_name=quoted(pick(LAST_NAMES, world.last[number])),
        created=quoted(iso_utc(profiles.created_ms)),
        updated=quoted(iso_utc(profiles.updated_ms)),
        last_event_date=where(orders > 0, quoted(iso_utc(profiles.last_order_ms)), "null"),
        location=location,
        properties=obj(
            d_source=where(profiles.is_customer, quoted("Shopify"), quoted("Newsletter Popup"))
        ),
        subscriptions=obj(
            email=obj(
                marketing=obj(
                    consent=quoted(where(number % 7 == 0, "UNSUBSCRIBED", "SUBSCRIBED")),
                    timestamp=consent_ms,
                )
            )
        ),
        predictive_analytics=predictive,
    )


def _predictive_analytics(rng: np.random.Generator, profiles: Profiles) -> pa.Array:
    """Klaviyo's predictions: lifetime value, next order, churn (drawn, but consistent with
    the orders)."""
    n = len(profiles.number)
    orders, spent = profiles.orders, profiles.spent_cents
    aov = np.where(orders > 0, spent // np.maximum(orders, 1), 0)
    return obj(  # the draws happen in the order of the fields
        historic_clv=money_text(spent),
        predicted_clv=money_text(spent // 3 + rng.integers(0, 5_000, n)),
        total_clv=money_text(spent + spent // 3),
        historic_number_of_orders=text(orders),
        predicted_number_of_orders=text(np.round(rng.random(n) * 2, 2)),
        average_days_between_orders=where(orders > 1, text(rng.integers(10, 90, n)), "null"),
        average_order_value=money_text(aov),
        churn_probability=text(np.round(rng.random(n), 2)),
        expected_date_of_next_order=where(
            orders > 0,
            quoted(iso_utc(profiles.last_order_ms + rng.integers(20, 120, n) * DAY_MS)),
            "null",
        ),
    )


def _list_memberships(world: World, number: np.ndarray, orders: np.ndarray) -> pa.Array:
    """The lists each profile is on (JSON:API identifiers, comma-separated): subscribers on
    the newsletter, customers with 3+ orders on VIP, some on SMS and the waitlist."""
    on = [number % 7 != 0, orders >= 3, number % 5 == 0, number % 11 == 0]  # in LISTS order
    entries = [
        [f'{{"type":"list","id":"{world.list_ids[k]}"}}' for k in range(len(LISTS)) if on[k][i]]
        for i in range(len(number))
    ]
    return pa.array([",".join(entry) for entry in entries])
