"""Bad input never fails a raw insert and never loses a row, for every raw table.

The cases are generated from each raw table's columns as the engine reports them
(system.columns), so a raw table added to provisioning_flow.sql is covered with no edit here.
Each case is one realistic row (a row of the generated sample, the "base") with one column,
or one field nested in a JSON column, replaced by a bad value:

- every column: null (a non-Nullable column then gets its default, as Airbyte's destination
  writes it) and empty ('' or 0: an empty key where the column is a key);
- String columns: malformed JSON, JSON of the wrong type, numbers and dates as text that
  overflow or do not parse, very long text, unicode, text that looks like SQL;
- numbers and dates: the extremes of the column type (1900, 2299, negative, 1e30 where the
  type holds it; values the type cannot hold are skipped, as the destination cannot write them);
- JSON columns: every nested field of the base value missing, and replaced by a value of
  another type or an extreme one.

Rows get keys of their own (`bad-input-<n>`), except the cases that change the key itself.
Every table's cases go in one Airbyte-style insert (JSONEachRow, best-effort date-times,
unknown fields skipped); if it fails, the batch is split until the failing cases are named.
Then: every insert succeeded, every row is in raw, every raw key is in its curated table or
counted as unkeyed by the data-quality models, and the analytics build and refresh succeed.

`ECOM_BAD_INPUT_REPORT=1` prints the number of cases of each kind per table.
"""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
from ecom_analytics.refresh import refresh_analytics
from helpers import model_manifest, model_relations
from helpers.bad_input import (
    AIRBYTE_INSERT_SETTINGS,
    INTEGER,
    RAW_TABLES,
    TAG,
    Outcome,
    generate_cases,
    insert_all,
    sorting_key,
)


@pytest.fixture(scope="module")
def loaded(pinned_built):
    """The pinned sample with the whole project built on it, then every table's bad cases
    inserted (the curated and analytics views fire on them). Its engine is held open for the
    module's tests (Project.held): each test opens a client, and dozens of opens would cost
    most of a second each."""
    project = pinned_built
    outcomes = {}
    with project.held():
        with project.client() as client:
            for database, table in RAW_TABLES:
                cases, skipped = generate_cases(client, database, table)
                failed = insert_all(client, f"{database}.{table}", cases)
                outcomes[database, table] = Outcome(cases, skipped, failed)
        project.outcomes = outcomes
        if os.environ.get("ECOM_BAD_INPUT_REPORT"):
            print_report(outcomes)
        yield project


def print_report(outcomes: dict) -> None:
    kinds = sorted({case.kind for outcome in outcomes.values() for case in outcome.cases})
    print(f"\n{'raw table':<48}" + "".join(f"{k[:14]:>15}" for k in kinds) + "  skipped  failed")
    totals: Counter = Counter()
    for (database, table), outcome in outcomes.items():
        counts = Counter(case.kind for case in outcome.cases)
        totals.update(counts)
        print(
            f"{database + '.' + table:<48}"
            + "".join(f"{counts[k]:>15}" for k in kinds)
            + f"{outcome.skipped:>9}{len(outcome.failed):>8}"
        )
    print(f"{'total':<48}" + "".join(f"{totals[k]:>15}" for k in kinds))


TABLE_IDS = [f"{database}.{table}" for database, table in RAW_TABLES]


@pytest.mark.parametrize("raw_table", RAW_TABLES, ids=TABLE_IDS)
def test_every_bad_raw_insert_succeeds(loaded, raw_table):
    outcome = loaded.outcomes[raw_table]
    assert len(outcome.cases) > 20
    assert [f"{case.describe()}: {error}" for case, error in outcome.failed] == []


