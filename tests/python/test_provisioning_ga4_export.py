"""The GA4 export's raw table `events` in both layouts of the var ga4_export_layout: each
matches the hand-written contract (raw_contract.py), and the `-- @if` blocks of
provisioning_flow.sql that choose between them fail clearly when misused.
"""

from __future__ import annotations

import pytest
from ecom_analytics.provision import ProvisioningError, render, select_blocks
from helpers import PROJECT_DIR, Project
from raw_contract import actual_schema, assert_matches_ga4_export_contract


def test_the_parquet_layout_is_the_default_and_matches_the_contract(provisioned):
    with provisioned.client() as client:
        actual = actual_schema(client, ["raw_ga4_export"])
    assert_matches_ga4_export_contract(actual["raw_ga4_export"], "parquet", "raw_ga4_export")


def test_the_airbyte_layout_matches_the_contract_in_every_listed_database(tmp_path):
    project = Project(tmp_path)
    result = project.cli(
        "--vars",
        "{ga4_export_layout: airbyte, ga4_export_raw_databases: [ga4_export_a, ga4_export_b]}",
        "provision",
    )
    assert "ga4_export_a: 1 tables (1 new)" in result.stdout
    with project.client() as client:
        actual = actual_schema(client, ["ga4_export_a", "ga4_export_b", "raw_ga4_export"])
    assert_matches_ga4_export_contract(actual["ga4_export_a"], "airbyte", "ga4_export_a")
    assert_matches_ga4_export_contract(actual["ga4_export_b"], "airbyte", "ga4_export_b")
    assert actual["raw_ga4_export"] == {}  # renamed, not created as well


@pytest.mark.no_engine
def test_each_layout_renders_exactly_one_events_table():
    for layout, first_column in (("parquet", "property_id"), ("airbyte", "_airbyte_raw_id")):
        plan = render({"ga4_export_layout": layout})
        step = next(step for step in plan.raw if step.label == "raw_ga4_export")
        assert step.tables == [("raw_ga4_export", "events")], layout
        create = step.statements[-1]
        assert create.split("(", 1)[1].split()[0] == first_column, layout


@pytest.mark.no_engine
def test_as_plain_sql_the_default_layout_comes_first():
    """clickhouse-client runs both blocks; IF NOT EXISTS keeps the first: the default's."""
    sql = (PROJECT_DIR / "provisioning_flow.sql").read_text()
    parquet, airbyte = (
        sql.index("-- @if ga4_export_layout = parquet"),
        sql.index("-- @if ga4_export_layout = airbyte"),
    )
    assert parquet < airbyte
    assert "ga4_export_layout: parquet" in (PROJECT_DIR / "dbt_project.yml").read_text()


@pytest.mark.no_engine
@pytest.mark.parametrize(
    ("sql", "vars", "message"),
    [
        ("-- @if layout = a\nselect 1;\n-- @end if\n", {"layout": "b"}, "var layout is 'b'"),
        ("-- @if layout = a\nselect 1;\n", {"layout": "a"}, "has no `-- @end if` line"),
        ("select 1;\n-- @end if\n", {}, "without its `-- @if` line"),
        (
            "-- @if layout = a\n-- @if layout = b\n-- @end if\n-- @end if\n",
            {"layout": "a"},
            "has no `-- @end if` line",
        ),
    ],
)
def test_misused_if_blocks_give_a_clear_error(sql, vars, message):
    with pytest.raises(ProvisioningError, match=message):
        select_blocks(sql, vars)


@pytest.mark.no_engine
def test_if_blocks_keep_the_matching_block_and_everything_outside():
    sql = "a;\n-- @if x = 1\nb;\n-- @end if\n-- @if x = 2\nc;\n-- @end if\nd;\n"
    assert select_blocks(sql, {"x": 1}).split() == ["a;", "b;", "d;"]
    assert select_blocks(sql, {"x": "2"}).split() == ["a;", "c;", "d;"]
