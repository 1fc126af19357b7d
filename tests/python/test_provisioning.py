"""provisioning_flow.sql through `python -m ecom_analytics provision`, on the embedded engine.

The expected raw schema below is the raw contract of docs/architecture.md (Airbyte's ClickHouse
destination v2), not read back from provisioning_flow.sql, so a drift in either shows up here.
"""

from __future__ import annotations

import pytest
from ecom_analytics.provision import (
    ProvisioningError,
    execute,
    rename_database,
    render,
    split_sections,
    split_statements,
    validate_statement,
)
from helpers import PROJECT_DIR, Project

# --- the raw landing contract (docs/architecture.md) ------------------------------------------
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


# --- tests on the provisioned engine ----------------------------------------------------------


def snapshot(client, databases: list[str]) -> dict:
    dbs = {"dbs": tuple(databases)}
    return {
        "databases": client.query(
            "select name, engine, uuid from system.databases where name in %(dbs)s order by name",
            parameters=dbs,
        ).result_rows,
        "tables": client.query(
            "select database, name, uuid, create_table_query, metadata_modification_time "
            "from system.tables where database in %(dbs)s order by database, name",
            parameters=dbs,
        ).result_rows,
        "columns": client.query(
            "select database, table, name, type, position, default_kind, default_expression "
            "from system.columns where database in %(dbs)s order by database, table, position",
            parameters=dbs,
        ).result_rows,
    }


RAW = ["raw_shopify", "raw_klaviyo", "raw_ga4"]


def test_every_raw_table_matches_the_contract(provisioned):
    expected = expected_schema()
    with provisioned.client() as client:
        actual = actual_schema(client, RAW)
    for database in RAW:
        assert_matches_contract(actual[database], expected[database], database)
    assert sum(len(t) for t in expected.values()) == 11 + 7 + 10


def test_provisioning_twice_changes_nothing(provisioned):
    with provisioned.client() as client:
        client.command(
            "insert into raw_shopify.orders (_airbyte_raw_id, _airbyte_extracted_at, "
            "_airbyte_meta, _airbyte_generation_id, id, updated_at) values "
            "('r1', '2024-05-01 10:00:00', '{}', 1, 1001, '2024-05-01 09:00:00'), "
            "('r2', '2024-05-02 10:00:00', '{}', 1, 1002, '2024-05-02 09:00:00')"
        )
        client.command(
            "insert into raw_ga4.pages (_airbyte_raw_id, _airbyte_extracted_at, _airbyte_meta, "
            "_airbyte_generation_id, property_id, date, hostName, pagePathPlusQueryString) "
            "values ('g1', '2024-05-01 10:00:00', '{}', 1, 'p1', '20240501', 'shop', '/')"
        )
        before = snapshot(client, RAW)

    second = provisioned.cli("provision")

    with provisioned.client() as client:
        after = snapshot(client, RAW)
        orders = client.query("select id from raw_shopify.orders order by id").result_rows
        pages = client.query("select count() from raw_ga4.pages").result_rows
    assert after == before
    assert len(before["tables"]) == 28
    assert orders == [(1001,), (1002,)]
    assert pages == [(1,)]
    assert "raw_shopify: 11 tables (0 new)" in second.stdout
    assert "28 tables (0 new" in second.stdout


def test_access_control_is_checked_not_applied_on_the_embedded_engine(provisioned):
    result = provisioned.cli("provision")
    # Counted line by line, independently of the statement splitter: each statement is one line.
    lines = (PROJECT_DIR / "provisioning_flow.sql").read_text().splitlines()
    expected = sum(line.startswith(("CREATE ROLE", "GRANT")) for line in lines)
    assert expected > 20
    assert f"access control: {expected} statements checked with the parser, not applied" in (
        result.stdout
    )


def test_a_broken_access_control_statement_fails_validation(provisioned):
    with provisioned.client() as client:
        # The real parser normalises what it accepts ...
        assert validate_statement(client, "grant select on raw_ga4.* to ecom_reader") == (
            "GRANT SELECT ON raw_ga4.* TO ecom_reader"
        )
        # ... and rejects what it cannot parse.
        with pytest.raises(ProvisioningError, match="does not parse"):
            validate_statement(client, "GRANT SELEKT ON raw_ga4.* TO ecom_reader")


