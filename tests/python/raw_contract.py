"""The raw landing contract, written by hand from the Airbyte ClickHouse destination v2 layout
(docs/architecture.md), not read back from provisioning_flow.sql: the provisioning tests
compare the tables the engine holds with it, so a drift in either shows up.
"""

from __future__ import annotations

# Short type codes: I Int64, N Decimal(38, 9), B Bool, S String (JSON text included),
# T DateTime64(3). Every stream column is Nullable except the primary key and the cursor.
TYPES = {"I": "Int64", "N": "Decimal(38, 9)", "B": "Bool", "S": "String", "T": "DateTime64(3)"}
METADATA = [
    ("_airbyte_raw_id", "String"),
    ("_airbyte_extracted_at", "DateTime64(3)"),
    ("_airbyte_meta", "String"),
    ("_airbyte_generation_id", "UInt32"),
]

SHOP = "shop_url S"
SHOPIFY = {
    "orders": (
        "id",
        "updated_at",
        "id I, name S, order_number I, email S, created_at T, updated_at T, processed_at T, "
        "cancelled_at T, closed_at T, currency S, presentment_currency S, financial_status S, "
        "fulfillment_status S, cancel_reason S, tags S, source_name S, landing_site S, "
        "referring_site S, total_price N, subtotal_price N, total_tax N, total_discounts N, "
        "total_line_items_price N, current_total_price N, "
        # *_set: Airbyte's money-set objects (JSON: shop_money and presentment_money amounts).
        "total_price_set S, subtotal_price_set S, total_tax_set S, total_discounts_set S, "
        "total_shipping_price_set S, current_total_price_set S, total_line_items_price_set S, "
        "test B, customer_id I, customer S, "
        "billing_address S, shipping_address S, line_items S, refunds S, discount_codes S, "
        f"shipping_lines S, tax_lines S, note_attributes S, {SHOP}",
    ),
    "customers": (
        "id",
        "updated_at",
        "id I, email S, first_name S, last_name S, state S, orders_count I, total_spent N, "
        "currency S, tags S, verified_email B, created_at T, updated_at T, default_address S, "
        f"email_marketing_consent S, {SHOP}",
    ),
    "products": (
        "id",
        "updated_at",
        "id I, title S, handle S, vendor S, product_type S, status S, tags S, created_at T, "
        f"updated_at T, published_at T, variants S, {SHOP}",
    ),
    "product_variants": (
        "id",
        "updated_at",
        "id I, product_id I, inventory_item_id I, sku S, title S, price N, compare_at_price S, "
        f"inventory_quantity I, created_at T, updated_at T, {SHOP}",
    ),
    "inventory_levels": (
        "id",
        "updated_at",
        "id S, location_id I, inventory_item_id I, available I, quantities S, created_at T, "
        f"updated_at T, {SHOP}",
    ),
    "inventory_items": (
        "id",
        "updated_at",
        f"id I, sku S, cost N, tracked B, created_at T, updated_at T, {SHOP}",
    ),
    "abandoned_checkouts": (
        "id",
        "updated_at",
        "id I, token S, cart_token S, email S, currency S, created_at T, updated_at T, "
        "completed_at T, total_price N, subtotal_price N, total_discounts N, customer S, "
        f"line_items S, discount_codes S, {SHOP}",
    ),
    "discount_codes": (
        "id",
        "updated_at",
        "id I, price_rule_id I, code S, title S, status S, discount_type S, usage_count I, "
        f"starts_at T, ends_at T, created_at T, updated_at T, {SHOP}",
    ),
    "order_refunds": (
        "id",
        "created_at",
        "id I, order_id I, created_at T, processed_at T, note S, restock B, "
        f"refund_line_items S, order_adjustments S, transactions S, {SHOP}",
    ),
    "fulfillments": (
        "id",
        "updated_at",
        "id I, order_id I, location_id I, status S, shipment_status S, tracking_company S, "
        f"created_at T, updated_at T, line_items S, {SHOP}",
    ),
    "transactions": (
        "id",
        "created_at",
        "id I, order_id I, parent_id I, kind S, status S, gateway S, currency S, amount N, "
        f"test B, created_at T, processed_at T, {SHOP}",
    ),
}

