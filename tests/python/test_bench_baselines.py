"""The benchmark's baselines (bench/baselines/*.sql): SQL for the bench, not definitions.

Each renders with the project's macros alone, says what it is in its header, and leaves the
definitions to the macros (no private JSON parse or channel rules). Their answers are compared
with the models' by `ecom bench` itself (test_bench runs it)."""

from __future__ import annotations

import pytest
from ecom_analytics import project_macros
from ecom_analytics.bench.queries import BASELINE_MACROS
from ecom_analytics.target import project_vars
from ecom_analytics.typical_queries import BASELINES, TYPICAL_QUERIES

pytestmark = pytest.mark.no_engine

USED = {
    path.name
    for query in TYPICAL_QUERIES.values()
    for path in (query.curated, query.raw)
    if path is not None
}


def test_every_baseline_file_belongs_to_a_typical_query():
    files = {path.name for path in BASELINES.glob("*.sql") if not path.name.startswith("_")}
    assert files == USED


@pytest.mark.parametrize("name", sorted(USED))
def test_baseline_renders_and_says_it_is_no_definition(name):
    path = BASELINES / name
    assert path.read_text().startswith("{#- Baseline for the benchmark, not a definition")
    sql = project_macros.render(path, BASELINE_MACROS, project_vars(), ref=lambda n: f"db.{n}")
    assert "{{" not in sql and "{%" not in sql and "{#" not in sql
    # the definitions come from the macros: no private copies of a parse or of the rules
    assert "toDecimal128OrZero" not in sql and "_default_channel_groups$" not in sql