@pytest.mark.parametrize("raw_table", RAW_TABLES, ids=TABLE_IDS)
def test_every_bad_row_stays_in_raw(loaded, raw_table):
    """Every case is in raw, or was collapsed by raw's own ReplacingMergeTree (the raw
    contract: dedup is eventual) with a row of the same key, which is then in raw."""
    database, table = raw_table
    cases = loaded.outcomes[raw_table].cases
    with loaded.client() as client:
        found = {
            raw_id
            for (raw_id,) in client.query(
                f"select _airbyte_raw_id from {database}.{table} "
                f"where startsWith(_airbyte_raw_id, '{TAG}:{table}:')"
            ).result_rows
        }
        collapsed = [case for case in cases if case.raw_id not in found]
        key = sorting_key(client, database, table)
        raw_keys = {
            key_of(row)
            for row in client.query(f"select {', '.join(key)} from {database}.{table}").result_rows
        }
        types = ", ".join(
            f"{name} {type_name}"
            for name, type_name in client.query(
                f"select name, type from system.columns where database = '{database}' "
                f"and table = '{table}' and name in %(key)s order by position",
                parameters={"key": tuple(key)},
            ).result_rows
        )
        lost = [
            case.describe()
            for case in collapsed
            if key_of(
                client.query(
                    f"select {', '.join(key)} from format(JSONEachRow, '{types}', %(row)s)",
                    parameters={"row": case.line()},
                    settings=AIRBYTE_INSERT_SETTINGS,
                ).result_rows[0]
            )
            not in raw_keys
        ]
    assert lost == []
    assert len(collapsed) < len(cases) / 10  # the cases with a key of their own all stay


def key_of(values) -> tuple:
    """A key as comparable text, whatever the order of its columns in raw and curated."""
    return tuple(sorted(str(value) for value in values))


def unkeyed_counts(client) -> Counter:
    """Raw rows the data-quality models count as unkeyed: (raw database, raw table) -> rows."""
    klaviyo = client.query(
        "select source_relation, stream, count() from data_klaviyo.unkeyed_rows "
        "where position(stream, '.') = 0 group by all"
    ).result_rows
    return Counter({(database, stream): n for database, stream, n in klaviyo})


def entity_models(manifest: dict, database: str, table: str, grain: int) -> list[tuple]:
    """(relation, key columns) of the curated materialized views that read this raw table at
    its grain (a key of `grain` columns besides source_relation), from dbt's manifest."""
    found = []
    for node in manifest["nodes"].values():
        config = node.get("config", {})
        if node["resource_type"] != "model" or config.get("materialized") != "materialized_view":
            continue
        if not node["original_file_path"].startswith("curated_datasets/"):
            continue  # the analytics layer's log of raw deliveries reads raw too
        sources = [manifest["sources"].get(uid) for uid in node["depends_on"]["nodes"]]
        if not any(s and (s["schema"], s["name"]) == (database, table) for s in sources):
            continue
        key = [c.strip() for c in config["order_by"].strip("()").split(",")]
        key = [c for c in key if c != "source_relation"]
        if len(key) == grain:
            found.append((f"{node['schema']}.{node['alias']}", key))
    return found


@pytest.mark.parametrize("raw_table", RAW_TABLES, ids=TABLE_IDS)
def test_every_raw_key_is_curated_or_counted_as_unkeyed(loaded, raw_table):
    """raw keys = curated rows + unkeyed rows, for each curated model at the raw table's grain:
    nothing lost, nothing doubled, nothing invented."""
    database, table = raw_table
    manifest = model_manifest(loaded)
    with loaded.client() as client:
        raw_key = sorting_key(client, database, table)
        raw_rows = Counter(
            key_of(row)
            for row in client.query(
                f"select {', '.join(raw_key)} from {database}.{table}"
            ).result_rows
        )
        unkeyed = unkeyed_counts(client)[database, table]
        models = entity_models(manifest, database, table, len(raw_key))
        if not models:
            pytest.skip("no curated model at this table's grain (children: see the next test)")
        for relation, key in models:
            curated = Counter(
                key_of(row)
                for row in client.query(
                    f"select {', '.join(key)} from {relation} final "
                    f"where source_relation = '{database}'"
                ).result_rows
            )
            assert max(curated.values(), default=1) == 1, relation  # one row per key
            missing = {k: n for k, n in raw_rows.items() if k not in curated}
            assert sum(missing.values()) == unkeyed, (relation, list(missing)[:5])
            assert set(curated) <= set(raw_rows), relation  # nothing invented


