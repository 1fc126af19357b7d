"""Faults and schema drift: a killed build, re-run, ends where an uninterrupted one does; Airbyte
adding or widening columns breaks nothing; a removed column fails with a message naming it.

Two projects on the same pinned sample (generated once per session, then copied): one built
without interruption (the session's built template, the reference), one whose first
`dbt build` is killed with SIGKILL after a few models, then built again.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time

import pytest
from ecom_analytics import PROJECT_DIR
from ecom_analytics.refresh import refresh_analytics
from ecom_analytics.workspace import BIN_DIR
from helpers import Project, models_snapshot, one

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def schema(project: Project) -> list[tuple]:
    """Every relation of the models and its definition (UUIDs left out), after a refresh that
    waits for every analytics view: a temporary table left then (a refresh's `.tmp.inner_id...`)
    is a leftover of the killed process, not a refresh in flight."""
    with project.client() as client:
        refresh_analytics(client)
        return relations(client)


def relations(client) -> list[tuple]:
    """`schema` on a client whose refreshes have just run."""
    found = client.query(
        "select database, name, engine, create_table_query from system.tables "
        "where database like 'data\\_%' or database like 'analytics\\_%' "
        "order by database, name"
    ).result_rows
    return [
        (database, name, engine, UUID.sub("", create)) for database, name, engine, create in found
    ]


@pytest.fixture(scope="module")
def reference(pinned_built_template: Project, tmp_path_factory):
    """A copy of the pinned sample built without interruption."""
    uninterrupted = pinned_built_template.copy_into(
        Project(tmp_path_factory.mktemp("uninterrupted"))
    )
    with uninterrupted.client() as client:
        rows = models_snapshot(client)  # after a refresh of every analytics view
        return relations(client), rows


@pytest.fixture(scope="module")
def rebuilt_after_kill(pinned_sample: Project) -> Project:
    process = subprocess.Popen(
        [str(BIN_DIR / "dbt"), "build", "--exclude", "resource_type:unit_test"],
        cwd=PROJECT_DIR,
        env=pinned_sample.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    created = 0
    deadline = time.monotonic() + 600
    for line in process.stdout:
        created += " OK created " in line
        if created >= 8 or time.monotonic() > deadline:
            process.send_signal(signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    pinned_sample.dbt("build", "--exclude", "resource_type:unit_test")
    return pinned_sample


def test_a_killed_build_run_again_has_the_uninterrupted_relations(rebuilt_after_kill, reference):
    assert schema(rebuilt_after_kill) == reference[0]


def test_a_killed_build_run_again_has_the_uninterrupted_rows(rebuilt_after_kill, reference):
    with rebuilt_after_kill.client() as client:
        assert models_snapshot(client) == reference[1]


# --- schema drift (on the re-built project) -----------------------------------------------------

ORDER = (
    "insert into raw_shopify.orders (_airbyte_raw_id, _airbyte_extracted_at, _airbyte_meta, "
    "_airbyte_generation_id, id, name, created_at, updated_at{extra}) values "
    "('drift-{n}', now64(3), '{{}}', 0, {n}, '#D{n}', now64(3), now64(3){value})"
)


def test_an_added_raw_column_loads_and_flows_into_curated(rebuilt_after_kill):
    project = rebuilt_after_kill
    with project.client() as client:
        client.command("alter table raw_shopify.orders add column loyalty_tier String")
        client.command(ORDER.format(n=990001, extra=", loyalty_tier", value=", 'gold'"))
        found = one(
            client, "select order_name from data_shopify.orders final where order_id = 990001"
        )
    assert found == {"order_name": "#D990001"}
    project.dbt("build", "--select", "shopify__orders", "--exclude", "resource_type:unit_test")


def test_a_widened_raw_column_loads_and_flows_into_curated(rebuilt_after_kill):
    project = rebuilt_after_kill
    with project.client() as client:
        # Airbyte widens a number to text when the source's type changes
        client.command("alter table raw_shopify.orders modify column order_number Nullable(String)")
        client.command(ORDER.format(n=990002, extra=", order_number", value=", '12345'"))
        found = one(
            client, "select order_number from data_shopify.orders final where order_id = 990002"
        )
    assert found == {"order_number": 12345}
    project.dbt("build", "--select", "shopify__orders", "--exclude", "resource_type:unit_test")


def test_dropping_a_raw_column_a_view_reads_is_refused_naming_it(rebuilt_after_kill):
    with rebuilt_after_kill.client() as client, pytest.raises(Exception) as refused:
        client.command("alter table raw_shopify.orders drop column landing_site")
    assert "landing_site" in str(refused.value)
    assert "orders_raw_shopify" in str(refused.value)  # the materialized view that reads it


def test_a_raw_table_without_a_column_fails_the_build_naming_it(rebuilt_after_kill):
    project = rebuilt_after_kill
    with project.client() as client:
        client.command("drop view data_shopify.orders_raw_shopify sync")
        client.command("alter table raw_shopify.orders drop column source_name")
    result = project.dbt("run", "--select", "shopify__orders", "--full-refresh", check=False)
    assert result.returncode != 0
    assert "source_name" in result.stdout + result.stderr