JSONAPI = "type S, id S, attributes S, relationships S, links S"
KLAVIYO = {
    "events": ("id", "datetime", f"{JSONAPI}, datetime T"),
    "campaigns": ("id", "updated_at", f"{JSONAPI}, updated_at T"),
    "campaigns_detailed": (
        "id",
        "updated_at",
        f"{JSONAPI}, updated_at T, estimated_recipient_count I, "
        "campaign_messages S, campaign_message S",
    ),
    "flows": ("id", "updated", f"{JSONAPI}, updated T"),
    "profiles": ("id", "updated", f"{JSONAPI}, updated T"),
    "metrics": ("id", "updated", f"{JSONAPI}, updated T"),
    "lists": ("id", "updated", f"{JSONAPI}, updated T"),
}

TRAFFIC = (
    "totalUsers I, newUsers I, sessions I, screenPageViews I, sessionsPerUser N, "
    "averageSessionDuration N, screenPageViewsPerSession N, bounceRate N"
)
# GA4: pk = property_id + every dimension (all String); the version is _airbyte_extracted_at.
GA4 = {
    "daily_active_users": ("property_id, date", "active1DayUsers I"),
    "weekly_active_users": ("property_id, date", "active7DayUsers I"),
    "four_weekly_active_users": ("property_id, date", "active28DayUsers I"),
    "website_overview": ("property_id, date", TRAFFIC),
    "devices": ("property_id, date, deviceCategory, operatingSystem, browser", TRAFFIC),
    "locations": ("property_id, region, country, city, date", TRAFFIC),
    "traffic_sources": ("property_id, date, sessionSource, sessionMedium", TRAFFIC),
    "pages": (
        "property_id, date, hostName, pagePathPlusQueryString",
        "screenPageViews I, bounceRate N",
    ),
    "events_report": (
        "property_id, date, eventName",
        "eventCount I, totalUsers I, eventCountPerUser N, totalRevenue N",
    ),
    "ecommerce_purchases_item_name_report": (
        "property_id, date, itemName",
        "itemsViewed I, itemsAddedToCart I, itemsPurchased I, itemRevenue N",
    ),
}


def expected_table(key: str, version: str, columns: str) -> dict:
    """{order_by, version, columns: {name: ClickHouse type}} of one raw table."""
    keys = [k.strip() for k in key.split(",")]
    stream = {}
    for item in columns.split(","):
        name, code = item.split()
        base = TYPES[code]
        stream[name] = base if name in keys or name == version else f"Nullable({base})"
    return {"order_by": ", ".join(keys), "version": version, "columns": stream}


def expected_schema() -> dict[str, dict[str, dict]]:
    schema: dict[str, dict[str, dict]] = {"raw_shopify": {}, "raw_klaviyo": {}, "raw_ga4": {}}
    for table, (key, version, columns) in SHOPIFY.items():
        schema["raw_shopify"][table] = expected_table(key, version, columns)
    for table, (key, version, columns) in KLAVIYO.items():
        schema["raw_klaviyo"][table] = expected_table(key, version, columns)
    for table, (key, metrics) in GA4.items():
        dimensions = ", ".join(f"{d.strip()} S" for d in key.split(","))
        schema["raw_ga4"][table] = expected_table(
            key, "_airbyte_extracted_at", f"{dimensions}, {metrics}"
        )
    return schema


def actual_schema(client, databases: list[str]) -> dict[str, dict[str, dict]]:
    tables = client.query(
        "select database, name, engine, engine_full, sorting_key from system.tables "
        "where database in %(dbs)s",
        parameters={"dbs": tuple(databases)},
    ).result_rows
    columns = client.query(
        "select database, table, name, type from system.columns "
        "where database in %(dbs)s order by database, table, position",
        parameters={"dbs": tuple(databases)},
    ).result_rows
    schema: dict[str, dict[str, dict]] = {db: {} for db in databases}
    for db, name, engine, engine_full, sorting_key in tables:
        schema[db][name] = {
            "engine": engine,
            "engine_full": engine_full,
            "order_by": sorting_key.removeprefix("(").removesuffix(")"),
            "columns": [],
        }
    for db, table, name, type_ in columns:
        schema[db][table]["columns"].append((name, type_))
    return schema


def assert_matches_contract(actual: dict, expected: dict, database: str) -> None:
    assert sorted(actual) == sorted(expected), f"{database}: tables differ"
    for table, spec in expected.items():
        got = actual[table]
        where = f"{database}.{table}"
        assert got["engine"] == "ReplacingMergeTree", where
        assert got["engine_full"].startswith(f"ReplacingMergeTree({spec['version']})"), where
        assert got["order_by"] == spec["order_by"], where
        assert got["columns"][:4] == METADATA, f"{where}: Airbyte metadata columns come first"
        assert dict(got["columns"][4:]) == spec["columns"], where
        assert len(got["columns"]) == 4 + len(spec["columns"]), f"{where}: duplicate column"
