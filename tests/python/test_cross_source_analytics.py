"""GA4 and cross-source analytics on the sample data: page views per product, orders per channel
and day, and the freshness of every raw table reconcile with figures computed here in Python
from the raw rows (GA4's channel rules applied in Python from the seed file); the channels of a
day add up to Shopify's net sales; each freshness status appears where its thresholds say and
`dbt source freshness` agrees; GA4 restating days and a re-delivered Shopify batch leave every
model equal to a rebuild.

Python parses and dedups the raw rows itself (newest per key), never with FINAL.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from helpers import Project, models_snapshot, newest_per_key, rows
from helpers.ga4_sessions import channel_group

# the thresholds of dbt_project.yml (vars freshness_warn_hours / freshness_error_hours)
WARN_HOURS = {"shopify": 8, "klaviyo": 8, "ga4": 30, "ga4_export": 30}
ERROR_HOURS = {"shopify": 24, "klaviyo": 24, "ga4": 48, "ga4_export": 48}


@pytest.fixture(scope="module")
def site(standard):
    return standard


# --- page views per product ---------------------------------------------------------------------


def report_date(text: str | None) -> date | None:
    """A GA4 'YYYYMMDD' date, or None when it is not one (curated keeps such rows flagged)."""
    try:
        return datetime.strptime(text or "", "%Y%m%d").date()
    except ValueError:
        return None


def raw_product_handles(client) -> dict[str, int]:
    found = rows(client, "select id, handle, updated_at from raw_shopify.products where id > 0")
    current = newest_per_key(found, key=lambda r: r["id"], version=lambda r: r["updated_at"])
    return {r["handle"]: r["id"] for r in current.values() if r["handle"]}


def test_page_views_per_product_match_raw(site):
    with site.client() as client:
        handles = raw_product_handles(client)
        pages = rows(
            client,
            "select property_id, date, hostName, pagePathPlusQueryString, screenPageViews, "
            "_airbyte_extracted_at from raw_ga4.pages",
        )
        found = rows(
            client,
            "select product_id, engagement_date, page_views "
            "from analytics_cross_source.product_engagement where page_views > 0",
        )
    pages.sort(key=lambda r: r["_airbyte_extracted_at"])
    current = newest_per_key(
        pages,
        key=lambda r: (r["property_id"], r["date"], r["hostName"], r["pagePathPlusQueryString"]),
        version=lambda r: r["_airbyte_extracted_at"],
    )
    expected: Counter = Counter()
    for page in current.values():
        match = re.match(r"/products/([^/?#]+)", urlsplit(page["pagePathPlusQueryString"]).path)
        day = report_date(page["date"])
        product = handles.get(unquote(match.group(1))) if match else None
        if product is not None and day is not None:
            expected[(product, day)] += page["screenPageViews"] or 0
    assert len(expected) > 100
    assert {(r["product_id"], r["engagement_date"]): r["page_views"] for r in found} == dict(
        +expected
    )


# --- channel revenue ----------------------------------------------------------------------------


def order_channel(order: dict) -> str:
    query = parse_qs(urlsplit(order["landing_site"] or "").query)
    utm_source, utm_medium = query.get("utm_source", [None])[0], query.get("utm_medium", [None])[0]
    if utm_source or utm_medium:
        return channel_group(utm_source or "(not set)", utm_medium or "(not set)")
    host = urlsplit(order["referring_site"] or "").hostname or ""
    if host:
        return channel_group(host, "referral")
    return channel_group("(direct)", "(none)")


def test_orders_per_channel_and_day_match_raw(site):
    with site.client() as client:
        orders = rows(
            client,
            "select id, test, landing_site, referring_site, created_at, processed_at, updated_at, "
            "_airbyte_extracted_at from raw_shopify.orders where id > 0",
        )
        found = rows(
            client,
            "select revenue_date, default_channel_group, orders "
            "from analytics_cross_source.channel_revenue where orders > 0",
        )
    orders.sort(key=lambda r: r["_airbyte_extracted_at"])
    current = newest_per_key(orders, key=lambda r: r["id"], version=lambda r: r["updated_at"])
    expected: Counter = Counter()
    for order in current.values():
        if order["test"]:
            continue
        placed = order["processed_at"] or order["created_at"] or order["updated_at"]
        expected[(placed.date(), order_channel(order))] += 1
    assert {channel for _, channel in expected} >= {"Direct", "Email", "Paid Search"}
    assert {(r["revenue_date"], r["default_channel_group"]): r["orders"] for r in found} == dict(
        expected
    )


def test_channels_of_a_day_add_up_to_shopify_net_sales(site):
    with site.client() as client:
        by_channel = dict(
            client.query(
                "select revenue_date, sum(net_revenue) from analytics_cross_source.channel_revenue "
                "group by revenue_date having sum(orders) > 0 or sum(net_revenue) != 0"
            ).result_rows
        )
        daily = dict(
            client.query(
                "select sales_date, sum(net_sales) from analytics_shopify.shopify_daily_sales "
                "group by sales_date"
            ).result_rows
        )
    assert len(daily) > 30
    assert by_channel == daily


def test_channel_sessions_are_the_ga4_report_sessions(site):
    with site.client() as client:
        sessions = dict(
            client.query(
                "select revenue_date, sum(sessions) from analytics_cross_source.channel_revenue "
                "group by revenue_date having sum(sessions) > 0"
            ).result_rows
        )
        traffic = rows(
            client,
            "select date, sessionSource, sessionMedium, sessions, _airbyte_extracted_at "
            "from raw_ga4.traffic_sources",
        )
    traffic.sort(key=lambda r: r["_airbyte_extracted_at"])
    current = newest_per_key(
        traffic,
        key=lambda r: (r["date"], r["sessionSource"], r["sessionMedium"]),
        version=lambda r: r["_airbyte_extracted_at"],
    )
    expected: Counter = Counter()
    for row in current.values():
        day = report_date(row["date"])
        if day is not None and row["sessions"]:
            expected[day] += row["sessions"]
    assert sessions == dict(expected)


# --- data freshness -----------------------------------------------------------------------------


def test_freshness_of_every_raw_table_matches_raw(site):
    with site.client() as client:
        tables = rows(
            client,
            "select database, name from system.tables "
            "where database in ('raw_shopify', 'raw_klaviyo', 'raw_ga4', 'raw_ga4_export') "
            "and engine like '%MergeTree'",
        )
        found = rows(
            client,
            "select source_name, source_database, source_table, last_loaded_at, checked_at, "
            "lag_minutes, rows_last_24h, total_rows, status "
            "from analytics_cross_source.data_freshness",
        )
        expected = {}
        for t in tables:
            # the newest delivery of a table survives in raw (a newer version is never
            # extracted before an older one), so raw's max is the load log's
            # the GA4 export's Parquet layout records its load time in _loaded_at
            loaded_at = (
                "_loaded_at" if t["database"] == "raw_ga4_export" else "_airbyte_extracted_at"
            )
            newest, loaded = client.query(
                f"select max({loaded_at}), count() from {t['database']}.{t['name']}"
            ).result_rows[0]
            expected[(t["database"], t["name"])] = (newest if loaded else None, loaded)
    assert len(found) == len(tables) == 29
    for r in found:
        newest, loaded = expected[(r["source_database"], r["source_table"])]
        assert (r["last_loaded_at"], r["total_rows"]) == (newest, loaded), r
        lag = (r["checked_at"] - newest).total_seconds() / 60
        assert abs(r["lag_minutes"] - lag) <= 0.1, r
        hours = lag / 60
        status = (
            "stale"
            if hours > ERROR_HOURS[r["source_name"]]
            else "late"
            if hours > WARN_HOURS[r["source_name"]]
            else "fresh"
        )
        assert r["status"] == status, r


def test_deliveries_show_at_once_and_count_every_version(provisioned_template, tmp_path_factory):
    """A version, an update and a re-delivery of one customer, 30 h, 2 h and 1 h ago: the load
    log counts the two deliveries of the last 24 hours even after raw collapsed all three
    into one row, and data_freshness shows them with no dbt run."""
    project = provisioned_template.copy_into(Project(tmp_path_factory.mktemp("loads")))
    project.dbt("run", "--select", "+data_freshness")
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    deliveries = [
        (now - timedelta(hours=30), now - timedelta(hours=31)),
        (now - timedelta(hours=2), now - timedelta(hours=3)),
        (now - timedelta(hours=1), now - timedelta(hours=3)),  # the same version again
    ]
    columns = "_airbyte_raw_id, _airbyte_extracted_at, _airbyte_meta, _airbyte_generation_id"
    with project.client() as client:
        for number, (extracted, updated) in enumerate(deliveries):
            client.command(
                f"insert into raw_shopify.customers ({columns}, id, updated_at) values "
                f"('d-{number}', '{extracted:%Y-%m-%d %H:%M:%S}', '{{}}', 1, 7, "
                f"'{updated:%Y-%m-%d %H:%M:%S}')"
            )
        client.command("optimize table raw_shopify.customers final")
        assert client.query("select count() from raw_shopify.customers").result_rows == [(1,)]
        found = rows(
            client,
            "select source_table, last_loaded_at, rows_last_24h, total_rows, status "
            "from analytics_cross_source.data_freshness "
            "where source_table in ('customers', 'orders') and source_database = 'raw_shopify'"
            " order by source_table",
        )
    assert found == [
        {
            "source_table": "customers",
            "last_loaded_at": now - timedelta(hours=1),
            "rows_last_24h": 2,
            "total_rows": 1,
            "status": "fresh",
        },
        {
            "source_table": "orders",
            "last_loaded_at": None,
            "rows_last_24h": 0,
            "total_rows": 0,
            "status": "stale",
        },
    ]


@pytest.fixture(scope="module")
def freshness_cases(provisioned_template, tmp_path_factory):
    """A new project whose raw tables were loaded 1 h, 10 h, 30 h and 40 h ago, or never."""
    project = provisioned_template.copy_into(Project(tmp_path_factory.mktemp("freshness")))
    now = datetime.now(UTC).replace(tzinfo=None)
    loads = {
        "raw_shopify.orders": 1,  # fresh: within 8 h
        "raw_shopify.customers": 10,  # late: past 8 h, within 24 h
        "raw_shopify.products": 30,  # stale: past 24 h
        "raw_ga4.pages": 40,  # late for GA4: past 30 h, within 48 h
        "raw_ga4.website_overview": 29,  # fresh for GA4
    }
    with project.client() as client:
        for table, hours in loads.items():
            loaded = now - timedelta(hours=hours)
            columns = (
                "_airbyte_raw_id, _airbyte_extracted_at, _airbyte_meta, _airbyte_generation_id"
            )
            client.command(
                f"insert into {table} ({columns}) "
                f"values ('r-{hours}', '{loaded:%Y-%m-%d %H:%M:%S}', '{{}}', 1)"
            )
    project.dbt("run", "--select", "+data_freshness")
    result = project.dbt("source", "freshness", check=False)
    sources = json.loads((project.workdir / "target" / "sources.json").read_text())
    with project.client() as client:
        statuses = {
            f"{r['source_database']}.{r['source_table']}": r["status"]
            for r in rows(
                client,
                "select source_database, source_table, status "
                "from analytics_cross_source.data_freshness",
            )
        }
    return statuses, sources, result


def test_each_freshness_status_follows_its_thresholds(freshness_cases):
    statuses, _, _ = freshness_cases
    assert statuses["raw_shopify.orders"] == "fresh"
    assert statuses["raw_shopify.customers"] == "late"
    assert statuses["raw_shopify.products"] == "stale"
    assert statuses["raw_ga4.pages"] == "late"
    assert statuses["raw_ga4.website_overview"] == "fresh"
    assert statuses["raw_klaviyo.events"] == "stale"  # never loaded
    assert len(statuses) == 29  # the GA4 export's events too


def test_dbt_source_freshness_agrees_with_data_freshness(freshness_cases):
    statuses, sources, _ = freshness_cases
    dbt_status = {"pass": "fresh", "warn": "late", "error": "stale", "runtime error": "stale"}
    database = {
        "shopify": "raw_shopify",
        "klaviyo": "raw_klaviyo",
        "ga4": "raw_ga4",
        "ga4_export": "raw_ga4_export",
    }
    compared = 0
    for result in sources["results"]:
        _, _, source_name, table = result["unique_id"].split(".")
        assert dbt_status[result["status"]] == statuses[f"{database[source_name]}.{table}"], result
        compared += 1
    assert compared == 29


# --- restated GA4 days and re-delivered Shopify orders ------------------------------------------

ANALYTICS = ("analytics_ga4", "analytics_cross_source")  # the databases compared (and folders)
# The rebuild: every model between the raw tables the test writes to and the models it
# compares, rebuilt from raw (--full-refresh). The others are not touched by the writes: they
# hold what the standard sample's build gave them, which is what rebuilding them would give.
RESTATED_AND_COMPARED = [
    f"{written}+,+path:analytics_datasets/{compared}"
    for written in ("source:ga4", "source:shopify.orders")
    for compared in ANALYTICS
]


def analytics_snapshot(client) -> dict:
    return models_snapshot(client, ANALYTICS)


def test_restated_ga4_days_and_redelivered_orders_equal_a_rebuild(site):
    with site.client() as client:
        before = analytics_snapshot(client)
        last = client.query("select max(date) from raw_ga4.website_overview").result_rows[0][0]
        days = sorted(
            {last, (datetime.strptime(last, "%Y%m%d") - timedelta(days=1)).strftime("%Y%m%d")}
        )
        restated_at = "now64(3) + interval 1 hour"
        for table in ("website_overview", "traffic_sources", "pages", "daily_active_users"):
            client.command(
                f"insert into raw_ga4.{table} select * replace ({restated_at} as "
                "_airbyte_extracted_at, generateUUIDv4() as _airbyte_raw_id"
                + (
                    ", sessions + 7 as sessions"
                    if table in ("website_overview", "traffic_sources")
                    else ", screenPageViews + 3 as screenPageViews"
                    if table == "pages"
                    else ""
                )
                + f") from raw_ga4.{table} final where date in ('{days[0]}', '{days[1]}')",
                settings={"optimize_on_insert": 0},
            )
        client.command(
            "insert into raw_shopify.orders select * replace (generateUUIDv4() as _airbyte_raw_id) "
            "from raw_shopify.orders where id % 7 = 0 limit 500",
            settings={"optimize_on_insert": 0},
        )
        after = analytics_snapshot(client)  # after a refresh of its own
    site.dbt("run", "--full-refresh", "--select", *RESTATED_AND_COMPARED)
    with site.client() as client:
        rebuilt = analytics_snapshot(client)
    assert after != before  # the restatement changed GA4 figures
    assert sorted(after) == sorted(rebuilt)
    differing = {
        name: (
            [r for r in after[name] if r not in rebuilt[name]][:3],
            [r for r in rebuilt[name] if r not in after[name]][:3],
        )
        for name in after
        if after[name] != rebuilt[name]
    }
    assert not differing, differing
