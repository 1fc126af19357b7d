"""The sample-data generator on the real engine: deterministic, coherent across sources,
Airbyte-shaped (re-delivery, restated GA4 days) and carrying a known share of bad input.

Expected values are computed here from the raw rows (Python or a second SQL formulation),
never copied from the generator's output.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from ecom_analytics.sample_data import DEFAULT_SEED, RAW_TABLES, generate, truncate_raw
from ecom_analytics.sample_data.common import SHOP_OFFSET_MS
from helpers import raw_message_campaigns

SCALE = 0.03
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)  # pinned, so every load of the module is the same
DATABASES = {
    "shopify": "raw_shopify",
    "klaviyo": "raw_klaviyo",
    "ga4": "raw_ga4",
    "ga4_export": "raw_ga4_export",
}
# the GA4 export's Parquet layout (the default) has its own load time and no Airbyte columns
LOADED_AT = {"raw_ga4_export": "_loaded_at"}


def all_tables():
    return [(DATABASES[s], t) for s, tables in RAW_TABLES.items() for t in tables]


def checksums(client) -> dict[str, tuple[int, int]]:
    """(row count, order-independent hash of every column) per raw table."""
    return {
        f"{db}.{table}": tuple(
            client.query(
                "select count(), groupBitXor(cityHash64(formatRowNoNewline('TSV', *)))"
                f" from {db}.{table}"
            ).result_rows[0]
        )
        for db, table in all_tables()
    }


def shop_day_start(moment: datetime) -> datetime:
    """The start, in UTC, of the shop's day (its time zone) that `moment` falls in."""
    offset = timedelta(milliseconds=SHOP_OFFSET_MS)
    return datetime.combine((moment + offset).date(), datetime.min.time(), UTC) - offset


def test_cli_loads_every_raw_table(provisioned, tmp_path):
    """Runs first: later tests hold an in-process connection, so no subprocess may open the path."""
    summary_path = tmp_path / "summary.json"
    before = datetime.now(UTC)
    provisioned.cli(
        "sample", "--scale", str(SCALE), "--replace", "--summary-json", str(summary_path)
    )
    after = datetime.now(UTC)
    summary = json.loads(summary_path.read_text())
    with provisioned.client() as client:
        for db, table in all_tables():
            count, last_extracted = client.query(
                f"select count(), max({LOADED_AT.get(db, '_airbyte_extracted_at')}) "
                f"from {db}.{table}"
            ).result_rows[0]
            source = next(s for s, d in DATABASES.items() if d == db)
            # Background merges may already have collapsed re-delivered rows.
            assert 0 < count <= summary["rows"][f"{source}.{table}"], f"{db}.{table}"
            # Without --as-of the history ends now: every table has rows of the last sync,
            # which started 10 minutes before the minute the command ran in. The export's
            # newest rows are the intraday table of the shop's day, streamed in that sync; a
            # day with no event yet has none, and then the newest are the day before's, loaded
            # at its end.
            earliest = before - timedelta(minutes=11)
            if db == DATABASES["ga4_export"]:
                earliest = min(earliest, shop_day_start(before))
            last_extracted = last_extracted.replace(tzinfo=UTC)
            assert earliest <= last_extracted <= after, f"{db}.{table}"


def test_replace_says_the_views_targets_keep_their_old_rows(provisioned):
    """With a materialized view on a raw table (as after `dbt build`), `--replace` warns that
    its target still holds what it computed from the replaced rows; without one it is silent."""
    with provisioned.client() as client:
        client.command("create database data_probe")
        client.command("create table data_probe.orders (id Int64) engine = MergeTree order by id")
        client.command(
            "create materialized view data_probe.orders_raw_shopify to data_probe.orders"
            " as select id from raw_shopify.orders"
        )
    try:
        result = provisioned.cli("sample", "--scale", "0.01", "--replace", "--as-of", "2026-11-01")
    finally:
        with provisioned.client() as client:
            client.command("drop database data_probe sync")
    assert "1 materialized view(s) built on them still hold the rows" in result.stderr
    assert "make dbt-build" in result.stderr
    silent = provisioned.cli("sample", "--scale", "0.01", "--replace", "--as-of", "2026-11-01")
    assert "note:" not in silent.stderr


