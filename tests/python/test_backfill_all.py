"""`backfill_all` over every materialized-view model of the whole project built over sample
data: the expected contents are what the views computed as the raw rows arrived, before the
backfill.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from helpers import MODEL_DATABASES, Project, models_snapshot
from helpers.backfill import NOT_BACKFILLED


def view_targets(client) -> list[str]:
    """The target tables of the insert-triggered materialized views (refreshable ones left
    out), read from the engine: one per materialized-view model, but the logs of arrivals
    (NOT_BACKFILLED), which backfills leave alone."""
    found = client.query(
        "select distinct extract(create_table_query, ' TO (\\w+\\.\\w+)') from system.tables"
        f" where engine = 'MaterializedView' and ({MODEL_DATABASES})"
        " and create_table_query not like '% REFRESH %' order by 1"
    ).result_rows
    return [target for (target,) in found if target not in NOT_BACKFILLED]


@pytest.fixture(scope="module")
def sample_project(pinned_built: Project) -> Iterator[Project]:
    """The whole project built over the pinned sample (history 2026-05-04 to 2026-10-31), its
    engine held open for the module's clients and in-process dbt runs (Project.held)."""
    with pinned_built.held():
        yield pinned_built


@pytest.fixture(scope="module")
def built(sample_project: Project) -> dict[str, list]:
    """Every model's rows as the build and the views computed them, before any backfill (one
    snapshot for the module: each test compares with it)."""
    with sample_project.client() as client:
        return models_snapshot(client)


def backfill_all(project: Project, **args) -> str:
    output = project.dbt("run-operation", "backfill_all", "--args", json.dumps(args)).stdout
    assert "DIFFERS" not in output, output
    assert "models whose reconciliation differs: none" in output, output
    return output


def test_whole_project_backfill_on_a_quiet_database_reports_no_mismatch(sample_project, built):
    """Week chunks over part of the history, on a correct database: every model reconciles
    (also those keyed on load time, whose keys have newer versions loaded after the range),
    the command exits 0 and no model changes. Four weeks, one across a month's end (monthly
    partitions), and a last chunk of three days."""
    with sample_project.client() as client:
        targets = view_targets(client)
    output = backfill_all(sample_project, start="2026-07-20", end="2026-08-20", chunk="week")
    assert f"backfill_all: {len(targets)} materialized-view models" in output
    assert len(targets) == 35  # 33 from the Airbyte sources, 2 from the GA4 export (events, items)
    assert output.count("reconciliation of ") == len(targets)
    with sample_project.client() as client:
        assert models_snapshot(client) == built


def test_whole_project_backfill_restores_every_emptied_model(sample_project, built):
    """Every view target emptied; backfills over the history and the catalogue's older
    versions (products, variants and profiles were created up to 900 days before it), and over
    1970-01-01, where rows without a parsable time land, put back exactly what the views had
    computed."""
    with sample_project.client() as client:
        for target in view_targets(client):
            client.command(f"truncate table {target}")
        assert all(
            client.query(f"select count() from {t}").result_rows[0][0] == 0
            for t in view_targets(client)
        )
    backfill_all(sample_project, start="1970-01-01", end="1970-01-02", chunk="day")
    backfill_all(sample_project, start="2023-11-01", end="2026-11-02", chunk="month")
    with sample_project.client() as client:
        assert models_snapshot(client) == built
