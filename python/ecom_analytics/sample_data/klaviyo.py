"""Klaviyo streams (JSON:API records): events, profiles, campaigns, flows, metrics, lists."""

from __future__ import annotations

from collections.abc import Callable

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
    compact_json,
    iso,
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
from ecom_analytics.sample_data.shopify import OrderBatch
from ecom_analytics.sample_data.world import (
    ACTIVE,
    BOUNCED,
    CITIES,
    CLICKED,
    CLICKED_SMS,
    FIRST_NAMES,
    FLOWS,
    LAST_NAMES,
    LISTS,
    MARKED_SPAM,
    METRICS,
    OPENED,
    PLACED_ORDER,
    RECEIVED,
    RECEIVED_SMS,
    STARTED_CHECKOUT,
    UNSUBSCRIBED,
    VIEWED_PRODUCT,
    World,
)

API = "https://a.klaviyo.com/api"


def _iso_utc(ms: np.ndarray) -> pa.Array:
    return iso(ms, "+00:00")


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
        datetime=quoted(_iso_utc(when)),
        uuid=quoted(uuids(rng, n)),
    )
    metric_ids = np.array(world.metric_ids, object)[metric]
    profile_rel = obj(data=obj(type=quoted("profile"), id=quoted(world.profile_ids.take(profile))))
    metric_rel = obj(data=obj(type=quoted("metric"), id=quoted(strings(metric_ids))))
    relationships = obj(profile=profile_rel, metric=metric_rel, attributions=obj(data="[]"))
    bad = rng.random(n)
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
        bad={
            "malformed_json": malformed,
            "missing_profile": no_profile,
            "unparsable_datetime": bad_datetime,
        },
    )


