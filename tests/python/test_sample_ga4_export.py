"""The sample's GA4 BigQuery export: its Parquet files and what the loader made of them.

The files are written here again, for the pinned sample's world (same seed, scale and as-of),
and read back with pyarrow; the expected figures come from those files and from the pinned
sample's raw Shopify tables, never from the generator's own arrays.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ecom_analytics.sample_data import DEFAULT_SEED
from ecom_analytics.sample_data.common import Clock
from ecom_analytics.sample_data.ga4_export import _write_files
from ecom_analytics.sample_data.ga4_export import events as export_events
from ecom_analytics.sample_data.world import Sizes, World
from helpers import Project

SCALE, AS_OF = 0.02, datetime(2026, 11, 1, tzinfo=UTC)  # the pinned sample (conftest.py)
HOST = "www.northwind-outfitters.com"


def write_files(folder: Path, seed: int = DEFAULT_SEED, field: str = "id") -> list:
    world = World(seed, Sizes.from_scale(SCALE), Clock(AS_OF))
    return sorted(_write_files(world, folder, field))


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list:
    """[(loaded_ms, export_type, path)] of the pinned sample's export, in delivery order."""
    return write_files(tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="module")
def events(files) -> list[dict]:
    """Every delivered event row, with the delivery's export type and file."""
    rows = []
    for _, export_type, path in files:
        for row in pq.read_table(path).to_pylist():
            rows.append({**row, "_export_type": export_type, "_file": path})
    return rows


@pytest.fixture(scope="module")
def web_orders(pinned_sample) -> dict[str, tuple]:
    """Shopify web orders of the pinned sample: id -> (name, order_number)."""
    rows = pinned_sample.query(
        "select toString(id), any(name), any(order_number) from raw_shopify.orders "
        "where source_name = 'web' group by id"
    )
    return {id_: (name, number) for id_, name, number in rows}


def params(event: dict) -> dict:
    return {p["key"]: p["value"] for p in event["event_params"]}


def param(event: dict, key: str):
    value = params(event).get(key)
    if value is None:
        return None
    return next(v for v in value.values() if v is not None)


def daily(events: list[dict]) -> list[dict]:
    return [e for e in events if e["_export_type"] == "daily"]


def unique_daily(events: list[dict]) -> list[dict]:
    """The daily tables' events, each once (a re-exported day brings its events again)."""
    found = {}
    for e in daily(events):
        found.setdefault(key(e) + (e["batch_page_id"], e["batch_event_index"]), e)
    return list(found.values())


def key(event: dict) -> tuple:
    return (event["user_pseudo_id"], event["event_timestamp"], event["event_name"])


def test_the_loader_loaded_exactly_the_files(pinned_sample, events):
    loaded = pinned_sample.query(
        "select export_type, count(), countDistinct(_loaded_at) from raw_ga4_export.events "
        "group by export_type order by export_type"
    )
    deliveries = Counter(e["_export_type"] for e in events)
    files = {t: len({e["_file"] for e in events if e["_export_type"] == t}) for t in deliveries}
    assert loaded == [(t, deliveries[t], files[t]) for t in sorted(deliveries)]


def test_most_web_orders_have_a_purchase_event_naming_them(events, web_orders):
    purchases = [e for e in daily(events) if e["event_name"] == "purchase"]
    named = {e["ecommerce"]["transaction_id"] for e in purchases} - {None}
    assert named <= web_orders.keys()  # transaction ids name real web orders
    share = len(named) / len(web_orders)
    assert 0.80 <= share <= 0.90, share  # consent and blockers lose 10-20 %
    # a few purchases sent twice (the same transaction id at another time), a few without one
    per_id = Counter(
        (e["ecommerce"]["transaction_id"], e["event_timestamp"])
        for e in purchases
        if e["ecommerce"]["transaction_id"]
    )
    ids = Counter(tid for tid, _ in per_id)
    assert 1 <= sum(1 for n in ids.values() if n == 2) <= 0.05 * len(ids)
    assert max(ids.values()) == 2
    missing = [e for e in purchases if e["ecommerce"]["transaction_id"] is None]
    assert 1 <= len(missing) <= 0.05 * len(purchases)


