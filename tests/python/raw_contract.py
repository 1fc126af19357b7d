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


# --- GA4 BigQuery export (event level) ---------------------------------------------------------
# Written from Google's export schema (docs/ga4-export.md): a field is a leaf type code (S
# STRING, I INTEGER, F FLOAT, B BOOLEAN), a dict (RECORD) or a one-item list (REPEATED RECORD).
_VALUE = {"string_value": "S", "int_value": "I", "float_value": "F", "double_value": "F"}
_PARAMS = [{"key": "S", "value": _VALUE}]
_CAMPAIGN = {"campaign_id": "S", "campaign_name": "S", "source": "S", "medium": "S"}
_S = "S"
GA4_EXPORT = {
    "event_date": _S,
    "event_timestamp": "I",
    "event_name": _S,
    "event_params": _PARAMS,
    "event_previous_timestamp": "I",
    "event_value_in_usd": "F",
    "event_bundle_sequence_id": "I",
    "event_server_timestamp_offset": "I",
    "user_id": _S,
    "user_pseudo_id": _S,
    "privacy_info": {"analytics_storage": _S, "ads_storage": _S, "uses_transient_token": _S},
    "user_properties": [{"key": _S, "value": {**_VALUE, "set_timestamp_micros": "I"}}],
    "user_first_touch_timestamp": "I",
    "user_ltv": {"revenue": "F", "currency": _S},
    "device": {
        **dict.fromkeys(
            "category mobile_brand_name mobile_model_name mobile_marketing_name "
            "mobile_os_hardware_model operating_system operating_system_version vendor_id "
            "advertising_id language is_limited_ad_tracking".split(),
            _S,
        ),
        "time_zone_offset_seconds": "I",
        "browser": _S,
        "browser_version": _S,
        "web_info": {"browser": _S, "browser_version": _S, "hostname": _S},
    },
    "geo": dict.fromkeys("city country continent region sub_continent metro".split(), _S),
    "app_info": dict.fromkeys(
        "id version install_store firebase_app_id install_source".split(), _S
    ),
    "traffic_source": {"name": _S, "medium": _S, "source": _S},
    "stream_id": _S,
    "platform": _S,
    "event_dimensions": {"hostname": _S},
    "ecommerce": {
        "total_item_quantity": "I",
        **dict.fromkeys(
            "purchase_revenue_in_usd purchase_revenue refund_value_in_usd refund_value "
            "shipping_value_in_usd shipping_value tax_value_in_usd tax_value".split(),
            "F",
        ),
        "unique_items": "I",
        "transaction_id": _S,
    },
    "items": [
        {
            **dict.fromkeys(
                "item_id item_name item_brand item_variant item_category item_category2 "
                "item_category3 item_category4 item_category5".split(),
                _S,
            ),
            "price_in_usd": "F",
            "price": "F",
            "quantity": "I",
            **dict.fromkeys(
                "item_revenue_in_usd item_revenue item_refund_in_usd item_refund".split(), "F"
            ),
            **dict.fromkeys(
                "coupon affiliation location_id item_list_id item_list_name item_list_index "
                "promotion_id promotion_name creative_name creative_slot".split(),
                _S,
            ),
            "item_params": _PARAMS,
        }
    ],
    "collected_traffic_source": dict.fromkeys(
        "manual_campaign_id manual_campaign_name manual_source manual_medium manual_term "
        "manual_content manual_source_platform manual_creative_format manual_marketing_tactic "
        "gclid dclid srsltid".split(),
        _S,
    ),
    "is_active_user": "B",
    "batch_event_index": "I",
    "batch_ordering_id": "I",
    "batch_page_id": "I",
    "session_traffic_source_last_click": {
        "manual_campaign": {
            **_CAMPAIGN,
            **dict.fromkeys(
                "term content source_platform creative_format marketing_tactic".split(), _S
            ),
        },
        "google_ads_campaign": dict.fromkeys(
            "customer_id account_name campaign_id campaign_name ad_group_id ad_group_name".split(),
            _S,
        ),
        "cross_channel_campaign": {
            **_CAMPAIGN,
            "source_platform": _S,
            "default_channel_group": _S,
            "primary_channel_group": _S,
        },
    },
}
_PARQUET_LEAF = {"S": "String", "I": "Int64", "F": "Float64", "B": "Bool"}
_AIRBYTE_LEAF = {"S": "String", "I": "Int64", "F": "Decimal(38, 9)", "B": "Bool"}


def parquet_type(field) -> str:
    """The type ClickHouse infers for an optional Parquet field of this shape: leaves Nullable,
    structs named Tuples (never Nullable), lists Arrays (never Nullable)."""
    if isinstance(field, list):
        return f"Array({parquet_type(field[0])})"
    if isinstance(field, dict):
        return "Tuple(" + ", ".join(f"{k} {parquet_type(v)}" for k, v in field.items()) + ")"
    return f"Nullable({_PARQUET_LEAF[field]})"


def expected_ga4_export(layout: str) -> dict:
    """{engine_full, columns: [(name, type)]} of the raw table `events` in `layout`."""
    if layout == "parquet":
        extra = [
            ("property_id", "String"),
            ("export_type", "LowCardinality(String)"),
            ("_loaded_at", "DateTime64(3)"),
        ]
        columns = [(name, parquet_type(field)) for name, field in GA4_EXPORT.items()]
        order = "(property_id, ifNull(event_date, ''), ifNull(event_name, ''))"
    else:
        extra = list(METADATA)
        columns = [  # Airbyte: records and repeated records are JSON text
            (name, f"Nullable({'String' if not isinstance(f, str) else _AIRBYTE_LEAF[f]})")
            for name, f in GA4_EXPORT.items()
        ]
        order = "(_airbyte_raw_id)"
    return {"engine_full": f"MergeTree ORDER BY {order}", "columns": extra + columns}


def assert_matches_ga4_export_contract(actual: dict, layout: str, database: str) -> None:
    expected = expected_ga4_export(layout)
    assert sorted(actual) == ["events"], f"{database}: tables differ"
    got = actual["events"]
    assert got["engine"] == "MergeTree", database
    assert got["engine_full"].startswith(expected["engine_full"]), got["engine_full"]
    assert got["columns"] == expected["columns"], database
