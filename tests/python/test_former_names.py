"""The analytics databases' former names keep working: every analytics model is readable as
`<source>_analytics.<name>` (the name before `analytics_<source>`) with the same rows, and
whatever an older release built under a former name is replaced by the view, not left to
refresh a stale copy."""

from __future__ import annotations

import pytest
from helpers import model_manifest
from helpers.snapshots import CLOCK_MODELS

ANALYTICS_PREFIX = "analytics_"


def former(database: str) -> str:
    """The rule the rename followed, restated here: analytics_<source> was <source>_analytics."""
    return database.removeprefix(ANALYTICS_PREFIX) + "_analytics"


@pytest.fixture(scope="module")
def built(pinned_built):
    # held for the module's tests (Project.held): each opens a client, most of a second apiece
    with pinned_built.held():
        yield pinned_built


def analytics_relations(project) -> list[tuple[str, str]]:
    """(database, name) of every analytics model that dbt materializes, from the manifest."""
    project.dbt("ls", "--resource-type", "model", "--quiet")
    return sorted(
        (node["schema"], node["alias"])
        for node in model_manifest(project)["nodes"].values()
        if node["resource_type"] == "model"
        and node["schema"].startswith(ANALYTICS_PREFIX)
        and node["config"]["materialized"] != "ephemeral"
    )


def fingerprint(client, relation: str) -> tuple:
    """Rows and a hash of their content; only the count for answers that move with the clock."""
    content = "0" if relation.split(".")[1] in CLOCK_MODELS else "sum(cityHash64(*))"
    return client.query(f"select count(), {content} from {relation}").result_rows[0]


def test_every_analytics_model_reads_the_same_under_its_former_name(built):
    relations = analytics_relations(built)
    assert len(relations) > 30
    with built.client() as client:
        engines = dict(
            ((database, name), engine)
            for database, name, engine in client.query(
                "select database, name, engine from system.tables "
                "where database like '%\\_analytics'"
            ).result_rows
        )
        for database, name in relations:
            assert engines.get((former(database), name)) == "View", (database, name)
            current = fingerprint(client, f"{database}.{name}")
            assert fingerprint(client, f"{former(database)}.{name}") == current, (database, name)
        assert any(fingerprint(client, f"{d}.{n}")[0] > 0 for d, n in relations)


def test_an_older_release_left_under_a_former_name_is_replaced(built):
    """An older release built `shopify_daily_sales` as a table fed by a refreshable view
    `shopify_daily_sales_mv` in the former database: the next run replaces both by the view."""
    old = former("analytics_shopify")
    with built.client() as client:
        client.command(f"drop view {old}.shopify_daily_sales sync")
        client.command(
            f"create table {old}.shopify_daily_sales (stale UInt8) engine = MergeTree order by ()"
        )
        client.command(f"insert into {old}.shopify_daily_sales values (1)")
        client.command(
            f"create materialized view {old}.shopify_daily_sales_mv refresh every 10 minute "
            f"to {old}.shopify_daily_sales as select toUInt8(1) as stale"
        )
    built.dbt("run", "--select", "shopify_daily_sales")
    with built.client() as client:
        found = dict(
            client.query(
                f"select name, engine from system.tables where database = '{old}'"
            ).result_rows
        )
        assert found["shopify_daily_sales"] == "View"
        assert "shopify_daily_sales_mv" not in found
        assert fingerprint(client, f"{old}.shopify_daily_sales") == fingerprint(
            client, "analytics_shopify.shopify_daily_sales"
        )


def test_the_former_names_can_be_turned_off(built):
    old = former("analytics_shopify")
    built.query(f"drop view {old}.shopify_monthly_sales sync")
    built.dbt(
        "run", "--select", "shopify_monthly_sales", "--vars", "{keep_former_database_names: false}"
    )
    assert not built.query(
        f"select name from system.tables where database = '{old}' "
        "and name = 'shopify_monthly_sales'"
    )
