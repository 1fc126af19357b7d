"""The embedded target's clear errors: a folder held by another process, a path that is a file,
a refresh that fails."""

from __future__ import annotations

import pytest
from dbt.adapters.chdb.client import EmbeddedPathError, open_embedded
from ecom_analytics.refresh import RefreshError, refresh_analytics
from helpers import NO_LEFTOVERS, Project, leftovers


def test_a_second_process_gets_a_clear_error_naming_the_folder(project):
    with project.client():  # this process holds the folder ...
        result = project.cli_process("provision", check=False)  # ... while another one wants it
        dbt = project.dbt_process("debug", check=False)
    folder = str(project.chdb_path.resolve())
    assert result.returncode != 0
    assert f"The embedded ClickHouse database at {folder} is in use by another process" in (
        result.stderr
    )
    assert "ECOM_CHDB_PATH" in result.stderr  # and says what to do
    assert "Traceback" not in result.stderr
    assert dbt.returncode != 0
    assert f"{folder} is in use by another process" in dbt.stdout
    # the engine's own raw lock errors do not come before the message
    for output in (result.stdout + result.stderr, dbt.stdout + dbt.stderr):
        assert "Cannot lock file" not in output

    # Once the holder lets go, the other process gets in.
    project.cli_process("provision")


def test_a_path_that_is_a_file_gets_a_clear_error(tmp_path):
    project = Project(tmp_path)
    project.chdb_path.write_text("not a database folder")
    result = project.cli_process("provision", check=False)
    assert result.returncode != 0
    assert f"The embedded ClickHouse path {project.chdb_path.resolve()} is a file" in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises(EmbeddedPathError, match="is a file, not a folder"):
        open_embedded(str(project.chdb_path))


def test_dropped_tables_leave_no_queue_behind(tmp_path):
    """Refreshes and scratch tables drop tables; none may stay queued in metadata_dropped/,
    or every later open of the folder pays for them (docs/architecture.md)."""
    folder = tmp_path / "db"
    with open_embedded(str(folder)) as client:
        client.command("create database scratch")
        client.command("create table scratch.source (x UInt64) engine = MergeTree order by x")
        client.command(
            "create materialized view scratch.summary refresh every 1 hour "
            "engine = MergeTree order by x as select x from scratch.source"
        )
        for _ in range(10):
            client.command("create table scratch.t (x UInt64) engine = MergeTree order by x")
            client.command("drop table scratch.t")  # no SYNC, as dbt-clickhouse drops
            client.command("system refresh view scratch.summary")
            client.command("system wait view scratch.summary")
    with open_embedded(str(folder)):
        queued = list((folder / "metadata_dropped").iterdir())
    assert len(queued) <= 1, queued  # 20 drops; at most the one in flight at close


def test_replaced_partitions_leave_no_outdated_parts_behind(tmp_path):
    """A backfill replaces and attaches partitions from scratch copies. The parts replaced stay
    on disk ("outdated") until a cleanup thread an embedded process rarely lives to see deletes
    them, and every later open loads them all: none may outlive the close."""
    folder = tmp_path / "db"
    table = "(day Date, x UInt64) engine = MergeTree partition by day order by x"
    with open_embedded(str(folder)) as client:
        client.command("create database scratch")
        client.command(f"create table scratch.target {table}")
        client.command(
            "insert into scratch.target select toDate('2026-06-01') + number % 5, number"
            " from numbers(50)"
        )
        for chunk in range(5):
            day = f"2026-06-0{chunk + 1}"
            client.command(f"create table scratch.copy {table}")
            client.command(f"insert into scratch.copy select '{day}', number from numbers(20)")
            for verb in ("replace", "attach"):  # the two backfill strategies
                client.command(
                    f"alter table scratch.target {verb} partition '{day}' from scratch.copy"
                )
            client.command("drop table scratch.copy sync")
        assert client.query("select count() from scratch.target").result_rows[0][0] == 200
    assert leftovers(folder) == NO_LEFTOVERS


def test_a_failing_refresh_stops_the_run_at_once_with_the_engines_error(tmp_path):
    """Only a cancelled refresh is asked for again; any other error ends the run at once,
    naming the view and the engine's message, on one line (`ecom refresh` too)."""
    project = Project(tmp_path)
    with open_embedded(str(project.chdb_path)) as client:
        client.command("create database analytics_scratch")
        client.command(
            "create materialized view analytics_scratch.failing_mv refresh every 1 day "
            "engine = MergeTree order by tuple() "
            "as select throwIf(number = 0, 'no such figure') as x from numbers(1)"
        )
        with pytest.raises(RefreshError) as raised:
            refresh_analytics(client)
    message = str(raised.value)
    assert message.startswith("The refresh of analytics_scratch.failing_mv failed: ")
    assert "no such figure" in message
    assert "Stack trace" not in message and "\n" not in message
    result = project.cli_process("refresh", check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {message}"
