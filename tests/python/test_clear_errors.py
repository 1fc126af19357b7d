"""Clear errors for a target that cannot be used: a server that does not answer, a folder that
was never provisioned. Each message names what is wrong and what to do, with no traceback."""

from __future__ import annotations

import socket

import pytest
from helpers import Project


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.no_engine
def test_an_unreachable_server_target_names_the_target_and_the_host(tmp_path):
    project = Project(tmp_path)
    port = closed_port()
    project.env.update(
        CLICKHOUSE_HOST="127.0.0.1",
        CLICKHOUSE_PORT=str(port),
        CLICKHOUSE_USER="loader",
        CLICKHOUSE_PASSWORD="unused",
    )
    result = project.cli_process("--target", "cluster", "provision", check=False)
    assert result.returncode == 2
    assert f"Cannot reach ClickHouse target cluster at 127.0.0.1:{port}" in result.stderr
    assert "CLICKHOUSE_HOST" in result.stderr  # and says what to check
    assert "Traceback" not in result.stderr


@pytest.mark.no_engine
def test_an_unknown_target_names_the_valid_ones_on_one_line(tmp_path):
    result = Project(tmp_path).cli_process("--target", "prod", "refresh", check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: The profile 'ecommerce_analytics' does not have a target named 'prod'. "
        "The valid target names for this profile are: local, cloud, cluster"
    ]


def test_dbt_on_a_folder_never_provisioned_names_the_table_and_make_provision(tmp_path):
    result = Project(tmp_path).dbt("build", check=False)
    assert result.returncode != 0
    assert "Raw table raw_ga4.daily_active_users does not exist (nor 28 more:" in result.stdout
    assert "Run `make provision`" in result.stdout
    assert " OK created " not in result.stdout  # it stopped before any model


def test_dbt_with_one_raw_table_missing_names_it(provisioned):
    with provisioned.client() as client:
        client.command("drop table raw_shopify.transactions sync")
    result = provisioned.dbt("run", "--select", "shopify__orders", check=False)
    assert result.returncode != 0
    assert "Raw table raw_shopify.transactions does not exist on target local." in result.stdout
    assert "Run `make provision`" in result.stdout
    provisioned.cli("provision")  # puts it back
    provisioned.dbt("run", "--select", "shopify__orders")