@pytest.mark.parametrize("scale", ["0", "-1", "nan", "inf", "lots"])
@pytest.mark.parametrize("option", ["--scale", "--klaviyo-scale"])
def test_a_scale_that_is_not_a_positive_number_is_refused(project, option, scale):
    result = project.cli_process("sample", option, scale, check=False)
    assert result.returncode == 2
    assert f"argument {option}: " in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def raw(provisioned):
    """One connection for the rest of the module, with merges stopped on the raw tables so
    re-delivered rows stay visible (ReplacingMergeTree would collapse them at any moment)."""
    with provisioned.client() as client:
        for db, table in all_tables():
            client.command(f"system stop merges {db}.{table}")
        yield client


def load(client, seed: int = DEFAULT_SEED, as_of: datetime = AS_OF):
    truncate_raw(client, DATABASES)
    return generate(client, DATABASES, SCALE, seed, progress=False, as_of=as_of)


@pytest.fixture(scope="module")
def loaded(raw):
    writer = load(raw)
    return raw, writer


def test_rows_written_are_rows_stored(loaded):
    client, writer = loaded
    for db, table in all_tables():
        count = client.query(f"select count() from {db}.{table}").result_rows[0][0]
        source = next(s for s, d in DATABASES.items() if d == db)
        assert writer.rows[f"{source}.{table}"] == count > 0, f"{db}.{table}"


def test_same_seed_same_rows_other_seed_other_rows(loaded):
    client, _ = loaded
    first = checksums(client)
    load(client)
    assert checksums(client) == first
    load(client, seed=7)
    other = checksums(client)
    differing = [t for t in first if first[t][1] != other[t][1]]
    assert "raw_shopify.orders" in differing and "raw_klaviyo.events" in differing
    # the same seed with another as-of: the same business, a week later
    load(client, as_of=AS_OF + timedelta(days=7))
    later = checksums(client)
    assert all(later[t][1] != first[t][1] for t in first)
    assert client.query("select max(_airbyte_extracted_at) from raw_shopify.orders").result_rows[0][
        0
    ].replace(tzinfo=UTC) <= AS_OF + timedelta(days=7)
    # Back to the default data set for the other tests of this module.
    load(client)
    assert checksums(client) == first


def test_airbyte_metadata_shape(loaded):
    client, _ = loaded
    for db, table in all_tables():
        if db in LOADED_AT:
            continue
        bad = client.query(f"""
            select countIf(not match(_airbyte_raw_id, '^[0-9a-f]{{8}}-[0-9a-f]{{4}}-4'))
                   + countIf(JSONExtractUInt(_airbyte_meta, 'sync_id') = 0)
                   + countIf(JSONExtractRaw(_airbyte_meta, 'changes') != '[]')
                   + countIf(_airbyte_extracted_at > toDateTime64('{AS_OF:%Y-%m-%d %H:%M:%S}', 3))
                   + countIf(_airbyte_extracted_at < toDateTime64('{AS_OF:%Y-%m-%d %H:%M:%S}', 3)
                             - interval 180 day)
                   + (count() - uniqExact(_airbyte_raw_id))
            from {db}.{table}""").result_rows[0][0]
        assert bad == 0, f"{db}.{table}: malformed Airbyte metadata"


