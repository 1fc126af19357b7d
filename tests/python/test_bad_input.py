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
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from ecom_analytics.provision import render
from ecom_analytics.target import project_vars
from helpers import AIRBYTE_INSERT_SETTINGS, insert_json_lines, model_manifest, model_relations

RAW_TABLES = [table for step in render(project_vars()).raw for table in step.tables]
TAG = "bad-input"
INTEGER = re.compile(r"-?[0-9]+")
INT_TAG = 8_000_000_000_000_000_000  # far above every generated id, below Int64's maximum

LONG_TEXT = "long text " * 10_000
# Text that a String column may receive, by kind.
TEXT_CASES = {
    "malformed_json": [
        '{"id": ',
        '[{"id": 1,',
        "{oops",
        "[1, 2",
        '"unterminated',
        '{"a": 1}}',
        "{'single': 'quotes'}",
        '{"a": NaN}',
    ],
    "wrong_json_type": ["[]", "{}", "[{}]", '"text"', "42", "true", "null", "[[[]]]", "[null]"],
    "number_text": [
        "1e30",
        "-1e30",
        "1e400",
        "-99999999999999999999999999999999999999999",
        "NaN",
        "Infinity",
        "0x1F",
        "1,5",
        " 12 ",
    ],
    "date_text": [
        "1900-01-01",
        "2299-12-31 23:59:59",
        "1899-12-31",
        "2300-01-01",
        "0000-00-00 00:00:00",
        "2024-02-30",
        "20240230",
        "99999999",
        "-1",
        "not a date",
    ],
    "long_text": [LONG_TEXT, "[" + '{"id": 1}, ' * 10_000 + "{}]"],
    "unicode": [
        "Ünïcødé 🛒 漢字 العربية",
        "\u202e\u200b\ufeff",
        "nul\u0000byte",
        'tab\tnew\nline\r"quote\\back',
    ],
    "sql_text": [
        "'; drop table raw_shopify.orders; --",
        "1) or (1 = 1",
        "' union select * from system.users --",
        "{{ var('x') }}",
        "%(q)s ${CLICKHOUSE_PASSWORD}",
    ],
}
# JSON literals for typed columns, by kind; those the column type cannot hold are skipped.
INT_CASES = ["9223372036854775807", "-9223372036854775808", "-1", "1e30", "4294967296"]
DECIMAL_CASES = [
    "1e30",
    "99999999999999999999999999999.999999999",
    "-99999999999999999999999999999.999999999",
    "0.000000001",
    "-0.000000001",
    "1e-30",
]
DATE_CASES = [
    '"1900-01-01 00:00:00.000"',
    '"2299-12-31 23:59:59.999"',
    '"1899-12-31 23:59:59"',
    '"2300-01-01"',
    '"1970-01-01 00:00:00"',
    "-1",
    '"2024-03-10T02:30:00-05:00"',
    '"0000-00-00 00:00:00"',
]
# Values a field nested in a JSON column may get instead of its own.
NESTED_CASES = [
    {},
    [],
    "text",
    None,
    1e30,
    -1,
    "1e400",
    "1900-01-01",
    "2299-12-31T23:59:59Z",
    LONG_TEXT[:2000],
    "Ünïcødé 🛒",
    "'; drop table raw_shopify.orders; --",
]
NESTED_DEPTH = 4


@dataclass(frozen=True)
class Case:
    table: str  # database.table
    kind: str
    column: str
    row: dict[str, str]  # column -> JSON literal

    def line(self) -> str:
        return "{" + ", ".join(f"{json.dumps(c)}: {v}" for c, v in self.row.items()) + "}"

    @property
    def raw_id(self) -> str:
        return json.loads(self.row["_airbyte_raw_id"])

    def describe(self) -> str:
        return f"{self.kind} in {self.column}: {self.row.get(self.column, '(absent)')[:120]}"


# --- generating cases -------------------------------------------------------------------------


def base_kind(type_name: str) -> str:
    inner = type_name.removeprefix("Nullable(").removesuffix(")")
    for prefix, kind in [
        ("String", "string"),
        ("Int", "int"),
        ("UInt", "int"),
        ("Decimal", "decimal"),
        ("DateTime", "date"),
        ("Date", "date"),
        ("Bool", "bool"),
    ]:
        if inner.startswith(prefix):
            return kind
    return "other"


def json_container(text) -> dict | list | None:
    """The parsed value of JSON text holding an object or an array, else None."""
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return value if isinstance(value, dict | list) and value else None


def nested_paths(value, depth: int = 0) -> list[tuple]:
    """Paths to the fields of a JSON value (in arrays, those of the first element)."""
    if depth >= NESTED_DEPTH:
        return []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list) and value:
        items = [(0, value[0])]
    else:
        return []
    paths = []
    for key, child in items:
        paths.append((key,))
        paths.extend((key, *rest) for rest in nested_paths(child, depth + 1))
    return paths


def with_path(value, path: tuple, replacement, remove: bool = False):
    """A copy of a JSON value with the field at `path` replaced (or removed)."""
    if not path:
        return replacement
    copy = dict(value) if isinstance(value, dict) else list(value)
    head = path[0]
    if len(path) == 1 and remove:
        del copy[head]
    else:
        copy[head] = with_path(copy[head], path[1:], replacement, remove)
    return copy