# JSON array column of a Shopify raw table -> (raw table, curated child table, its parent key
# column, the element field that keys a child, that field's JSON type), as the data-quality
# model lists unkeyed children.
SHOPIFY_CHILDREN = {
    "line_items": ("orders", "order_lines", "order_id", "id", int),
    "discount_codes": ("orders", "order_discount_codes", "order_id", "code", str),
    "refund_line_items": ("order_refunds", "refund_lines", "refund_id", "line_item_id", int),
    "quantities": ("inventory_levels", "inventory_levels", "inventory_level_id", "name", str),
}


def expected_children(text, field: str, field_type: type) -> tuple[int, int]:
    """(distinct child keys, unkeyed elements) of a raw JSON array, parsed in Python."""
    try:
        elements = json.loads(text) if text else []
    except ValueError:
        elements = []
    if not isinstance(elements, list):
        elements = []
    keys, unkeyed = set(), 0
    for element in elements:
        value = element.get(field) if isinstance(element, dict) else None
        if field_type is int:  # an integer, or an integer's text, in Int64's range
            number = int(value) if isinstance(value, str) and INTEGER.fullmatch(value) else value
            usable = type(number) is int and -(2**63) <= number < 2**63
        else:  # any value but null and '' (another JSON type is kept as its text)
            usable = value is not None and value != ""
        if usable:
            keys.add(json.dumps(value, sort_keys=True))
        else:
            unkeyed += 1
    return len(keys), unkeyed


@pytest.mark.parametrize("collection", SHOPIFY_CHILDREN)
def test_every_child_of_a_bad_row_is_curated_or_counted_as_unkeyed(loaded, collection):
    """Elements of a JSON array = child rows + the data-quality model's unkeyed children, for
    every case with a key of its own (one parent version each)."""
    raw_table, child_table, parent_key, field, field_type = SHOPIFY_CHILDREN[collection]
    cases = [c for c in loaded.outcomes["raw_shopify", raw_table].cases if c.column != "id"]
    tagged = f"toString({parent_key}) in %(ids)s"
    with loaded.client() as client:
        ids = {str(json.loads(case.row["id"])): case for case in cases}
        curated = dict(
            client.query(
                f"select toString({parent_key}), count() from data_shopify.{child_table} final "
                f"where source_relation = 'raw_shopify' and {tagged} group by 1",
                parameters={"ids": tuple(ids)},
            ).result_rows
        )
        unkeyed = dict(
            client.query(
                "select parent_id, count() from data_shopify.data_quality "
                f"where source_relation = 'raw_shopify' and collection = '{collection}' "
                "and parent_id in %(ids)s group by 1",
                parameters={"ids": tuple(ids)},
            ).result_rows
        )
    wrong = []
    for parent, case in ids.items():
        keys, without_key = expected_children(
            json.loads(case.row.get(collection, "null")), field, field_type
        )
        if collection == "quantities" and keys + without_key == 0:
            keys = 1  # a level without quantities keeps its `available` figure
        found = (curated.get(parent, 0), unkeyed.get(parent, 0))
        if found != (keys, without_key):
            wrong.append(f"{case.describe()}: curated, unkeyed {found} != {(keys, without_key)}")
    assert wrong == []


def test_the_analytics_build_succeeds_over_the_bad_rows(loaded):
    """Analytics never fail on bad raw rows: every model builds and every data test passes,
    the refreshable views refresh, and every analytics relation can be read in full."""
    loaded.dbt(
        "build", "--select", "path:analytics_datasets", "--exclude", "resource_type:unit_test"
    )
    with loaded.client() as client:
        # refreshed on this open's client, so system.view_refreshes shows the runs asked for
        # here: the runs an open starts before it stops them race the engine's start-up (one
        # ended "Database system does not exist") and say nothing about the views' SQL
        # every view, current or not; raises unless each refresh succeeded
        refresh_analytics(client, full=True)
        failed = client.query(
            "select database, view, exception from system.view_refreshes where exception != ''"
        ).result_rows
        relations = [
            (database, name)
            for database, name, _ in model_relations(client)
            if database.startswith("analytics_")
        ]
        for database, name in relations:
            client.command(f"select * from `{database}`.`{name}` format Null")
    assert failed == []
    assert len(relations) > 30
