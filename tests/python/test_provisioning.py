"""provisioning_flow.sql through `python -m ecom_analytics provision`, on the embedded engine:
every raw table matches the hand-written contract (raw_contract.py), provisioning is
idempotent, access control is validated and never half applied, raw-database vars rename and
repeat the tables, the cluster and server targets render or fail clearly.
"""

from __future__ import annotations

import pytest
from ecom_analytics.provision import (
    ProvisioningError,
    execute,
    render,
    validate_statement,
)
from helpers import PROJECT_DIR, Project
from raw_contract import actual_schema, assert_matches_contract, expected_schema

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
    assert "29 tables (0 new" in second.stdout  # and the GA4 export's


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
    result = project.cli_process(
        "--vars", f"{{shopify_raw_databases: {value}}}", "provision", check=False
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "shopify_raw_databases" in result.stderr


# --- the cluster rendering (cannot run here: checked on the text and with the parser) ---------


def test_cluster_target_creates_replicated_databases_on_cluster(provisioned):
    plan = render({}, cluster="prod", database_engine="Replicated")
    create_databases = [s for step in plan.raw for s in step.statements if "DATABASE" in s]
    assert create_databases == [
        f"CREATE DATABASE IF NOT EXISTS {db} ON CLUSTER 'prod'\n"
        f"ENGINE = Replicated('/clickhouse/databases/{db}', '{{shard}}', '{{replica}}')"
        for db in [*RAW, "raw_ga4_export"]
    ]
    tables = [s for step in plan.raw for s in step.statements if s.startswith("CREATE TABLE")]
    assert len(tables) == 29
    # Tables inside a Replicated database replicate by themselves (ON CLUSTER is refused there).
    assert not any("ON CLUSTER" in s for s in tables)
    assert all("ON CLUSTER 'prod'" in s for s in plan.access_control)
    with provisioned.client() as client:
        for statement in create_databases + tables[:1] + plan.access_control:
            validate_statement(client, statement)


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
    assert "GRANT ON CLUSTER 'analytics' SELECT, SHOW ON analytics_ga4.* TO ecom_reader;" in out


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
        result = project.cli_process("--target", target, "provision", check=False)
    finally:
        project.env.pop("CLICKHOUSE_HOST", None)
        project.env.update(saved)
    assert result.returncode != 0
    assert f"reads environment variables that are not set: {missing}." in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