def column_cases(column: str, type_name: str, base_value) -> list[tuple[str, str]]:
    """(kind, JSON literal) of every bad value generated for one column."""
    kind = base_kind(type_name)
    cases = [("null", "null")]
    if kind == "string":
        cases.append(("empty", '""'))
        cases += [(k, json.dumps(text)) for k, texts in TEXT_CASES.items() for text in texts]
        container = json_container(base_value)
        if container is not None:
            for path in nested_paths(container):
                removed = with_path(container, path, None, remove=True)
                cases.append(("missing_nested_field", json.dumps(json.dumps(removed))))
                for replacement in NESTED_CASES:
                    changed = with_path(container, path, replacement)
                    cases.append(("wrong_nested_value", json.dumps(json.dumps(changed))))
    elif kind == "int":
        cases.append(("empty", "0"))
        cases += [("extreme_number", literal) for literal in INT_CASES]
    elif kind == "decimal":
        cases.append(("empty", "0"))
        cases += [("extreme_number", literal) for literal in DECIMAL_CASES]
    elif kind == "date":
        cases += [("extreme_date", literal) for literal in DATE_CASES]
    elif kind == "bool":
        cases += [("wrong_type", literal) for literal in ('"yes"', "2", '"true"')]
    return cases


def fits(client, type_name: str, literal: str, cache: dict) -> bool:
    """Whether a raw table's column of this type can hold the value at all (parsed the way the
    destination inserts it, with no materialized view involved)."""
    if base_kind(type_name) == "string":
        return True
    if (type_name, literal) not in cache:
        try:
            client.query(
                f"select * from format(JSONEachRow, 'c {type_name}', %(row)s)",
                parameters={"row": f'{{"c": {literal}}}'},
                settings=AIRBYTE_INSERT_SETTINGS,
            )
            cache[type_name, literal] = True
        except Exception:
            cache[type_name, literal] = False
    return cache[type_name, literal]


def generate_cases(client, database: str, table: str) -> tuple[list[Case], int]:
    """The cases of one raw table, and how many values were skipped for not fitting the type."""
    columns = client.query(
        "select name, type from system.columns where database = %(d)s and table = %(t)s "
        "order by position",
        parameters={"d": database, "t": table},
    ).result_rows
    types = dict(columns)
    keys = sorting_key(client, database, table)
    base = base_row(client, f"{database}.{table}")
    fit_cache: dict = {}
    cases, skipped = [], 0
    for column, type_name in columns:
        if column.startswith("_airbyte_"):
            continue  # written by the destination itself, never by the source
        for kind, literal in column_cases(column, type_name, json.loads(base.get(column, "null"))):
            if not fits(client, type_name, literal, fit_cache):
                skipped += 1
                continue
            n = len(cases)
            row = {
                **base,
                "_airbyte_raw_id": json.dumps(f"{TAG}:{table}:{n}"),
                column: literal,
            }
            # a key of its own, unless the case is about the key itself
            tag_column = next((key for key in keys if key != column), None)
            if tag_column:
                row[tag_column] = (
                    str(INT_TAG + n)
                    if base_kind(types[tag_column]) == "int"
                    else json.dumps(f"{TAG}-{n}")
                )
            cases.append(Case(f"{database}.{table}", kind, column, row))
    return cases, skipped


def base_row(client, table: str) -> dict[str, str]:
    """One generated row as {column: JSON literal}: the one with the most usable JSON."""
    result = client.raw_query(
        f"select * from {table} limit 200 format JSONEachRow",
        settings={"output_format_json_quote_64bit_integers": 0},
    ).decode()
    candidates = [json.loads(line) for line in result.splitlines() if line.strip()]
    if not candidates:
        return {"_airbyte_extracted_at": json.dumps("2024-05-01 00:00:00.000")}

    def score(row: dict) -> tuple:
        return (
            sum(json_container(v) is not None for v in row.values()),
            sum(v is not None for v in row.values()),
        )

    best = max(candidates, key=score)
    return {column: json.dumps(value) for column, value in best.items()}


# --- inserting --------------------------------------------------------------------------------


def insert_all(client, table: str, cases: list[Case]) -> list[tuple[Case, str]]:
    """Insert the cases as one batch; on failure, split it until each failing case is named
    with its error (the cases that do insert stay inserted)."""
    try:
        insert_json_lines(client, table, [case.line() for case in cases])
        return []
    except Exception as ex:
        if len(cases) == 1:
            return [(cases[0], str(ex).splitlines()[0][:400])]
    middle = len(cases) // 2
    return insert_all(client, table, cases[:middle]) + insert_all(client, table, cases[middle:])


@dataclass
class Outcome:
    cases: list[Case]
    skipped: int
    failed: list[tuple[Case, str]]


@pytest.fixture(scope="module")
def loaded(provisioned):
    """Sample data, the curated layer built on it, then every table's bad cases inserted."""
    project = provisioned
    project.cli("sample", "--scale", "0.02", "--klaviyo-scale", "0.02")
    project.dbt(
        "build",
        "--select",
        "path:seeds",
        "path:curated_datasets",
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
    )
    outcomes = {}
    with project.client() as client:
        for database, table in RAW_TABLES:
            cases, skipped = generate_cases(client, database, table)
            failed = insert_all(client, f"{database}.{table}", cases)
            outcomes[database, table] = Outcome(cases, skipped, failed)
    project.outcomes = outcomes
    if os.environ.get("ECOM_BAD_INPUT_REPORT"):
        print_report(outcomes)
    return project


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


def sorting_key(client, database: str, table: str) -> list[str]:
    found = client.query(
        "select sorting_key from system.tables where database = %(d)s and name = %(t)s",
        parameters={"d": database, "t": table},
    ).result_rows[0][0]
    return [key.strip(" `") for key in found.strip("()").split(",")]


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
    loaded.cli("refresh")
    with loaded.client() as client:
        failed = client.query(
            "select database, view, exception from system.view_refreshes where exception != ''"
        ).result_rows
        relations = [
            (database, name)
            for database, name, _ in model_relations(client)
            if database.endswith("_analytics")
        ]
        for database, name in relations:
            client.command(f"select * from `{database}`.`{name}` format Null")
    assert failed == []
    assert len(relations) > 30
