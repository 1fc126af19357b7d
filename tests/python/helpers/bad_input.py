"""The bad-input cases of test_bad_input.py: generated from each raw table's columns as the
engine reports them, each one realistic row with one column (or one nested JSON field) replaced
by a bad value, and inserted the way Airbyte's destination inserts (a failing batch split until
the failing cases are named)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ecom_analytics.provision import render
from ecom_analytics.target import project_vars

from helpers.raw import AIRBYTE_INSERT_SETTINGS, insert_json_lines

# Tables Airbyte inserts into. The GA4 export's Parquet layout is loaded from the export's own
# typed files (no JSON text to break); its bad input is a case of the export's own tests.
RAW_TABLES = [
    table
    for step in render(project_vars()).raw
    for table in step.tables
    if not (
        project_vars()["ga4_export_layout"] == "parquet"
        and table[0] in project_vars()["ga4_export_raw_databases"]
    )
]
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


def sorting_key(client, database: str, table: str) -> list[str]:
    found = client.query(
        "select sorting_key from system.tables where database = %(d)s and name = %(t)s",
        parameters={"d": database, "t": table},
    ).result_rows[0][0]
    return [key.strip(" `") for key in found.strip("()").split(",")]