def write_placed_orders(writer: Writer, world: World, b: OrderBatch) -> None:
    """One Placed Order event per order (2% of orders never reach Klaviyo)."""
    rng = rng_for(world.seed, "placed-order", int(b.index[0]))
    keep = rng.random(len(b.ids)) >= 0.02
    idx = np.flatnonzero(keep)
    when = b.created_ms[idx] + rng.integers(5_000, 120_000, len(idx))
    order_id = text(b.ids[idx])
    campaign, flow_message = b.campaign[idx], b.flow_message[idx]
    attributed = where(
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
    properties = cat(
        '{"$event_id":"',
        order_id,
        '","$value":',
        money_text(b.total_cents[idx]),
        ',"$currency_code":"USD","OrderId":',
        order_id,
        ',"ItemCount":',
        text(b.n_items[idx]),
        attributed,
        ',"$extra":{"order_name":"#',
        text(1001 + b.index[idx]),
        '","landing_site":"',
        b.landing_site.take(idx),
        '"}}',
    )
    _events(world, writer, rng, np.full(len(idx), PLACED_ORDER), b.customer[idx], when, properties)


# Events that are neither Placed Order nor part of a message funnel, and their share of all.
SITE_METRICS = [VIEWED_PRODUCT, STARTED_CHECKOUT, ACTIVE]
SITE_SHARES = np.array([0.13, 0.04, 0.07])
# A message funnel, per send: bounce; open (some open again); click, mostly after an open;
# unsubscribe; spam complaint. SMS: receipt and click only.
BOUNCE, OPEN, REOPEN, CLICK_AFTER_OPEN, CLICK_WITHOUT_OPEN = 0.02, 0.45, 0.3, 0.22, 0.01
UNSUBSCRIBE, SPAM, SMS_CLICK = 0.004, 0.0008, 0.08
EVENTS_PER_SEND = 1 + BOUNCE + OPEN * (1 + REOPEN) + OPEN * CLICK_AFTER_OPEN + 0.015


def write_other_events(writer: Writer, world: World) -> None:
    """Message funnels and site events, up to the --scale event volume."""
    n_total = max(0, world.sizes.events - world.sizes.orders)
    n_site = round(n_total * SITE_SHARES.sum())
    n_sends = round((n_total - n_site) / EVENTS_PER_SEND)
    for start in range(0, n_sends, BATCH_ROWS):
        _write_funnels(writer, world, start, min(BATCH_ROWS, n_sends - start))
    for start in range(0, n_site, BATCH_ROWS):
        _write_site_events(writer, world, start, min(BATCH_ROWS, n_site - start))


def _write_funnels(writer: Writer, world: World, start: int, n: int) -> None:
    """Every open, click, bounce, unsubscribe and complaint follows the same profile's receipt
    of the same message, so every rate stays within [0, 1]."""
    rng = rng_for(world.seed, "funnels", start)
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
        x[keep] for x in (from_campaign, campaign, flow_message, profile)
    )
    n = len(profile)
    sms = from_campaign & (np.array(world.campaign_channels, object)[campaign] == "sms")
    received = np.where(
        from_campaign,
        world.campaign_send_ms[campaign] + rng.integers(0, 1_800_000, n),
        world.clock.day0_ms + rng.integers(0, HISTORY_DAYS * DAY_MS, n),
    )
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
    kinds = [  # (metric, which sends, when, is a click)
        (np.where(sms, RECEIVED_SMS, RECEIVED), np.ones(n, bool), received, False),
        (BOUNCED, bounced, received + 60_000, False),
        (OPENED, opened, open_at, False),
        (OPENED, reopened, open_at + later(DAY_MS), False),
        (CLICKED, clicked, np.where(opened, open_at, received) + later(HOUR_MS / 2), True),
        (UNSUBSCRIBED, unsubscribed, received + later(12 * HOUR_MS), False),
        (MARKED_SPAM, complained, received + later(12 * HOUR_MS), False),
        (CLICKED_SMS, sms_clicked, received + later(HOUR_MS), True),
    ]
    message = where(
        from_campaign,
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
            pick([f[0] for f in FLOWS], flow_message // 3),
            '"',
        ),
    )
    url = cat(
        ',"URL":"https://',
        world.host,
        "/products/",
        pick(world.product_handles, rng.integers(0, len(world.product_handles), n)),
        '"}',
    )
    metrics, profiles, times, properties = [], [], [], []
    for metric, sends, when, click in kinds:
        idx = np.flatnonzero(sends)
        metrics.append(np.broadcast_to(metric, n)[idx])
        profiles.append(profile[idx])
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
        p = np.arange(start, stop)
        m = len(p)
        is_customer = p < world.sizes.customers
        c = np.minimum(p, world.sizes.customers - 1)
        orders = np.where(is_customer, order_count[c], 0)
        spent = np.where(is_customer, spent_cents[c], 0)
        last = np.where(orders > 0, last_order_ms[c], 0)
        created = world.profile_created_ms[p]
        # Delivered when created (or with the first sync), again when a later order updated it.
        updated = np.maximum(created, np.where(orders > 0, last + 90_000, created))
        city = world.city[p]
        aov = np.where(orders > 0, spent // np.maximum(orders, 1), 0)
        predictive = obj(
            historic_clv=money_text(spent),
            predicted_clv=money_text(spent // 3 + rng.integers(0, 5_000, m)),
            total_clv=money_text(spent + spent // 3),
            historic_number_of_orders=text(orders),
            predicted_number_of_orders=text(np.round(rng.random(m) * 2, 2)),
            average_days_between_orders=where(orders > 1, text(rng.integers(10, 90, m)), "null"),
            average_order_value=money_text(aov),
            churn_probability=text(np.round(rng.random(m), 2)),
            expected_date_of_next_order=where(
                orders > 0, quoted(_iso_utc(last + rng.integers(20, 120, m) * DAY_MS)), "null"
            ),
        )
        location = obj(
            city=quoted(pick([x[0] for x in CITIES], city)),
            region=quoted(pick([x[1] for x in CITIES], city)),
            country=quoted(pick([x[2] for x in CITIES], city)),
            zip=quoted(pick([x[4] for x in CITIES], city)),
            timezone="null",
        )
        consent_ms = quoted(_iso_utc(created))
        attributes = obj(
            email=quoted(world.profile_emails.take(p)),
            phone_number="null",
            external_id=where(is_customer, quoted(text(world.customer_ids[c])), "null"),
            first_name=quoted(pick(FIRST_NAMES, world.first[p])),
            last_name=quoted(pick(LAST_NAMES, world.last[p])),
            created=quoted(_iso_utc(created)),
            updated=quoted(_iso_utc(updated)),
            last_event_date=where(orders > 0, quoted(_iso_utc(last)), "null"),
            location=location,
            properties=obj(
                d_source=where(is_customer, quoted("Shopify"), quoted("Newsletter Popup"))
            ),
            subscriptions=obj(
                email=obj(
                    marketing=obj(
                        consent=quoted(where(p % 7 == 0, "UNSUBSCRIBED", "SUBSCRIBED")),
                        timestamp=consent_ms,
                    )
                )
            ),
            predictive_analytics=predictive,
        )
        malformed = rng.random(m) < 0.004
        attributes = truncate(attributes, malformed)
        ids = world.profile_ids.take(p)
        writer.write(
            "klaviyo",
            "profiles",
            {
                "type": strings(np.full(m, "profile", object)),
                "id": ids,
                "updated": ts(updated),
                "attributes": attributes,
                "relationships": cat(
                    '{"lists":{"data":[',
                    _list_memberships(world, p, orders),
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
            updated,
            redeliver_share=0.02,
            bad={"malformed_json": malformed},
        )


def write_marketing(writer: Writer, world: World) -> None:
    """Campaigns (draft, then sent), their detailed form, flows, metrics, lists: few rows."""
    rng = rng_for(world.seed, "klaviyo-small")
    _write_campaigns(writer, world, rng)
    _write_small(
        writer,
        world,
        "flows",
        "flow",
        [f[0] for f in FLOWS],
        world.flow_ids,
        lambda i: {"status": "live", "archived": False, "trigger_type": FLOWS[i][1]},
    )
    _write_small(
        writer,
        world,
        "metrics",
        "metric",
        [m[0] for m in METRICS],
        world.metric_ids,
        lambda i: {
            "integration": {
                "object": "integration",
                "id": f"int{i}",
                "name": METRICS[i][1],
                "category": "eCommerce",
            }
        },
    )
    _write_small(
        writer,
        world,
        "lists",
        "list",
        LISTS,
        world.list_ids,
        lambda i: {"opt_in_process": "single_opt_in"},
    )


def _write_campaigns(writer: Writer, world: World, rng: np.random.Generator) -> None:
    """Each campaign as a draft and once sent (versions past NOW never happen), in the plain
    and the detailed stream."""
    sends = world.campaign_send_ms
    created = sends - rng.integers(2, 10, len(sends)) * DAY_MS
    rows, details = [], []
    for i, cid in enumerate(world.campaign_ids):
        for status, when in (("Draft", int(created[i])), ("Sent", int(sends[i]) + 3_600_000)):
            if when >= world.clock.now_ms:
                continue
            relationships = {
                "campaign-messages": {
                    "data": [{"type": "campaign-message", "id": world.campaign_message_ids[i]}]
                },
                "tags": {"data": []},
            }
            rows.append(
                (
                    "campaign",
                    cid,
                    when,
                    compact_json(_campaign_attributes(world, i, status, when, int(created[i]))),
                    compact_json(relationships),
                    compact_json({"self": f"{API}/campaigns/{cid}/"}),
                )
            )
            message = _campaign_message(world, i)
            # connector 2.x delivers one `campaign_message` object, older ones an array
            single = i % 2 == 1
            details.append(
                (
                    int(rng.integers(2_000, 9_000) * max(1, world.sizes.customers // 3_000)),
                    None if single else compact_json([message]),
                    compact_json(message) if single else None,
                )
            )
    typ, ids, when, attrs, rels, links = map(list, zip(*rows, strict=True))
    when = np.array(when)
    campaign_columns = {
        "type": pa.array(typ),
        "id": pa.array(ids),
        "updated_at": ts(when),
        "attributes": pa.array(attrs),
        "relationships": pa.array(rels),
        "links": pa.array(links),
    }
    writer.write("klaviyo", "campaigns", campaign_columns, when)
    recipients, messages, message = map(list, zip(*details, strict=True))
    writer.write(
        "klaviyo",
        "campaigns_detailed",
        {
            **campaign_columns,
            "estimated_recipient_count": pa.array(recipients, pa.int64()),
            "campaign_messages": pa.array(messages, pa.string()),
            "campaign_message": pa.array(message, pa.string()),
        },
        when,
    )


def _campaign_attributes(world: World, i: int, status: str, when: int, created: int) -> dict:
    """Campaign i's attributes in the version of `status`, updated at `when`."""
    send = int(world.campaign_send_ms[i])
    channel = world.campaign_channels[i]
    return {
        "name": world.campaign_names[i],
        "status": status,
        "archived": False,
        "channel": channel,
        "audiences": {"included": [world.list_ids[0]], "excluded": []},
        "send_options": {"use_smart_sending": True, "ignore_unsubscribes": False},
        "tracking_options": {
            "is_add_utm": True,
            "is_tracking_clicks": True,
            "is_tracking_opens": True,
            "utm_params": [
                {"name": "utm_source", "value": "klaviyo"},
                {"name": "utm_medium", "value": channel},
                {"name": "utm_campaign", "value": world.campaign_utm[i]},
            ],
        },
        "send_strategy": {
            "method": "static",
            "options_static": {"datetime": _iso(send), "is_local": False},
        },
        "created_at": _iso(created),
        "scheduled_at": _iso(created),
        "updated_at": _iso(when),
        "send_time": _iso(send) if status == "Sent" else None,
        "message": world.campaign_message_ids[i],
    }


def _campaign_message(world: World, i: int) -> dict:
    """Campaign i's message: an email's subject and sender, or an SMS body."""
    name = world.campaign_names[i]
    return {
        "type": "campaign-message",
        "id": world.campaign_message_ids[i],
        "attributes": {
            "label": name,
            "channel": world.campaign_channels[i],
            "content": {
                "subject": name,
                "preview_text": "New this week at Northwind",
                "from_email": "hello@northwind-outfitters.com",
                "from_label": "Northwind Outfitters",
            }
            if world.campaign_channels[i] == "email"
            else {"body": f"Northwind: {name}. Shop now, reply STOP to opt out"},
        },
    }


def _write_small(
    writer: Writer,
    world: World,
    table: str,
    kind: str,
    names: list[str],
    ids: list[str],
    extra: Callable[[int], dict],
) -> None:
    """A small stream delivered once, long before the history: flows, metrics or lists.

    `extra(i)` gives the i-th record's attributes beyond its name and times.
    """
    t = np.array([int(world.clock.day0_ms - (40 + 13 * i) * DAY_MS) for i in range(len(ids))])
    writer.write(
        "klaviyo",
        table,
        {
            "type": pa.array([kind] * len(ids)),
            "id": pa.array(ids),
            "updated": ts(t),
            "attributes": pa.array(
                [
                    compact_json(
                        {
                            "name": name,
                            "created": _iso(int(x)),
                            "updated": _iso(int(x)),
                            **extra(i),
                        }
                    )
                    for i, (name, x) in enumerate(zip(names, t, strict=True))
                ]
            ),
            "relationships": pa.array(["{}"] * len(ids)),
            "links": pa.array([compact_json({"self": f"{API}/{table}/{i}/"}) for i in ids]),
        },
        t,
    )


def _list_memberships(world: World, p: np.ndarray, orders: np.ndarray) -> pa.Array:
    """The lists each profile is on (JSON:API identifiers, comma-separated): subscribers on
    the newsletter, customers with 3+ orders on VIP, some on SMS and the waitlist."""
    on = [p % 7 != 0, orders >= 3, p % 5 == 0, p % 11 == 0]  # in LISTS order
    entries = [
        [f'{{"type":"list","id":"{world.list_ids[k]}"}}' for k in range(len(LISTS)) if on[k][i]]
        for i in range(len(p))
    ]
    return pa.array([",".join(e) for e in entries])


def _iso(ms: int) -> str:
    return _iso_utc(np.array([ms])).to_pylist()[0]
