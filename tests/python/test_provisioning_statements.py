"""How provisioning_flow.sql becomes statements, without an engine: the statement splitter, its
access-control section, renaming raw databases, and the cluster rendering.
"""

from __future__ import annotations

import pytest
from ecom_analytics.provision import (
    ProvisioningError,
    rename_database,
    render,
    split_sections,
    split_statements,
)


@pytest.mark.no_engine
def test_renamed_access_control_grants_follow_the_databases():
    plan = render({"shopify_raw_databases": ["shop_a", "shop_b"]})
    loader = [s for s in plan.access_control if s.endswith("TO ecom_loader")]
    assert [s.split(" ON ")[-1] for s in loader] == [
        "shop_a.* TO ecom_loader",
        "shop_b.* TO ecom_loader",
        "raw_klaviyo.* TO ecom_loader",
        "raw_ga4.* TO ecom_loader",
        "raw_ga4_export.* TO ecom_loader",
    ]
    assert not any("raw_shopify" in s for s in plan.access_control + plan.raw[0].statements)


@pytest.mark.no_engine
def test_cluster_without_replicated_engine_creates_tables_on_cluster():
    plan = render({}, cluster="prod", database_engine=None)
    statements = [s for step in plan.raw for s in step.statements]
    assert all("ON CLUSTER 'prod'" in s for s in statements)
    assert not any("Replicated" in s for s in statements)


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