def test_placed_order_events_match_shopify_orders(loaded):
    client, _ = loaded
    orders = dict(
        client.query(
            "select id, argMax(total_price, updated_at) from raw_shopify.orders group by id"
        ).result_rows
    )
    placed = client.query("""
        select JSONExtractString(attributes, 'event_properties', '$event_id'),
               JSONExtractRaw(attributes, 'event_properties', '$value'),
               JSONExtractString(attributes, 'event_properties', '$attributed_message'),
               JSONExtractString(attributes, 'event_properties', '$attributed_flow')
        from raw_klaviyo.events
        where JSONExtractString(relationships, 'metric', 'data', 'id') = (
            select any(id) from raw_klaviyo.metrics
            where JSONExtractString(attributes, 'name') = 'Placed Order')
          and isValidJSON(attributes)""").result_rows
    campaign_messages = raw_message_campaigns(client)
    assert len(placed) > 0.9 * len(orders)
    for event_id, value, _, _ in placed:
        assert int(event_id) in orders
        assert str(orders[int(event_id)]).rstrip("0").rstrip(".") == value.rstrip("0").rstrip(".")
    attributed = [p for p in placed if p[2] or p[3]]
    assert 0.2 < len(attributed) / len(placed) < 0.4
    by_campaign = [p for p in attributed if not p[3]]
    assert by_campaign and all(p[2] in campaign_messages for p in by_campaign)


def test_customers_are_profiles(loaded):
    client, _ = loaded
    customers = {
        e for (e,) in client.query("select distinct email from raw_shopify.customers").result_rows
    }
    profiles = {
        e
        for (e,) in client.query("""
        select distinct JSONExtractString(attributes, 'email') from raw_klaviyo.profiles
        where isValidJSON(attributes)""").result_rows
    }
    lowered = {p.lower() for p in profiles}
    assert sum(c.lower() in lowered for c in customers) > 0.95 * len(customers)
    case_only = [c for c in customers if c not in profiles and c.lower() in lowered]
    assert 0 < len(case_only) < 0.2 * len(customers)


def test_utm_campaigns_and_pages_name_real_entities(loaded):
    client, _ = loaded
    landing = [
        s for (s,) in client.query("select landing_site from raw_shopify.orders").result_rows
    ]
    campaign_utms = {
        u
        for (u,) in client.query("""
        select JSONExtractString(p, 'value')
        from raw_klaviyo.campaigns
        array join
            JSONExtractArrayRaw(ifNull(attributes, ''), 'tracking_options', 'utm_params') as p
        where JSONExtractString(p, 'name') = 'utm_campaign'""").result_rows
    }
    handles = {
        h for (h,) in client.query("select distinct handle from raw_shopify.products").result_rows
    }
    pages = [
        p
        for (p,) in client.query(
            "select distinct pagePathPlusQueryString from raw_ga4.pages"
        ).result_rows
    ]
    sources = set(
        client.query(
            "select distinct sessionSource, sessionMedium from raw_ga4.traffic_sources"
        ).result_rows
    )
    klaviyo_utms = [parse_qs(urlsplit(s).query) for s in landing if "utm_source=klaviyo" in s]
    assert klaviyo_utms
    assert all(q["utm_campaign"][0] in campaign_utms for q in klaviyo_utms)
    assert ("klaviyo", "email") in sources and ("google", "organic") in sources
    product_pages = [re.match(r"/products/([^?]+)", p) for p in pages]
    product_pages = [m.group(1) for m in product_pages if m]
    assert len(set(product_pages)) > 0.9 * len(handles)
    assert set(product_pages) <= handles
    assert any("?" in p for p in pages if p.startswith("/products/"))


def test_redelivery_and_restatement(loaded):
    client, _ = loaded
    changed, unchanged = client.query("""
        select countIf(versions > 1), countIf(copies > versions)
        from (select id, uniqExact(updated_at) as versions, count() as copies
              from raw_shopify.orders group by id)""").result_rows[0]
    states = {
        s
        for (s,) in client.query(
            "select distinct financial_status from raw_shopify.orders"
        ).result_rows
    }
    restated = client.query("""
        select countIf(n = 2 and figures = 2), count()
        from (select date, sessionSource, sessionMedium, count() as n,
                     uniqExact(sessions) as figures
              from raw_ga4.traffic_sources group by all)""").result_rows[0]
    assert changed > 0 and unchanged > 0
    assert {"paid", "partially_refunded", "refunded"} <= states
    # Every date but the newest arrives twice; most rows change between the two reads.
    assert restated[0] > 0.5 * restated[1]