def test_a_broken_access_control_statement_stops_provisioning_before_any_change(provisioned):
    sql = """
        CREATE DATABASE IF NOT EXISTS raw_ga4;
        CREATE TABLE IF NOT EXISTS raw_ga4.never_created (x Int64) ENGINE = MergeTree ORDER BY x;
        -- @access-control:begin
        CREATE ROLE IF NOT EXISTS ecom_reader;
        GRANT SELECT ON raw_ga4.* TO ecom_reader WITH GRANT GRANT OPTION;
        -- @access-control:end
    """
    with provisioned.client() as client:
        with pytest.raises(ProvisioningError, match="WITH GRANT GRANT OPTION"):
            execute(render(sql=sql), client, embedded=True)
        exists = client.query("exists table raw_ga4.never_created").result_rows
    assert exists == [(0,)]


@pytest.mark.no_engine
def test_raw_database_vars_rename_and_repeat_the_raw_tables(tmp_path):
    project = Project(tmp_path)  # a fresh folder: nothing provisioned under the default names
    renamed = project.cli("--vars", "{shopify_raw_databases: [shop_a, shop_b]}", "provision")
    assert "shop_a: 11 tables (11 new)" in renamed.stdout
    assert "shop_b: 11 tables (11 new)" in renamed.stdout
    expected = expected_schema()
    with project.client() as client:
        actual = actual_schema(client, ["shop_a", "shop_b", "raw_shopify", "raw_klaviyo"])
    assert_matches_contract(actual["shop_a"], expected["raw_shopify"], "shop_a")
    assert_matches_contract(actual["shop_b"], expected["raw_shopify"], "shop_b")
    assert actual["raw_shopify"] == {}  # renamed, not created as well
    assert_matches_contract(actual["raw_klaviyo"], expected["raw_klaviyo"], "raw_klaviyo")


@pytest.mark.parametrize(
    "value, message",
    [
        ("[shop-a]", "invalid database name 'shop-a'"),
        ("[]", "must be a non-empty list"),
        ("raw_shopify", "must be a non-empty list"),
        ("[a, a]", "lists a database twice"),
        ("[raw_ga4]", "must not share a database"),
    ],
)
def test_bad_raw_database_vars_give_a_clear_error(project, value, message):
    result = project.cli("--vars", f"{{shopify_raw_databases: {value}}}", "provision", check=False)
    assert result.returncode == 2
    assert message in result.stderr
    assert "shopify_raw_databases" in result.stderr


@pytest.mark.no_engine
def test_renamed_access_control_grants_follow_the_databases():
    plan = render({"shopify_raw_databases": ["shop_a", "shop_b"]})
    loader = [s for s in plan.access_control if s.endswith("TO ecom_loader")]
    assert [s.split(" ON ")[-1] for s in loader] == [
        "shop_a.* TO ecom_loader",
        "shop_b.* TO ecom_loader",
        "raw_klaviyo.* TO ecom_loader",
        "raw_ga4.* TO ecom_loader",
    ]
    assert not any("raw_shopify" in s for s in plan.access_control + plan.raw[0].statements)


# --- the cluster rendering (cannot run here: checked on the text and with the parser) ---------


def test_cluster_target_creates_replicated_databases_on_cluster(provisioned):
    plan = render({}, cluster="prod", database_engine="Replicated")
    create_databases = [s for step in plan.raw for s in step.statements if "DATABASE" in s]
    assert create_databases == [
        f"CREATE DATABASE IF NOT EXISTS {db} ON CLUSTER 'prod'\n"
        f"ENGINE = Replicated('/clickhouse/databases/{db}', '{{shard}}', '{{replica}}')"
        for db in RAW
    ]
    tables = [s for step in plan.raw for s in step.statements if s.startswith("CREATE TABLE")]
    assert len(tables) == 28
    # Tables inside a Replicated database replicate by themselves (ON CLUSTER is refused there).
    assert not any("ON CLUSTER" in s for s in tables)
    assert all("ON CLUSTER 'prod'" in s for s in plan.access_control)
    with provisioned.client() as client:
        for statement in create_databases + tables[:1] + plan.access_control:
            validate_statement(client, statement)


@pytest.mark.no_engine
def test_cluster_without_replicated_engine_creates_tables_on_cluster():
    plan = render({}, cluster="prod", database_engine=None)
    statements = [s for step in plan.raw for s in step.statements]
    assert all("ON CLUSTER 'prod'" in s for s in statements)
    assert not any("Replicated" in s for s in statements)


