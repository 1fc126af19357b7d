"""What GA4 received from the site, kept for the Data API reports (ga4.py derives every report
row from it): one row per session, one per event GA4 received (purchases sent twice twice,
purchases that never arrived not at all) and one per item of those events. Sessions come from
the same draw as the export's events, so the two GA4 sources of the sample agree.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ecom_analytics.sample_data.ga4_export import pages as p
from ecom_analytics.sample_data.ga4_export.sessions import Sessions

ENGAGED_MS = 10_000  # GA4: a session longer than 10 seconds is engaged


@dataclass
class Traffic:
    """Session rows (client .. engaged), event rows (session .. revenue_cents) and item rows
    (item_event .. item_revenue_cents); strings are numpy object arrays."""

    client: np.ndarray
    known: np.ndarray  # some event of the session carries its ga_session_id
    start_ms: np.ndarray  # the session's first and last events that carry its ga_session_id
    end_ms: np.ndarray
    source: np.ndarray
    medium: np.ndarray
    device: np.ndarray  # index into ga4.DEVICES
    city: np.ndarray  # index into world CITIES
    new: np.ndarray  # the client's first session (it has first_visit)
    engaged: np.ndarray  # by GA4's definition
    session: np.ndarray  # the event's session (row of the session arrays)
    time_ms: np.ndarray
    name: np.ndarray  # index into pages.NAMES
    page: pa.Array  # path and query string of page_location
    revenue_cents: np.ndarray  # purchase revenue, 0 off purchases
    item_event: np.ndarray  # the item's event (row of the event arrays)
    item_name: pa.Array
    quantity: np.ndarray
    item_revenue_cents: np.ndarray

    @classmethod
    def concat(cls, parts: list[Traffic]) -> Traffic:
        """The traffic of several order batches, as one."""
        sessions = np.cumsum([0] + [len(part.client) for part in parts])
        events = np.cumsum([0] + [len(part.session) for part in parts])
        columns = {}
        for field in fields(cls):
            shift = {"session": sessions, "item_event": events}.get(field.name)
            values = [getattr(part, field.name) for part in parts]
            if shift is not None:
                values = [column + shift[i] for i, column in enumerate(values)]
            arrow = isinstance(values[0], pa.Array)
            columns[field.name] = pa.concat_arrays(values) if arrow else np.concatenate(values)
        return cls(**columns)


def received_traffic(
    s: Sessions,
    session: np.ndarray,
    name: np.ndarray,
    time_ms: np.ndarray,
    duration_ms: np.ndarray,
    new: np.ndarray,
    table: pa.Table,
    host: str,
) -> Traffic:
    """The traffic of one order batch: sessions `s`, and per export row of `table` its session,
    event name, time and (user_engagement) engagement time; `new` marks first sessions."""
    n = len(s.client)
    params = table.column("event_params").combine_chunks()
    entries = pc.list_flatten(params)
    # GA4 counts a session by its ga_session_id: events without one are in no session
    with_id = np.zeros(len(name), bool)
    key = pc.equal(entries.field("key"), "ga_session_id")
    with_id[pc.list_parent_indices(params).filter(key).to_numpy()] = True
    start = np.full(n, np.iinfo(np.int64).max)
    end = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(start, session[with_id], time_ms[with_id])
    np.maximum.at(end, session[with_id], time_ms[with_id])
    counted = np.where(with_id, name, -1)
    page_views = np.bincount(session, counted == p.PAGE_VIEW, n)
    purchases = np.bincount(session, counted == p.PURCHASE, n)
    engagement = np.bincount(session, np.where(counted == p.USER_ENGAGEMENT, duration_ms, 0), n)
    engaged = (
        (end - start > ENGAGED_MS) | (page_views >= 2) | (purchases > 0) | (engagement > ENGAGED_MS)
    )
    location = pc.equal(entries.field("key"), "page_location")
    page = pc.utf8_slice_codeunits(
        entries.field("value").field("string_value").filter(location), len("https://" + host)
    )
    owner = pc.list_parent_indices(params).filter(location).to_numpy()
    assert np.array_equal(owner, np.arange(len(name)))  # one page_location per event
    revenue = table.column("ecommerce").combine_chunks().field("purchase_revenue")
    items = table.column("items").combine_chunks()
    item = pc.list_flatten(items)
    return Traffic(
        client=s.client,
        known=end >= start,
        start_ms=start,
        end_ms=end,
        source=s.source,
        medium=s.medium,
        device=s.device,
        city=s.city,
        new=new,
        engaged=engaged,
        session=session,
        time_ms=time_ms,
        name=name,
        page=page,
        revenue_cents=_cents(revenue),
        item_event=pc.list_parent_indices(items).to_numpy(),
        item_name=item.field("item_name"),
        quantity=item.field("quantity").fill_null(0).to_numpy(),
        item_revenue_cents=_cents(item.field("item_revenue")),
    )


def _cents(values: pa.Array) -> np.ndarray:
    """Dollars (NULL as 0) as integer cents."""
    return np.round(values.fill_null(0).to_numpy(zero_copy_only=False) * 100).astype(np.int64)