def test_purchase_events_carry_the_orders_items_and_amounts(events, pinned_sample):
    orders = {
        str(id_): (subtotal, shipping, tax, units)
        for id_, subtotal, shipping, tax, units in pinned_sample.query(
            "select id, any(subtotal_price), any(toDecimal64(JSONExtractString("
            "assumeNotNull(total_shipping_price_set), 'shop_money', 'amount'), 2)), "
            "any(total_tax), any(arraySum(x -> JSONExtractInt(x, 'quantity'), "
            "JSONExtractArrayRaw(assumeNotNull(line_items)))) from raw_shopify.orders "
            "where source_name = 'web' and isValidJSON(line_items) group by id"
        )
    }
    checked = 0
    for e in daily(events):
        tid = e["ecommerce"] and e["ecommerce"]["transaction_id"]
        if e["event_name"] != "purchase" or tid not in orders:
            continue
        subtotal, shipping, tax, units = orders[tid]
        ecommerce = e["ecommerce"]
        assert round(ecommerce["purchase_revenue"], 2) == float(subtotal), tid
        assert round(ecommerce["shipping_value"], 2) == float(shipping), tid
        assert round(ecommerce["tax_value"], 2) == float(tax), tid
        assert sum(i["quantity"] for i in e["items"]) == ecommerce["total_item_quantity"] == units
        assert round(sum(i["item_revenue"] for i in e["items"]), 2) == float(subtotal), tid
        checked += 1
    assert checked > 100


def test_the_transaction_id_follows_the_var(tmp_path, web_orders):
    by_name = write_files(tmp_path, field="name")
    names = {name for name, _ in web_orders.values()}
    found = {
        e["ecommerce"]["transaction_id"]
        for _, export_type, path in by_name
        if export_type == "daily"
        for e in pq.read_table(path, columns=["event_name", "ecommerce"]).to_pylist()
        if e["event_name"] == "purchase" and e["ecommerce"]["transaction_id"]
    }
    assert found and found <= names


