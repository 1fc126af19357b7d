"""The GA4 export's event rows (EXPORT_SCHEMA) of one order batch: the sessions and pages of
sessions.py and pages.py as Google writes them, nested records and repeated params included,
with the export's quirks: purchases missing (consent, blockers) or sent twice or without a
transaction id, a few events without ga_session_id, user_id on logged-in users only,
session_engaged as the int 1 or the string '1', placeholders in the first-touch source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ecom_analytics.sample_data.common import DAY_MS, SHOP_OFFSET_MS, rng_for
from ecom_analytics.sample_data.ga4 import DEVICES, SOURCES
from ecom_analytics.sample_data.ga4_export import pages as p
from ecom_analytics.sample_data.ga4_export.schema import EXPORT_SCHEMA
from ecom_analytics.sample_data.ga4_export.sessions import Sessions, draw_sessions, hashed_uniform
from ecom_analytics.sample_data.ga4_export.traffic import Traffic, received_traffic
from ecom_analytics.sample_data.shopify.orders import Orders
from ecom_analytics.sample_data.world import CITIES, World

STREAM_ID = "4178806201"
BRAND = "Northwind Outfitters"
MISSING_PURCHASE = 0.15  # web orders whose purchase event never arrives
DOUBLE_PURCHASE = 0.02  # purchases sent twice (the thank-you page reloaded)
NO_TRANSACTION_ID = 0.01
NO_SESSION_ID = 0.003  # events without ga_session_id
STRING_ENGAGED = 0.3  # sessions whose session_engaged is the string '1'
LAST_CLICK_FROM_DAY = 60  # older exports lack session_traffic_source_last_click
CONTINENTS = {
    "United States": ("Americas", "Northern America"),
    "Canada": ("Americas", "Northern America"),
    "United Kingdom": ("Europe", "Northern Europe"),
    "Germany": ("Europe", "Western Europe"),
}


class Clients:
    """What the export knows of each client across order batches: sessions so far, first touch
    and how the client was first acquired. Customers visited before the history began."""

    def __init__(self, world: World, n: int):
        customers = world.sizes.customers
        self.sessions = np.zeros(n, np.int64)
        self.sessions[:customers] = 1 + (hashed_uniform(np.arange(customers), 4) * 5).astype(int)
        self.first_touch_ms = np.full(n, -1, np.int64)
        self.first_touch_ms[:customers] = world.profile_created_ms[:customers]
        first = (hashed_uniform(np.arange(n), 5) * len(SOURCES)).astype(int)
        self.source = np.array([s[0] for s in SOURCES], object)[first]
        self.medium = np.array([s[1] for s in SOURCES], object)[first]
        self.id_part = 100_000_000 + (hashed_uniform(np.arange(n), 6) * 1.9e9).astype(np.int64)

    def number_sessions(self, s: Sessions) -> np.ndarray:
        """ga_session_number of each session (sorted by start), recording the first touches."""
        order = np.lexsort((s.start_ms, s.client))
        client = s.client[order]
        starts = np.flatnonzero(np.append(True, client[1:] != client[:-1]))
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.append(starts, len(order))))
        number = np.empty(len(order), np.int64)
        number[order] = self.sessions[client] + rank + 1
        first = number == 1
        self.first_touch_ms[s.client[first]] = s.start_ms[first]
        self.source[s.client[first]] = s.source[first]
        self.medium[s.client[first]] = s.medium[first]
        np.add.at(self.sessions, s.client, 1)
        return number


@dataclass
class Batch:
    """One order batch's export rows (EXPORT_SCHEMA), each row's event time (epoch ms) and
    what GA4 received, for the Data API reports."""

    table: pa.Table
    time_ms: np.ndarray
    traffic: Traffic


def export_events(world: World, orders: Orders, clients: Clients, transaction_field: str) -> Batch:
    """The export rows of one order batch's sessions, sorted by session and time."""
    rng = rng_for(world.seed, "ga4_export", int(orders.batch.index[0]))
    s = draw_sessions(world, rng, orders)
    pages = p.draw_pages(world, rng, orders, s)
    session_number = clients.number_sessions(s)
    e = p.page_events(rng, s, pages, session_number == 1)
    session = pages.session[e.page]
    purchase = e.name == p.PURCHASE
    keep = np.flatnonzero(~(purchase & (rng.random(len(e.name)) < MISSING_PURCHASE)))
    twice = keep[purchase[keep] & (rng.random(len(keep)) < DOUBLE_PURCHASE)]
    rows = np.concatenate([keep, twice])
    time_ms = np.concatenate([e.time_ms[keep], e.time_ms[twice] + 20_000])
    again = np.concatenate([np.zeros(len(keep), bool), np.ones(len(twice), bool)])
    by_time = np.lexsort((time_ms, session[rows]))  # stable: ties keep the page's order
    rows, time_ms, again = rows[by_time], time_ms[by_time], again[by_time]
    args = (s, pages, e, rows, time_ms, again, session_number, clients, transaction_field)
    table = _table(world, rng, orders, *args)
    page = e.page[rows]
    traffic = received_traffic(
        s, pages.session[page], e.name[rows], time_ms, pages.duration_ms[page],
        session_number == 1, table, world.host,
    )  # fmt: skip
    return Batch(table, time_ms, traffic)


