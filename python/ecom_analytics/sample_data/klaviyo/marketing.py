"""Klaviyo's marketing streams, few rows built in plain Python: campaigns (draft, then sent)
and their detailed form, flows, metrics, lists."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from ecom_analytics.sample_data.common import DAY_MS, Writer, compact_json, rng_for, ts
from ecom_analytics.sample_data.klaviyo.api import API, iso_text
from ecom_analytics.sample_data.world import FLOWS, LISTS, METRICS, World


def write_marketing(writer: Writer, world: World) -> None:
    """Campaigns (draft, then sent), their detailed form, flows, metrics, lists: few rows."""
    rng = rng_for(world.seed, "klaviyo-small")
    _write_campaigns(writer, world, rng)
    _write_small(
        writer,
        world,
        "flows",
        "flow",
        [flow[0] for flow in FLOWS],
        world.flow_ids,
        lambda k: {"status": "live", "archived": False, "trigger_type": FLOWS[k][1]},
    )
    _write_small(
        writer,
        world,
        "metrics",
        "metric",
        [metric[0] for metric in METRICS],
        world.metric_ids,
        lambda k: {
            "integration": {
                "object": "integration",
                "id": f"int{k}",
                "name": METRICS[k][1],
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
        lambda k: {"opt_in_process": "single_opt_in"},
    )


def _write_campaigns(writer: Writer, world: World, rng: np.random.Generator) -> None:
    """Each campaign as a draft and once sent (versions past NOW never happen), in the plain
    and the detailed stream."""
    rows, details = _campaign_versions(world, rng)
    kind, ids, when, attributes, relationships, links = map(list, zip(*rows, strict=True))
    when = np.array(when)
    campaign_columns = {
        "type": pa.array(kind),
        "id": pa.array(ids),
        "updated_at": ts(when),
        "attributes": pa.array(attributes),
        "relationships": pa.array(relationships),
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


def _campaign_versions(world: World, rng: np.random.Generator) -> tuple[list, list]:
    """Each campaign version's record (type, id, time, JSON attributes, relationships and
    links) and what the detailed stream adds (recipients, the message as an array or not)."""
    sends = world.campaign_send_ms
    created = sends - rng.integers(2, 10, len(sends)) * DAY_MS
    rows, details = [], []
    for campaign, campaign_id in enumerate(world.campaign_ids):
        versions = (("Draft", int(created[campaign])), ("Sent", int(sends[campaign]) + 3_600_000))
        for status, when in versions:
            if when >= world.clock.now_ms:
                continue
            message_id = world.campaign_message_ids[campaign]
            relationships = {
                "campaign-messages": {"data": [{"type": "campaign-message", "id": message_id}]},
                "tags": {"data": []},
            }
            attributes = _campaign_attributes(world, campaign, status, when, int(created[campaign]))
            rows.append(
                (
                    "campaign",
                    campaign_id,
                    when,
                    compact_json(attributes),
                    compact_json(relationships),
                    compact_json({"self": f"{API}/campaigns/{campaign_id}/"}),
                )
            )
            message = _campaign_message(world, campaign)
            # connector 2.x delivers one `campaign_message` object, older ones an array
            single = campaign % 2 == 1
            details.append(
                (
                    int(rng.integers(2_000, 9_000) * max(1, world.sizes.customers // 3_000)),
                    None if single else compact_json([message]),
                    compact_json(message) if single else None,
                )
            )
    return rows, details


def _campaign_attributes(world: World, campaign: int, status: str, when: int, created: int) -> dict:
    """The campaign's attributes in the version of `status`, updated at `when`."""
    send = int(world.campaign_send_ms[campaign])
    channel = world.campaign_channels[campaign]
    return {
        "name": world.campaign_names[campaign],
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
                {"name": "utm_campaign", "value": world.campaign_utm[campaign]},
            ],
        },
        "send_strategy": {
            "method": "static",
            "options_static": {"datetime": iso_text(send), "is_local": False},
        },
        "created_at": iso_text(created),
        "scheduled_at": iso_text(created),
        "updated_at": iso_text(when),
        "send_time": iso_text(send) if status == "Sent" else None,
        "message": world.campaign_message_ids[campaign],
    }


def _campaign_message(world: World, campaign: int) -> dict:
    """The campaign's message: an email's subject and sender, or an SMS body."""
    name = world.campaign_names[campaign]
    return {
        "type": "campaign-message",
        "id": world.campaign_message_ids[campaign],
        "attributes": {
            "label": name,
            "channel": world.campaign_channels[campaign],
            "content": {
                "subject": name,
                "preview_text": "New this week at Northwind",
                "from_email": "hello@northwind-outfitters.com",
                "from_label": "Northwind Outfitters",
            }
            if world.campaign_channels[campaign] == "email"
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

    `extra(k)` gives the k-th record's attributes beyond its name and times.
    """
    updated = np.array([int(world.clock.day0_ms - (40 + 13 * k) * DAY_MS) for k in range(len(ids))])
    writer.write(
        "klaviyo",
        table,
        {
            "type": pa.array([kind] * len(ids)),
            "id": pa.array(ids),
            "updated": ts(updated),
            "attributes": pa.array(
                [
                    compact_json(
                        {
                            "name": name,
                            "created": iso_text(int(when)),
                            "updated": iso_text(int(when)),
                            **extra(k),
                        }
                    )
                    for k, (name, when) in enumerate(zip(names, updated, strict=True))
                ]
            ),
            "relationships": pa.array(["{}"] * len(ids)),
            "links": pa.array(
                [compact_json({"self": f"{API}/{table}/{record_id}/"}) for record_id in ids]
            ),
        },
        updated,
    )