def test_every_session_is_a_plausible_sequence(events, pinned_sample):
    handles = {
        h for (h,) in pinned_sample.query("select distinct handle from raw_shopify.products")
    }
    sessions = defaultdict(list)
    rows = unique_daily(events)
    for e in rows:
        assert param(e, "ga_session_number") is not None, e["event_name"]
        assert e["device"]["web_info"]["hostname"] == HOST
        location = param(e, "page_location")
        assert location.startswith(f"https://{HOST}/")
        if "/products/" in location:
            assert location.split("/products/")[1].split("?")[0] in handles
        sessions[(e["user_pseudo_id"], param(e, "ga_session_number"))].append(e)
    names = Counter()
    for (_, number), session in sessions.items():
        session.sort(
            key=lambda e: (e["event_timestamp"], e["batch_page_id"], e["batch_event_index"])
        )
        first = [e["event_name"] for e in session[:3]]
        assert first[: 3 if number == 1 else 2] in (
            ["first_visit", "session_start", "page_view"],
            ["session_start", "page_view"],
        ), first
        assert ("first_visit" in first) == (number == 1)
        ids = {param(e, "ga_session_id") for e in session} - {None}
        assert ids == {session[0]["event_timestamp"] // 1_000_000}  # GA4's: the start second
        names.update(e["event_name"] for e in session)
    expected = {
        "session_start", "first_visit", "page_view", "view_item_list", "select_item",
        "view_item", "add_to_cart", "begin_checkout", "add_shipping_info", "add_payment_info",
        "purchase", "user_engagement", "scroll",
    }  # fmt: skip
    assert set(names) == expected
    engagement = [param(e, "engagement_time_msec") for e in rows]
    assert sum(1 for v in engagement if v) == names["user_engagement"]


def test_item_lists_carry_their_name_and_a_text_index(events):
    lists = [e for e in daily(events) if e["event_name"] in ("view_item_list", "select_item")]
    assert lists
    for e in lists:
        for item in e["items"]:
            assert item["item_list_name"] in ("Collection: All", "Search results")
            assert isinstance(item["item_list_index"], str)


def test_the_exports_quirks_are_there(events):
    rows = daily(events)
    assert 0 < sum(param(e, "ga_session_id") is None for e in rows) < 0.01 * len(rows)
    engaged = Counter(type(param(e, "session_engaged")).__name__ for e in rows)
    assert engaged["int"] > 0 and engaged["str"] > 0
    # user_id only on logged-in users' events: some have one, most do not
    with_user = sum(e["user_id"] is not None for e in rows)
    assert 0 < with_user < 0.7 * len(rows)
    assert {e["traffic_source"]["name"] for e in rows} >= {"(direct)", "(data deleted)"}
    # older exports lack session_traffic_source_last_click: NULL leaves then
    last_click = [e["session_traffic_source_last_click"]["manual_campaign"]["source"] for e in rows]
    assert None in last_click and any(last_click)
    assert all(e["is_active_user"] for e in rows)
    assert all(e["is_active_user"] is None for e in events if e["_export_type"] == "intraday")


def test_intraday_events_come_again_in_the_daily_table(events):
    intraday = [e for e in events if e["_export_type"] == "intraday"]
    by_day = defaultdict(set)
    for e in daily(events):
        by_day[e["event_date"]].add(key(e))
    days = {e["event_date"] for e in intraday}
    assert len(days) >= 2
    replaced = [e for e in intraday if e["event_date"] in by_day]
    assert replaced and all(key(e) in by_day[e["event_date"]] for e in replaced)
    # the day in progress has its intraday table only
    assert max(days) not in by_day


def test_a_re_exported_day_brings_its_events_again_with_late_ones(events):
    deliveries = defaultdict(lambda: defaultdict(set))  # day -> file -> event keys
    for e in daily(events):
        deliveries[e["event_date"]][e["_file"].name.split("_")[0]].add(key(e))
    again = {day: files for day, files in deliveries.items() if len(files) > 1}
    pairs = [tuple(files[name] for name in sorted(files)) for files in again.values()]
    assert pairs and all(first <= second for first, second in pairs)  # everything again ...
    assert any(first < second for first, second in pairs)  # ... and late events


def test_the_same_seed_writes_the_same_files_and_another_seed_others(tmp_path, files):
    again = write_files(tmp_path / "again")
    assert [(ms, t, p.relative_to(p.parents[1])) for ms, t, p in again] == [
        (ms, t, p.relative_to(p.parents[1])) for ms, t, p in files
    ]
    for (_, _, mine), (_, _, theirs) in zip(files, again, strict=True):
        assert pq.read_table(mine).equals(pq.read_table(theirs)), mine.name
    other = write_files(tmp_path / "other", seed=7)
    assert not pq.read_table(other[0][2]).equals(pq.read_table(files[0][2]))


@pytest.fixture(scope="module")
def airbyte(tmp_path_factory) -> Project:
    """The pinned sample loaded in the Airbyte layout, nothing built."""
    airbyte = Project(tmp_path_factory.mktemp("airbyte"))
    airbyte.vars = {"ga4_export_layout": "airbyte"}
    layout = ("--vars", "{ga4_export_layout: airbyte}")
    airbyte.cli(*layout, "provision")
    airbyte.cli(*layout, "sample", "--scale", str(SCALE), "--as-of", AS_OF.date().isoformat())
    return airbyte


def test_the_airbyte_layout_holds_the_same_events_as_json_text(pinned_sample, airbyte):
    """The pinned sample loaded in the Airbyte layout: the same deliveries, records as JSON
    text that parses back to the Parquet layout's values."""
    fields = "event_name, event_timestamp, user_pseudo_id, batch_page_id, batch_event_index"
    parquet = pinned_sample.query(
        f"select {fields}, arrayMap(p -> p.key, event_params), "
        "ecommerce.transaction_id, toDecimal128(ecommerce.purchase_revenue, 2), "
        "arrayMap(i -> i.item_id, items), device.web_info.hostname, "
        "toString(_loaded_at) from raw_ga4_export.events"
    )
    as_json = airbyte.query(
        f"select {fields}, "
        "arrayMap(p -> JSONExtractString(p, 'key'), "
        "JSONExtractArrayRaw(ifNull(event_params, '[]'))), "
        "JSONExtract(ecommerce, 'transaction_id', 'Nullable(String)'), "
        "toDecimal128(JSONExtract(ecommerce, 'purchase_revenue', 'Nullable(Float64)'), 2), "
        "arrayMap(i -> JSONExtractString(i, 'item_id'), JSONExtractArrayRaw(ifNull(items, '[]'))), "
        "JSONExtractString(device, 'web_info', 'hostname'), "
        "toString(_airbyte_extracted_at) from raw_ga4_export.events"
    )
    assert len(parquet) > 1000
    assert sorted(as_json, key=repr) == sorted(parquet, key=repr)


def test_the_airbyte_layout_gives_the_same_curated_rows(pinned_sample, airbyte):
    """Both layouts of the pinned sample's export, curated: the same events and items, row for
    row (the property id comes with the Parquet loader only; the load times are the same)."""
    for project in (pinned_sample, airbyte):
        project.dbt("run", "-s", "ga4__events", "ga4__event_items")
    for model, order in (("events", "event_key"), ("event_items", "event_key, item_position")):
        sql = (
            f"select * except (property_id, _version) from data_ga4.{model} final order by {order}"
        )
        parquet = pinned_sample.query(sql)
        assert len(parquet) > 1000, model
        assert airbyte.query(sql) == parquet, model


def test_large_string_columns_build_one_array():
    """pyarrow converts a large NumPy string array (a batch of 100k orders' item ids, from
    scale 10 up) into chunks, which a struct or list array cannot hold: the columns are built
    as one array whatever the batch's size."""
    n = 1_000_000
    ids = np.char.add(np.char.add("shopify_US_", np.arange(n).astype(str)), "_4000000000001")
    column = export_events._array(ids, pa.string())
    assert isinstance(column, pa.StringArray) and len(column) == n
    assert column[n - 1].as_py() == f"shopify_US_{n - 1}_4000000000001"
    masked = export_events._only(np.arange(n) % 2 == 0, ids)
    assert isinstance(masked, pa.StringArray) and masked.null_count == n // 2
    assert pa.StructArray.from_arrays([column, masked], names=["a", "b"]).type.num_fields == 2


def test_an_order_batch_cut_in_parts_keeps_each_orders_fields_and_items():
    """The export draws a large order batch in parts (bounded memory): each part holds its
    orders' per-order values and exactly their line items, positions counted from the part."""
    from ecom_analytics.sample_data.common import rng_for
    from ecom_analytics.sample_data.shopify.orders import draw_orders, slice_orders

    world = World(DEFAULT_SEED, Sizes.from_scale(SCALE), Clock(AS_OF))
    whole = draw_orders(world, rng_for(world.seed, "orders", 0), 0, 150)
    cuts = [(0, 40), (40, 41), (41, 150)]
    parts = [slice_orders(whole, lo, hi) for lo, hi in cuts]
    for (lo, hi), part in zip(cuts, parts, strict=True):
        assert list(part.batch.index) == list(range(lo, hi))
        for i in range(hi - lo):
            order = lo + i
            assert part.batch.ids[i] == whole.batch.ids[order]
            assert part.batch.landing_site[i].as_py() == whole.batch.landing_site[order].as_py()
            assert part.amounts.total_cents[i] == whole.amounts.total_cents[order]
            assert part.life.refund_ms[i] == whole.life.refund_ms[order]
            assert part.refund.total_cents[i] == whole.refund.total_cents[order]
            assert part.referrer[i] == whole.referrer[order]
            items = [j for j in range(len(whole.items.order)) if whole.items.order[j] == order]
            mine = [j for j in range(len(part.items.order)) if part.items.order[j] == i]
            assert [whole.items.variant[j] for j in items] == [part.items.variant[j] for j in mine]
            assert [whole.refund.item_quantity[j] for j in items] == [
                part.refund.item_quantity[j] for j in mine
            ]
            assert [whole.batch.item_quantity[j] for j in items] == [
                part.batch.item_quantity[j] for j in mine
            ]
            assert all(part.batch.item_order[j] == i for j in mine)
    assert sum(len(p.items.order) for p in parts) == len(whole.items.order)