def _table(world, rng, orders, s, pages, e, rows, time_ms, again, number, clients, field):
    """The export columns of the event rows `rows` (rows of `e`; `again` marks a purchase sent
    a second time), for sessions `s` numbered `number`."""
    n = len(rows)
    page = e.page[rows]
    name = e.name[rows]
    session = pages.session[page]
    client = s.client[session]
    host = "https://" + world.host
    handles = np.array(world.product_handles, object)
    product = pages.product[page]
    path = np.where(
        pages.kind[page] == p.PRODUCT,
        "/products/" + handles[np.maximum(product, 0)],
        np.array(p.PATHS, object)[pages.kind[page]],
    )
    first_page = pages.number[page] == 0
    query = np.where(
        first_page & (s.landing_query[session] != ""), "?" + s.landing_query[session], ""
    )
    location = host + path + query
    titles = np.array(world.product_titles, object)
    title = (
        np.where(
            pages.kind[page] == p.PRODUCT,
            titles[np.maximum(product, 0)],
            np.array(p.TITLES, object)[pages.kind[page]],
        )
        + " – "
        + BRAND
    )
    previous = np.where(first_page, s.referrer[session], "")
    prev_page = np.maximum(page - 1, 0)
    prev_path = np.where(
        pages.kind[prev_page] == p.PRODUCT,
        "/products/" + handles[np.maximum(pages.product[prev_page], 0)],
        np.array(p.PATHS, object)[pages.kind[prev_page]],
    )
    previous = np.where(first_page, previous, host + prev_path)
    session_id = s.start_ms[session] // 1000
    engaged = (pages.number[page] > 0) | (time_ms - s.start_ms[session] > 10_000)
    string_engaged = rng.random(len(s.client)) < STRING_ENGAGED
    tagged = first_page & (s.source[session] != "(direct)") & (name <= p.PAGE_VIEW)
    params = _Params(n)
    params.add(rng.random(n) >= NO_SESSION_ID, "ga_session_id", i=session_id)
    params.add(np.ones(n, bool), "ga_session_number", i=number[session])
    params.add(np.ones(n, bool), "page_location", s=location)
    params.add(name == p.PAGE_VIEW, "page_referrer", s=previous, when=previous != "")
    params.add(np.ones(n, bool), "page_title", s=title)
    params.add(first_page & (name == p.PAGE_VIEW), "entrances", i=np.ones(n, np.int64))
    duration = pages.duration_ms[page]
    params.add(name == p.USER_ENGAGEMENT, "engagement_time_msec", i=duration)
    params.add(name == p.SCROLL, "percent_scrolled", i=np.full(n, 90))
    as_text = string_engaged[session]
    params.add(engaged & ~as_text, "session_engaged", i=np.ones(n, np.int64))
    params.add(engaged & as_text, "session_engaged", s=np.full(n, "1", object))
    params.add(tagged, "source", s=s.source[session])
    params.add(tagged, "medium", s=s.medium[session])
    params.add(tagged, "campaign", s=s.campaign[session], when=s.campaign[session] != None)  # noqa: E711
    cpc = tagged & (s.medium[session] == "cpc")
    gclid = np.array([f"Cj0KCQ{x:010d}" for x in session_id], object)
    params.add(cpc, "gclid", s=gclid)
    items, ecommerce, value = _items(world, rng, orders, s, pages, page, name, again, field)
    params.add(value >= 0, "currency", s=np.full(n, "USD", object))
    params.add(value >= 0, "value", d=value / 100)
    event_date = ((time_ms + SHOP_OFFSET_MS) // DAY_MS).astype("datetime64[D]").astype(str)
    # one sub-millisecond offset per session: events of one instant keep one timestamp
    micros = time_ms * 1000 + rng.integers(0, 1000, len(s.client))[session]
    device = np.array(DEVICES, object)[s.device[session]]
    city = np.array(CITIES, object)[s.city[session]]
    logged_in = s.logged_in[session]
    customer_ids = world.customer_ids[np.minimum(client, world.sizes.customers - 1)]
    first_source, first_medium = clients.source[client], clients.medium[client]
    deleted = hashed_uniform(client, 7) < 0.01
    first_name = np.select(
        [deleted, first_medium == "(none)", first_medium == "organic", first_medium == "referral"],
        ["(data deleted)", "(direct)", "(organic)", "(referral)"],
        "(not set)",
    )
    last_click = (time_ms - world.clock.day0_ms) >= LAST_CLICK_FROM_DAY * DAY_MS
    campaign_name = np.where(s.campaign[session] != None, s.campaign[session], "(not set)")  # noqa: E711
    columns = {
        "event_date": np.char.replace(event_date, "-", ""),
        "event_timestamp": micros,
        "event_name": np.array(p.NAMES, object)[name],
        "event_params": params.array(),
        "event_previous_timestamp": pa.nulls(n, pa.int64()),
        "event_value_in_usd": pa.array(value / 100, mask=value < 0),
        "event_bundle_sequence_id": pa.array(pages.number[page] + 1 + again * 1000),
        "event_server_timestamp_offset": rng.integers(100, 900_000, n),
        "user_id": pa.array(customer_ids.astype(str), mask=~logged_in),
        "user_pseudo_id": np.char.add(
            clients.id_part[client].astype(str),
            np.char.add(".", (clients.first_touch_ms[client] // 1000).astype(str)),
        ),
        "privacy_info": _struct(
            "privacy_info",
            n,
            analytics_storage=np.full(n, "Yes", object),
            ads_storage=np.where(hashed_uniform(client, 8) < 0.8, "Yes", "No"),
            uses_transient_token=np.full(n, "No", object),
        ),
        "user_properties": pa.array([[]] * n, EXPORT_SCHEMA.field("user_properties").type),
        "user_first_touch_timestamp": clients.first_touch_ms[client] * 1000,
        "user_ltv": _struct("user_ltv", n),
        "device": _struct(
            "device",
            n,
            category=device[:, 0],
            operating_system=device[:, 1],
            browser=device[:, 2],
            language=np.full(n, "en-us", object),
            is_limited_ad_tracking=np.full(n, "No", object),
            web_info=dict(browser=device[:, 2], hostname=np.full(n, world.host, object)),
        ),
        "geo": _struct(
            "geo",
            n,
            city=city[:, 0],
            region=city[:, 1],
            country=city[:, 2],
            continent=np.array([CONTINENTS[c][0] for c in city[:, 2]], object),
            sub_continent=np.array([CONTINENTS[c][1] for c in city[:, 2]], object),
            metro=np.full(n, "(not set)", object),
        ),
        "app_info": _struct("app_info", n),
        "traffic_source": _struct(
            "traffic_source", n, name=first_name, medium=first_medium, source=first_source
        ),
        "stream_id": np.full(n, STREAM_ID, object),
        "platform": np.full(n, "WEB", object),
        "event_dimensions": _struct("event_dimensions", n, hostname=np.full(n, world.host, object)),
        "ecommerce": ecommerce,
        "items": items,
        "collected_traffic_source": _struct(
            "collected_traffic_source",
            n,
            manual_source=_only(tagged, s.source[session]),
            manual_medium=_only(tagged, s.medium[session]),
            manual_campaign_name=_only(tagged, s.campaign[session]),
            gclid=_only(cpc, gclid),
        ),
        "is_active_user": pa.nulls(n, pa.bool_()),  # set per delivery
        "batch_event_index": e.step[rows],
        "batch_ordering_id": pages.number[page] + 1 + again * 1000,
        "batch_page_id": pages.number[page] + 1 + again * 1000,
        "session_traffic_source_last_click": _struct(
            "session_traffic_source_last_click",
            n,
            manual_campaign=dict(
                source=_only(last_click, s.source[session]),
                medium=_only(last_click, s.medium[session]),
                campaign_name=_only(last_click, campaign_name),
            ),
            cross_channel_campaign=dict(
                source=_only(last_click, s.source[session]),
                medium=_only(last_click, s.medium[session]),
                campaign_name=_only(last_click, campaign_name),
            ),
        ),
    }
    arrays = [_array(columns[f.name], f.type) for f in EXPORT_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=EXPORT_SCHEMA)


def _items(world, rng, orders, s, pages, page, name, again, field):
    """The items array, the ecommerce record and the event value (cents, -1 without one)."""
    n = len(page)
    batch, items = orders.batch, orders.items
    session = pages.session[page]
    with_order = s.order[session] >= 0
    first_variant = np.searchsorted(world.variant_product, np.maximum(pages.product[page], 0))
    listing = (name == p.VIEW_ITEM_LIST) | (name == p.SELECT_ITEM)
    list_name = np.where(pages.kind[page] == p.SEARCH, "Search results", "Collection: All")
    checkout = (name >= p.BEGIN_CHECKOUT) & (name <= p.PURCHASE)
    from_order = checkout & with_order
    order = np.maximum(s.order[session], 0)
    count = np.bincount(items.order, minlength=len(batch.index))
    first_item = np.cumsum(count) - count
    per_event = np.select(
        [name == p.VIEW_ITEM_LIST, from_order, (name == p.VIEW_ITEM) | (name == p.SELECT_ITEM)
         | (name == p.ADD_TO_CART) | checkout],
        [4, count[order], 1],
        0,
    )  # fmt: skip
    owner = np.repeat(np.arange(n), per_event)
    position = np.arange(len(owner)) - np.repeat(np.cumsum(per_event) - per_event, per_event)
    line = first_item[order[owner]] + position
    cart_variant = np.where(pages.variant[page] >= 0, pages.variant[page], first_variant)
    popular = rng.choice(len(world.variant_ids), len(owner), p=world.variant_weights)
    next_product = np.searchsorted(
        world.variant_product,
        np.maximum(pages.product[np.minimum(page + 1, len(pages.kind) - 1)], 0),
    )
    kind = name[owner]
    variant = np.select(
        [from_order[owner], kind == p.VIEW_ITEM_LIST, kind == p.SELECT_ITEM],
        [items.variant[np.minimum(line, len(items.variant) - 1)], popular, next_product[owner]],
        cart_variant[owner],
    )
    quantity = np.where(
        from_order[owner],
        items.quantity[np.minimum(line, len(items.variant) - 1)],
        np.maximum(pages.quantity[page][owner], 1),
    )
    price = world.variant_price_cents[variant]
    discount = np.where(
        from_order[owner], items.discount_cents[np.minimum(line, len(items.variant) - 1)], 0
    )
    revenue = price * quantity - discount
    index = np.where(kind == p.SELECT_ITEM, rng.integers(1, 5, len(owner)), position + 1)
    index_text = np.where(rng.random(len(owner)) < 0.005, "(not set)", index.astype(str))
    product = world.variant_product[variant]
    item_fields = {
        "item_id": np.char.add(
            np.char.add("shopify_US_", world.product_ids[product].astype(str)),
            np.char.add("_", world.variant_ids[variant].astype(str)),
        ),
        "item_name": np.array(world.product_titles, object)[product],
        "item_brand": np.full(len(owner), BRAND, object),
        "item_variant": world.variant_titles[variant],
        "item_category": np.array(world.product_types, object)[product],
        "price_in_usd": price / 100,
        "price": price / 100,
        "quantity": quantity,
        "item_revenue_in_usd": _only(kind == p.PURCHASE, revenue / 100),
        "item_revenue": _only(kind == p.PURCHASE, revenue / 100),
        "item_list_id": _only(
            listing[owner], np.where(list_name[owner] == "Search results", "search", "all")
        ),
        "item_list_name": _only(listing[owner], list_name[owner]),
        "item_list_index": _only(listing[owner], index_text),
    }  # fmt: skip
    item_type = EXPORT_SCHEMA.field("items").type
    values = _struct_of(item_type.value_type, len(owner), item_fields)
    offsets = np.concatenate([[0], np.cumsum(per_event)]).astype(np.int32)
    item_list = pa.ListArray.from_arrays(pa.array(offsets), values, type=item_type)
    subtotal = np.bincount(owner, revenue, n).astype(np.int64)
    units = np.bincount(owner, quantity, n).astype(np.int64)
    purchase = name == p.PURCHASE
    value = np.where((name == p.ADD_TO_CART) | checkout, subtotal, -1)
    ids = {
        "id": batch.ids.astype(str),
        "name": np.char.add("#", (1001 + batch.index).astype(str)),
        "order_number": (1001 + batch.index).astype(str),
    }[field]
    transaction = _only(purchase & (rng.random(n) >= NO_TRANSACTION_ID), ids[order])
    shipping = orders.amounts.shipping_cents[order] / 100
    tax = orders.amounts.tax_cents[order] / 100
    ecommerce = _struct(
        "ecommerce",
        n,
        total_item_quantity=_only(per_event > 0, units),
        purchase_revenue_in_usd=_only(purchase, subtotal / 100),
        purchase_revenue=_only(purchase, subtotal / 100),
        shipping_value_in_usd=_only(purchase, shipping),
        shipping_value=_only(purchase, shipping),
        tax_value_in_usd=_only(purchase, tax),
        tax_value=_only(purchase, tax),
        unique_items=_only(per_event > 0, per_event),
        transaction_id=transaction,
    )
    return item_list, ecommerce, value


def _whole(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One array: pyarrow converts a large NumPy string array (a batch of 100k orders' events)
    into chunks, which a struct or list cannot hold."""
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _only(mask: np.ndarray, values: np.ndarray) -> pa.Array:
    """values where mask holds, NULL elsewhere (and where a value is None)."""
    return _whole(pa.array(np.asarray(values), mask=~np.asarray(mask, bool), from_pandas=True))


def _array(values, type_: pa.DataType) -> pa.Array:
    return values if isinstance(values, pa.Array) else _whole(pa.array(values, type_))


def _struct_of(type_: pa.StructType, n: int, values: dict) -> pa.StructArray:
    """A struct array of `type_`: the given fields (nested dicts for nested records), NULL
    leaves for the rest."""
    arrays = []
    for field in type_:
        value = values.get(field.name)
        if isinstance(value, dict):
            arrays.append(_struct_of(field.type, n, value))
        elif value is None:
            arrays.append(
                _struct_of(field.type, n, {}) if pa.types.is_struct(field.type)
                else pa.array([[]] * n, field.type) if pa.types.is_list(field.type)
                else pa.nulls(n, field.type)
            )  # fmt: skip
        else:
            arrays.append(_array(value, field.type).cast(field.type))
    return pa.StructArray.from_arrays(arrays, fields=list(type_))


def _struct(column: str, n: int, **values) -> pa.StructArray:
    return _struct_of(EXPORT_SCHEMA.field(column).type, n, values)


class _Params:
    """The event_params of n events, added key by key."""

    def __init__(self, n: int):
        self.n = n
        self.parts: list[tuple[np.ndarray, str, str, np.ndarray]] = []

    def add(self, mask, key, when=None, s=None, i=None, d=None) -> None:
        """Give the events where `mask` (and `when`) hold the param `key`, with its string,
        int or double value."""
        mask = np.asarray(mask, bool) & (True if when is None else np.asarray(when, bool))
        kind, values = next((k, v) for k, v in (("s", s), ("i", i), ("d", d)) if v is not None)
        self.parts.append((np.flatnonzero(mask), key, kind, np.asarray(values)[mask]))

    def array(self) -> pa.ListArray:
        event = np.concatenate([part[0] for part in self.parts])
        rank = np.concatenate([np.full(len(part[0]), k) for k, part in enumerate(self.parts)])
        order = np.lexsort((rank, event))
        n_rows = len(event)
        columns = {}
        for kind, type_ in (("s", pa.string()), ("i", pa.int64()), ("d", pa.float64())):
            chunks = [
                pa.array(part[3], type_) if part[2] == kind else pa.nulls(len(part[0]), type_)
                for part in self.parts
            ]
            columns[kind] = pa.concat_arrays(chunks).take(pa.array(order))
        keys = pa.array(
            np.concatenate([np.full(len(part[0]), part[1], object) for part in self.parts]),
            pa.string(),
        ).take(pa.array(order))
        value = pa.StructArray.from_arrays(
            [columns["s"], columns["i"], pa.nulls(n_rows, pa.float64()), columns["d"]],
            ["string_value", "int_value", "float_value", "double_value"],
        )
        entries = pa.StructArray.from_arrays([keys, value], ["key", "value"])
        offsets = np.concatenate([[0], np.cumsum(np.bincount(event, minlength=self.n))])
        return pa.ListArray.from_arrays(
            pa.array(offsets.astype(np.int32)),
            entries,
            type=EXPORT_SCHEMA.field("event_params").type,
        )
