"""Klaviyo's events stream: Placed Order (one per Shopify order), message funnels (receipt,
open, click, bounce, unsubscribe, spam complaint) and site events, up to the event volume."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ecom_analytics.sample_data.common import (
    BATCH_ROWS,
    DAY_MS,
    HISTORY_DAYS,
    HOUR_MS,
    Writer,
    alnum_ids,
    cat,
    money_text,
    obj,
    pick,
    quoted,
    replace_rows,
    rng_for,
    strings,
    text,
    truncate,
    ts,
    uuids,
    where,
)
from ecom_analytics.sample_data.klaviyo.api import API, iso_utc
from ecom_analytics.sample_data.shopify import OrderBatch
from ecom_analytics.sample_data.world import (
    ACTIVE,
    BOUNCED,
    CLICKED,
    CLICKED_SMS,
    FLOWS,
    MARKED_SPAM,
    OPENED,
    PLACED_ORDER,
    RECEIVED,
    RECEIVED_SMS,
    STARTED_CHECKOUT,
    UNSUBSCRIBED,
    VIEWED_PRODUCT,
    World,
)

# Events that are neither Placed Order nor part of a message funnel, and their share of all.
SITE_METRICS = [VIEWED_PRODUCT, STARTED_CHECKOUT, ACTIVE]
SITE_SHARES = np.array([0.13, 0.04, 0.07])
# A message funnel, per send: bounce; open (some open again); click, mostly after an open;
# unsubscribe; spam complaint. SMS: receipt and click only.
BOUNCE, OPEN, REOPEN, CLICK_AFTER_OPEN, CLICK_WITHOUT_OPEN = 0.02, 0.45, 0.3, 0.22, 0.01
UNSUBSCRIBE, SPAM, SMS_CLICK = 0.004, 0.0008, 0.08
EVENTS_PER_SEND = 1 + BOUNCE + OPEN * (1 + REOPEN) + OPEN * CLICK_AFTER_OPEN + 0.015


def _events(
    world: World,
    writer: Writer,
    rng: np.random.Generator,
    metric: np.ndarray,
    profile: np.ndarray,
    when: np.ndarray,
    properties: pa.Array,
) -> None:
    """Write event records; ~0.6% carry bad input as real feeds do."""
    n = len(metric)
    ids = alnum_ids(rng, n, 22)
    seconds = when // 1000
    attributes = obj(
        timestamp=text(seconds),
        event_properties=properties,
        datetime=quoted(iso_utc(when)),
        uuid=quoted(uuids(rng, n)),
    )
    metric_ids = np.array(world.metric_ids, object)[metric]
    profile_rel = obj(data=obj(type=quoted("profile"), id=quoted(world.profile_ids.take(profile))))
    metric_rel = obj(data=obj(type=quoted("metric"), id=quoted(strings(metric_ids))))
    relationships = obj(profile=profile_rel, metric=metric_rel, attributions=obj(data="[]"))
    attributes, relationships, bad = _add_bad_input(
        rng, attributes, relationships, metric_rel, properties, seconds
    )
    writer.write(
        "klaviyo",
        "events",
        {
            "type": strings(np.full(n, "event", object)),
            "id": ids,
            "datetime": ts(when),
            "attributes": attributes,
            "relationships": relationships,
            "links": cat('{"self":"', API, "/events/", ids, '/"}'),
        },
        when,
        redeliver_share=0.005,
        bad=bad,
    )


def _add_bad_input(
    rng: np.random.Generator,
    attributes: pa.Array,
    relationships: pa.Array,
    metric_rel: pa.Array,
    properties: pa.Array,
    seconds: np.ndarray,
) -> tuple[pa.Array, pa.Array, dict[str, np.ndarray]]:
    """Malformed JSON, events without a profile, unparsable datetimes: ~0.2% each.

    Returns the attributes and relationships with the bad rows in, and each kind's mask.
    """
    bad = rng.random(len(seconds))
    malformed = bad < 0.002
    no_profile = (bad >= 0.002) & (bad < 0.004)
    bad_datetime = (bad >= 0.004) & (bad < 0.006)
    attributes = replace_rows(
        attributes,
        bad_datetime,
        cat(
            '{"timestamp":',
            text(seconds[bad_datetime]),
            ',"event_properties":',
            properties.filter(pa.array(bad_datetime)),
            ',"datetime":"yesterday-ish 25:61"}',
        ),
    )
    attributes = truncate(attributes, malformed)
    relationships = replace_rows(
        relationships,
        no_profile,
        obj(metric=metric_rel.filter(pa.array(no_profile)), attributions=obj(data="[]")),
    )
    bad_rows = {
        "malformed_json": malformed,
        "missing_profile": no_profile,
        "unparsable_datetime": bad_datetime,
    }
    return attributes, relationships, bad_rows


def write_placed_orders(writer: Writer, world: World, batch: OrderBatch) -> None:
    """One Placed Order event per order (2% of orders never reach Klaviyo)."""
    rng = rng_for(world.seed, "placed-order", int(batch.index[0]))
    keep = rng.random(len(batch.ids)) >= 0.02
    idx = np.flatnonzero(keep)
    when = batch.created_ms[idx] + rng.integers(5_000, 120_000, len(idx))
    order_id = text(batch.ids[idx])
    properties = cat(
        '{"$event_id":"',
        order_id,
        '","$value":',
        money_text(batch.total_cents[idx]),
        ',"$currency_code":"USD","OrderId":',
        order_id,
        ',"ItemCount":',
        text(batch.n_items[idx]),
        _attributed_message(world, batch.campaign[idx], batch.flow_message[idx]),
        ',"$extra":{"order_name":"#',
        text(1001 + batch.index[idx]),
        '","landing_site":"',
        batch.landing_site.take(idx),
        '"}}',
    )
    metric = np.full(len(idx), PLACED_ORDER)
    _events(world, writer, rng, metric, batch.customer[idx], when, properties)


def _attributed_message(world: World, campaign: np.ndarray, flow_message: np.ndarray) -> pa.Array:
    """The `$attributed_*` properties of an order attributed to a campaign or a flow message
    (number, or -1), to go inside its properties' JSON; empty for the rest."""
    return where(
        campaign >= 0,
        cat(
            ',"$attributed_message":"',
            pick(world.campaign_message_ids, np.maximum(campaign, 0)),
            '","$attributed_channel":"',
            pick(world.campaign_channels, np.maximum(campaign, 0)),
            '"',
        ),
        where(
            flow_message >= 0,
            cat(
                ',"$attributed_flow":"',
                pick(world.flow_ids, np.maximum(flow_message, 0) // 3),
                '","$attributed_message":"',
                pick(world.flow_message_ids, np.maximum(flow_message, 0)),
                '","$attributed_channel":"email"',
            ),
            "",
        ),
    )


def write_other_events(writer: Writer, world: World) -> None:
    """Message funnels and site events, up to the --scale event volume."""
    n_total = max(0, world.sizes.events - world.sizes.orders)
    n_site = round(n_total * SITE_SHARES.sum())
    n_sends = round((n_total - n_site) / EVENTS_PER_SEND)
    for start in range(0, n_sends, BATCH_ROWS):
        _write_funnels(writer, world, start, min(BATCH_ROWS, n_sends - start))
    for start in range(0, n_site, BATCH_ROWS):
        _write_site_events(writer, world, start, min(BATCH_ROWS, n_site - start))


@dataclass
class Sends:
    """Messages received, one entry per (message, profile): a profile receives a message once."""

    from_campaign: np.ndarray  # else from a flow
    campaign: np.ndarray  # campaign number (drawn for every send)
    flow_message: np.ndarray  # flow message number (drawn for every send)
    profile: np.ndarray
    sms: np.ndarray
    received_ms: np.ndarray


def _write_funnels(writer: Writer, world: World, start: int, n: int) -> None:
    """Every open, click, bounce, unsubscribe and complaint follows the same profile's receipt
    of the same message, so every rate stays within [0, 1]."""
    rng = rng_for(world.seed, "funnels", start)
    sends = _sends(world, rng, n)
    n = len(sends.profile)
    funnel = _funnel_events(rng, sends)
    message = _message_properties(world, sends)
    url = cat(
        ',"URL":"https://',
        world.host,
        "/products/",
        pick(world.product_handles, rng.integers(0, len(world.product_handles), n)),
        '"}',
    )
    metrics, profiles, times, properties = [], [], [], []
    for metric, which, when, click in funnel:
        idx = np.flatnonzero(which)
        metrics.append(np.broadcast_to(metric, n)[idx])
        profiles.append(sends.profile[idx])
        times.append(np.minimum(when[idx], world.clock.now_ms - 60_000))
        properties.append(cat(message.take(idx), url.take(idx) if click else "}"))
    _events(
        world,
        writer,
        rng,
        np.concatenate(metrics),
        np.concatenate(profiles),
        np.concatenate(times),
        pa.concat_arrays(properties),
    )


def _sends(world: World, rng: np.random.Generator, n: int) -> Sends:
    """Up to n sends: campaign sends shortly after the campaign's send time, flow sends at any
    time of the history."""
    from_campaign = rng.random(n) < 0.75
    campaign = rng.integers(0, len(world.campaign_ids), n)
    flow_message = rng.integers(0, len(world.flow_message_ids), n)
    profile = rng.integers(0, world.n_profiles, n)
    # a profile receives a given message once
    message_index = np.where(from_campaign, campaign, len(world.campaign_ids) + flow_message)
    _, first = np.unique(message_index * world.n_profiles + profile, return_index=True)
    keep = np.zeros(n, bool)
    keep[first] = True
    from_campaign, campaign, flow_message, profile = (
        column[keep] for column in (from_campaign, campaign, flow_message, profile)
    )
    n = len(profile)
    sms = from_campaign & (np.array(world.campaign_channels, object)[campaign] == "sms")
    received = np.where(
        from_campaign,
        world.campaign_send_ms[campaign] + rng.integers(0, 1_800_000, n),
        world.clock.day0_ms + rng.integers(0, HISTORY_DAYS * DAY_MS, n),
    )
    return Sends(from_campaign, campaign, flow_message, profile, sms, received)


def _funnel_events(rng: np.random.Generator, sends: Sends) -> list[tuple]:
    """What follows each send: (metric, which sends, when, is a click) per kind of event."""
    n = len(sends.profile)
    sms, received = sends.sms, sends.received_ms
    roll = rng.random((6, n))
    email = ~sms
    bounced = email & (roll[0] < BOUNCE)
    delivered = email & ~bounced
    opened = delivered & (roll[1] < OPEN)
    reopened = opened & (roll[2] < REOPEN)
    clicked = (opened & (roll[3] < CLICK_AFTER_OPEN)) | (
        delivered & ~opened & (roll[3] < CLICK_WITHOUT_OPEN)
    )
    unsubscribed = delivered & (roll[4] < UNSUBSCRIBE)
    complained = delivered & (roll[5] < SPAM)
    sms_clicked = sms & (roll[4] < SMS_CLICK)

    def later(mean_ms: float) -> np.ndarray:
        return rng.exponential(mean_ms, n).astype(np.int64) + 1_000

    open_at = received + later(6 * HOUR_MS)
    return [
        (np.where(sms, RECEIVED_SMS, RECEIVED), np.ones(n, bool), received, False),
        (BOUNCED, bounced, received + 60_000, False),
        (OPENED, opened, open_at, False),
        (OPENED, reopened, open_at + later(DAY_MS), False),
        (CLICKED, clicked, np.where(opened, open_at, received) + later(HOUR_MS / 2), True),
        (UNSUBSCRIBED, unsubscribed, received + later(12 * HOUR_MS), False),
        (MARKED_SPAM, complained, received + later(12 * HOUR_MS), False),
        (CLICKED_SMS, sms_clicked, received + later(HOUR_MS), True),
    ]


def _message_properties(world: World, sends: Sends) -> pa.Array:
    """The message's properties (campaign or flow), an unclosed JSON object."""
    campaign, flow_message = sends.campaign, sends.flow_message
    return where(
        sends.from_campaign,
        cat(
            '{"$message":"',
            pick(world.campaign_message_ids, campaign),
            '","Campaign Name":"',
            pick(world.campaign_names, campaign),
            '","Subject":"',
            pick(world.campaign_names, campaign),
            '"',
        ),
        cat(
            '{"$flow":"',
            pick(world.flow_ids, flow_message // 3),
            '","$message":"',
            pick(world.flow_message_ids, flow_message),
            '","Subject":"',
            pick([flow[0] for flow in FLOWS], flow_message // 3),
            '"',
        ),
    )


def _write_site_events(writer: Writer, world: World, start: int, n: int) -> None:
    """Product views, checkouts started, site activity."""
    rng = rng_for(world.seed, "events", start)
    metric = np.array(SITE_METRICS)[
        rng.choice(len(SITE_METRICS), n, p=SITE_SHARES / SITE_SHARES.sum())
    ]
    profile = rng.integers(0, world.n_profiles, n)
    when = world.clock.day0_ms + rng.integers(0, HISTORY_DAYS * DAY_MS, n)
    when = np.minimum(when, world.clock.now_ms - 60_000)
    variant = rng.choice(len(world.variant_ids), n, p=world.variant_weights)
    product = world.variant_product[variant]
    product_url = cat("https://", world.host, "/products/", pick(world.product_handles, product))
    browse_props = obj(
        ProductName=quoted(pick(world.product_titles, product)),
        ProductID=text(world.product_ids[product]),
        URL=quoted(product_url),
        Price=money_text(world.variant_price_cents[variant]),
    )
    checkout_props = obj(
        d_event_id=quoted(uuids(rng, n)),
        d_value=money_text(rng.integers(1_500, 30_000, n)),
        ItemNames=cat('["', pick(world.product_titles, product), '"]'),
    )
    active_props = obj(page=quoted(product_url), d_use_ip="true")
    properties = where(
        metric == VIEWED_PRODUCT,
        browse_props,
        where(metric == STARTED_CHECKOUT, checkout_props, active_props),
    )
    _events(world, writer, rng, metric, profile, when, properties)