MONEY_SETS = {  # money-set column -> the shop-currency column it restates (None: no column)
    "total_price_set": "total_price",
    "subtotal_price_set": "subtotal_price",
    "total_tax_set": "total_tax",
    "total_discounts_set": "total_discounts",
    "total_shipping_price_set": None,
    "current_total_price_set": "current_total_price",
    "total_line_items_price_set": "total_line_items_price",
}


def test_presentment_money(loaded):
    client, _ = loaded
    plain = [c for c in MONEY_SETS.values() if c]
    rows = client.query(
        f"select id, currency, presentment_currency, {', '.join(plain)}, {', '.join(MONEY_SETS)}"
        " from raw_shopify.orders"
    ).named_results()
    ratios: dict[str, list[tuple[Decimal, Decimal]]] = {}
    foreign_orders, orders = set(), set()
    for row in rows:
        orders.add(row["id"])
        for set_column, column in MONEY_SETS.items():
            money = json.loads(row[set_column])
            shop = Decimal(money["shop_money"]["amount"])
            presented = Decimal(money["presentment_money"]["amount"])
            assert money["shop_money"]["currency_code"] == row["currency"]
            assert money["presentment_money"]["currency_code"] == row["presentment_currency"]
            if column:
                assert shop == row[column], (row["id"], set_column)
            if row["presentment_currency"] == row["currency"]:
                assert presented == shop
            else:
                foreign_orders.add(row["id"])
                ratios.setdefault(row["presentment_currency"], []).append((shop, presented))
    # One fixed rate per currency: every amount is the shop amount times it, to the cent.
    assert len(ratios) >= 2
    for currency, pairs in ratios.items():
        shop, presented = max(pairs)
        rate = presented / shop
        assert rate != 1, currency
        for shop, presented in pairs:
            assert abs(presented - shop * rate) <= Decimal("0.01"), (currency, shop, presented)
    assert 0.05 < len(foreign_orders) / len(orders) < 0.2


def test_bad_input_share(loaded):
    client, writer = loaded
    bad = writer.bad
    malformed_orders, orders = client.query(
        "select countIf(not isValidJSON(line_items)), count() from raw_shopify.orders"
    ).result_rows[0]
    malformed_events, events = client.query(
        "select countIf(not isValidJSON(attributes)), count() from raw_klaviyo.events"
    ).result_rows[0]
    no_profile = client.query("""
        select count() from raw_klaviyo.events
        where not JSONHas(relationships, 'profile')""").result_rows[0][0]
    bad_datetime = client.query("""
        select count() from raw_klaviyo.events
        where isValidJSON(attributes)
          and parseDateTime64BestEffortOrNull(JSONExtractString(attributes, 'datetime')) is null
        """).result_rows[0][0]
    odd_status = client.query("""
        select count() from raw_shopify.orders
        where financial_status not in ('pending', 'paid', 'partially_refunded', 'refunded',
                                       'voided')""").result_rows[0][0]
    assert malformed_orders == bad["shopify.orders.malformed_json"] > 0
    assert malformed_events == bad["klaviyo.events.malformed_json"] > 0
    assert no_profile == bad["klaviyo.events.missing_profile"] > 0
    assert bad_datetime == bad["klaviyo.events.unparsable_datetime"] > 0
    assert odd_status == bad["shopify.orders.unexpected_enum"]
    share = (malformed_orders + malformed_events + no_profile + bad_datetime) / (orders + events)
    assert 0.002 < share < 0.02


def test_replace_refuses_a_server_target_without_yes(provisioned):
    # The refusal comes before any connection: the server named here is never contacted.
    saved = provisioned.env
    provisioned.env = {
        **saved,
        "CLICKHOUSE_HOST": "clickhouse.invalid",
        "CLICKHOUSE_USER": "nobody",
        "CLICKHOUSE_PASSWORD": "unused",
    }
    try:
        result = provisioned.cli_process("--target", "cloud", "sample", "--replace", check=False)
    finally:
        provisioned.env = saved
    assert result.returncode != 0
    assert "--yes" in result.stderr