def test_print_renders_the_cluster_target_of_the_profile_without_connecting(project):
    # The profile's cluster target reads its host from the environment: nothing listens there.
    project.env.update(
        CLICKHOUSE_HOST="clickhouse.invalid",
        CLICKHOUSE_USER="nobody",
        CLICKHOUSE_PASSWORD="unused",
        CLICKHOUSE_CLUSTER="analytics",
        CLICKHOUSE_SECURE="False",
    )
    try:
        result = project.cli("--target", "cluster", "provision", "--print")
    finally:
        for name in ("CLICKHOUSE_HOST", "CLICKHOUSE_USER", "CLICKHOUSE_PASSWORD"):
            project.env.pop(name)
        for name in ("CLICKHOUSE_CLUSTER", "CLICKHOUSE_SECURE"):
            project.env.pop(name)
    out = result.stdout
    assert (
        "CREATE DATABASE IF NOT EXISTS raw_klaviyo ON CLUSTER 'analytics'\n"
        "ENGINE = Replicated('/clickhouse/databases/raw_klaviyo', '{shard}', '{replica}');"
    ) in out
    assert "CREATE TABLE IF NOT EXISTS raw_ga4.pages\n(" in out
    assert "GRANT ON CLUSTER 'analytics' SELECT, SHOW ON ga4_analytics.* TO ecom_reader;" in out


@pytest.mark.parametrize(
    ("target", "missing"),
    [
        ("cloud", "CLICKHOUSE_HOST, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD"),
        ("cluster", "CLICKHOUSE_USER, CLICKHOUSE_PASSWORD"),
    ],
)
def test_a_target_without_its_environment_variables_names_them_all(project, target, missing):
    saved = {k: project.env.pop(k) for k in list(project.env) if k.startswith("CLICKHOUSE_")}
    if target == "cluster":
        project.env["CLICKHOUSE_HOST"] = "clickhouse.invalid"
    try:
        result = project.cli("--target", target, "provision", check=False)
    finally:
        project.env.pop("CLICKHOUSE_HOST", None)
        project.env.update(saved)
    assert result.returncode != 0
    assert f"reads environment variables that are not set: {missing}." in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


# --- the statement splitter and the renaming ---------------------------------------------------


@pytest.mark.no_engine
def test_split_statements_respects_quotes_and_comments():
    sql = """
        -- a comment; with a semicolon
        select 1; /* block; comment */ select ';' as "a;b", `c;d`;
        select 'it''s; here' -- trailing; comment
        ;
        select 'back\\'slash;'
    """
    assert split_statements(sql) == [
        "select 1",
        "select ';' as \"a;b\", `c;d`",
        "select 'it''s; here'",
        "select 'back\\'slash;'",
    ]


@pytest.mark.no_engine
def test_split_statements_rejects_unterminated_text():
    with pytest.raises(ProvisioningError, match="unterminated"):
        split_statements("select 'oops; select 2")
    with pytest.raises(ProvisioningError, match="unterminated"):
        split_statements("select 1 /* oops; select 2")


@pytest.mark.no_engine
def test_sections_need_both_markers_in_order():
    with pytest.raises(ProvisioningError, match="access-control"):
        split_sections("select 1;\n-- @access-control:end\n-- @access-control:begin\n")
    raw, access = split_sections(
        "create database raw_ga4;\n-- @access-control:begin\ncreate role r;\n"
        "-- @access-control:end\n"
    )
    assert (raw, access) == (["create database raw_ga4"], ["create role r"])


@pytest.mark.no_engine
def test_rename_touches_identifiers_only():
    statement = (
        "CREATE TABLE raw_shopify.t (raw_shopify_id Int64, x String DEFAULT 'raw_shopify') "
        "COMMENT `raw_shopify`"
    )
    assert rename_database(statement, "raw_shopify", "shop_a") == (
        "CREATE TABLE shop_a.t (raw_shopify_id Int64, x String DEFAULT 'raw_shopify') "
        "COMMENT `shop_a`"
    )


@pytest.mark.no_engine
def test_a_statement_naming_two_raw_databases_is_refused():
    sql = (
        "create table raw_ga4.t as raw_shopify.orders;\n"
        "-- @access-control:begin\n-- @access-control:end\n"
    )
    with pytest.raises(ProvisioningError, match="several raw databases"):
        render(sql=sql)
