"""Nothing lost, nothing double counted: whatever way Airbyte delivers the raw rows, every
curated and analytics model ends equal to a fresh build on the same final raw state.

Set-up: small-scale sample data generated into raw tables of their own (a copy of the
provisioned template: no view fires on it), read back as the pool of delivered rows (the
session's `delivery_pool`, shared with test_incremental_analytics; it
already holds order, customer and profile versions, re-deliveries, late Klaviyo events,
restated GA4 days, and the GA4 export's intraday, daily and re-exported deliveries of the same
events). The loads go to the module's copy of the built pinned sample; every raw and model
table is emptied before each load, so what the models held before is immaterial.

Each hypothesis example empties raw and every model table, then inserts the pool in a random
delivery pattern (shuffled, split into random batches, about a fifth of the batches delivered
twice), refreshes the analytics layer and snapshots every model. The reference is a fresh load
of the same raw state: every row once, in load order, one batch per table.

A few examples run in `make test`; `make test-deep` runs many more
(`ECOM_HYPOTHESIS_EXAMPLES`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pytest
from helpers import Project, model_relations, models_snapshot
from helpers.delivery import raw_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("ECOM_HYPOTHESIS_EXAMPLES", "3"))


def empty_everything(client) -> None:
    for table in raw_tables(client):
        client.command(f"truncate table {table}")
    for database, name, engine in model_relations(client):
        if engine.endswith("MergeTree"):
            client.command(f"truncate table `{database}`.`{name}`")


def deliveries(pool: dict[str, pa.Table], seed: int, batches: int) -> Iterator[tuple]:
    """(table, rows) inserts: each table's rows shuffled, cut into up to `batches` batches,
    about a fifth of them delivered twice; tables interleaved at random."""
    rng = np.random.default_rng(seed)
    inserts = []
    for table, rows in pool.items():
        order = rng.permutation(rows.num_rows)
        cuts = np.sort(rng.choice(np.arange(1, max(rows.num_rows, 2)), batches - 1))
        for part in np.split(order, cuts):
            if len(part):
                inserts.append((table, rows.take(part)))
                if rng.random() < 0.2:
                    inserts.append((table, rows.take(part)))
    for i in rng.permutation(len(inserts)):
        yield inserts[i]


def insert(client, table: str, rows: pa.Table) -> None:
    database, name = (part.strip("`") for part in table.split("."))
    # One insert is one delivery: keep every row of it, as the destination does.
    client.insert_arrow(name, rows, database=database, settings={"optimize_on_insert": 0})


@pytest.fixture(scope="module")
def reference(pinned_built: Project, delivery_pool) -> dict[str, list]:
    with pinned_built.client() as client:
        empty_everything(client)
        for table, rows in delivery_pool.items():
            insert(client, table, rows)
        return models_snapshot(client)


def test_reference_is_not_empty(reference):
    """The comparison means something: the fresh load fills curated and analytics models."""
    filled = {name for name, rows in reference.items() if rows}
    assert any(name.startswith("data_shopify.") for name in filled)
    assert any(name.startswith("data_klaviyo.") for name in filled)
    assert any(name.startswith("data_ga4.") for name in filled)
    assert any(name.startswith("analytics_") for name in filled)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1), batches=st.integers(1, 12))
def test_any_delivery_pattern_ends_equal_to_a_fresh_load(
    project, delivery_pool, reference, seed, batches
):
    with project.client() as client:
        empty_everything(client)
        for table, rows in deliveries(delivery_pool, seed, batches):
            insert(client, table, rows)
        found = models_snapshot(client)
    differing = [
        f"{name}: {len(found.get(name, []))} rows against {len(rows)}"
        for name, rows in reference.items()
        if found.get(name) != rows
    ]
    assert not differing, "models differ from a fresh load:\n" + "\n".join(differing)
