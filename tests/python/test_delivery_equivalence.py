"""Nothing lost, nothing double counted: whatever way Airbyte delivers the raw rows, and whenever
the incremental states refresh between the deliveries, every curated and analytics model ends
equal to a fresh build on the same final raw state.

Set-up: small-scale sample data generated into raw tables of their own (a copy of the
provisioned template: no view fires on it), read back as the pool of delivered rows (the
session's `delivery_pool`, shared with test_incremental_analytics; it already holds order,
customer and profile versions, re-deliveries, late Klaviyo events, restated GA4 days, and the
GA4 export's intraday, daily and re-exported deliveries of the same events). The loads go to
the module's copy of the built pinned sample whose incremental states have no overlap
(conftest's `incremental`); every raw and model table is emptied before each load, so what the
models held before is immaterial.

Each hypothesis example empties raw and every model table, then inserts the pool in a random
delivery pattern (shuffled, split into random batches, about a fifth of the batches delivered
twice), with refreshes of the incremental states at random points between the deliveries.
The pattern ends with a refresh and a re-delivery of a slice of every table the states read, so
every state recomputes its changed keys into a filled state at least once. Then the whole
analytics layer refreshes (incrementally) and every model is snapshot. The reference is a fresh
load of the same raw state (every row once, in load order, one batch per table) followed by a
full recompute (`refresh_analytics(full=True)`): it never comes from the incremental path.

A few examples run in `make test`; `make test-deep` runs many more
(`ECOM_HYPOTHESIS_EXAMPLES`).
"""

from __future__ import annotations

import os
import random

import pytest
from ecom_analytics.refresh import refresh_analytics
from helpers import Project, models_snapshot
from helpers.delivery import deliveries, empty_everything, insert
from helpers.incremental import POOLED, refresh, state_refreshes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("ECOM_HYPOTHESIS_EXAMPLES", "3"))
# Refreshes of the states at random points of a pattern, on average: each one meets a state
# holding part of the rows, with some of its keys changed since.
REFRESHES_PER_PATTERN = 6


@pytest.fixture(scope="module")
def reference(incremental: Project, delivery_pool) -> dict[str, list]:
    with incremental.client() as client:
        empty_everything(client)
        for table, rows in delivery_pool.items():
            insert(client, table, rows)
        refresh_analytics(client, full=True)
        return models_snapshot(client)


def test_reference_is_not_empty(reference):
    """The comparison means something: the fresh load fills curated and analytics models, with
    the cases the incremental states are hardest on."""
    filled = {name for name, rows in reference.items() if rows}
    assert any(name.startswith("data_shopify.") for name in filled)
    assert any(name.startswith("data_klaviyo.") for name in filled)
    assert any(name.startswith("data_ga4.") for name in filled)
    assert any(name.startswith("analytics_") for name in filled)


def test_the_pool_holds_what_moves_between_keys(incremental, reference):
    """A transaction's repeated purchase events (its first one moves as deliveries arrive) and
    direct sessions that take an earlier session's source (attribution crosses sessions): in
    the reference, counted again from its rows."""
    with incremental.client() as client:
        repeated, inherited = client.query(
            "select"
            " (select countIf(is_repeated_purchase) from analytics_ga4.int_ga4__commerce_events),"
            " (select countIf(session_source = '(direct)'"
            "   and last_non_direct_source != '(direct)') from analytics_ga4.ga4_sessions)"
        ).result_rows[0]
    assert repeated > 0
    assert inherited > 0


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1), batches=st.integers(1, 12))
def test_any_delivery_pattern_ends_equal_to_a_fresh_load(
    incremental, delivery_pool, reference, seed, batches
):
    rng = random.Random(seed)
    with incremental.client() as client:
        empty_everything(client)
        inserts = list(deliveries(delivery_pool, seed, batches))
        for table, rows in inserts:
            insert(client, table, rows)
            if rng.random() < REFRESHES_PER_PATTERN / len(inserts):
                refresh(client)
        refresh(client)
        for table, rows in delivery_pool.items():
            if table.startswith(POOLED):
                length = max(rows.num_rows // 5, 1)
                insert(client, table, rows.slice(rng.randrange(rows.num_rows - length + 1), length))
        found = models_snapshot(client)
        refreshes = state_refreshes(client)
    differing = [
        f"{name}: {len(found.get(name, []))} rows against {len(rows)}"
        for name, rows in reference.items()
        if found.get(name) != rows
    ]
    assert not differing, "models differ from a fresh load:\n" + "\n".join(differing)
    # every state appended to a filled state: the incremental path ran
    assert all(count > 1 for count in refreshes.values()), refreshes
