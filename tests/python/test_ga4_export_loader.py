"""The GA4 export loader (`dbt run-operation load_ga4_export`) on the embedded engine: it loads
Parquet files shaped like Google's export into raw_ga4_export.events with the property, the
export table and the load time; a re-run appends the same rows again (a re-delivery) and
touches nothing else; bad arguments stop it with a message that names the problem.

The files are written here by hand with a few of the export's columns (as an older export
lacks some), so the expected rows come from this module, not from the generator.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers import PROJECT_DIR

RAW = "raw_ga4_export.events"
PARAM = pa.struct(
    [
        ("key", pa.string()),
        (
            "value",
            pa.struct(
                [
                    ("string_value", pa.string()),
                    ("int_value", pa.int64()),
                    ("float_value", pa.float64()),
                    ("double_value", pa.float64()),
                ]
            ),
        ),
    ]
)
SCHEMA = pa.schema(
    [
        ("event_date", pa.string()),
        ("event_timestamp", pa.int64()),
        ("event_name", pa.string()),
        ("event_params", pa.list_(PARAM)),
        ("user_pseudo_id", pa.string()),
        ("geo", pa.struct([("country", pa.string()), ("city", pa.string())])),
        (
            "items",
            pa.list_(pa.struct([("item_id", pa.string()), ("item_list_index", pa.string())])),
        ),
    ]
)


def _param(key, string=None, number=None):
    return {"key": key, "value": {"string_value": string, "int_value": number}}


def _events(day: str, n: int) -> list[dict]:
    return [
        {
            "event_date": day,
            "event_timestamp": 1_793_000_000_000_000 + i,
            "event_name": "page_view" if i % 2 else "session_start",
            "event_params": [
                _param("ga_session_id", number=1000 + i),
                _param("page_title", "Home"),
            ],
            "user_pseudo_id": f"client.{i}",
            "geo": {"country": "Canada", "city": None},
            "items": [{"item_id": f"sku-{i}", "item_list_index": str(i)}] if i % 3 == 0 else [],
        }
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def export_files(tmp_path_factory) -> Path:
    """Two files of one daily export and one file of another day's intraday export."""
    folder = tmp_path_factory.mktemp("export")
    (folder / "events_20261101").mkdir()
    (folder / "events_intraday_20261102").mkdir()
    rows = _events("20261101", 7)
    pq.write_table(pa.Table.from_pylist(rows[:4], SCHEMA), folder / "events_20261101/0.parquet")
    pq.write_table(pa.Table.from_pylist(rows[4:], SCHEMA), folder / "events_20261101/1.parquet")
    pq.write_table(
        pa.Table.from_pylist(_events("20261102", 2), SCHEMA),
        folder / "events_intraday_20261102/0.parquet",
    )
    return folder


def load(project, check=True, **args):
    return project.dbt("run-operation", "load_ga4_export", "--args", json.dumps(args), check=check)


def raw_rows(project) -> list[tuple]:
    return sorted(
        project.query(
            "select property_id, export_type, event_date, event_timestamp, event_name, "
            "arrayMap(p -> (p.key, p.value.string_value, p.value.int_value), event_params), "
            "user_pseudo_id, geo.country, geo.city, "
            "arrayMap(i -> (i.item_id, i.item_list_index), items), "
            "session_traffic_source_last_click.manual_campaign.source, user_id "
            f"from {RAW}"
        )
    )


def expected_rows(day: str, n: int, property_id: str, export_type: str) -> list[tuple]:
    return sorted(
        (
            property_id,
            export_type,
            e["event_date"],
            e["event_timestamp"],
            e["event_name"],
            [
                (p["key"], p["value"]["string_value"], p["value"]["int_value"])
                for p in e["event_params"]
            ],
            e["user_pseudo_id"],
            "Canada",
            None,
            [(i["item_id"], i["item_list_index"]) for i in e["items"]],
            None,  # a column the file lacks loads as NULL
            None,
        )
        for e in _events(day, n)
    )


def other_raw_tables(project) -> list[tuple]:
    """Rows per raw table outside the GA4 export (active parts; nothing merges them here)."""
    return project.query(
        "select database, table, sum(rows) from system.parts where active and "
        "startsWith(database, 'raw_') and database != 'raw_ga4_export' "
        "group by database, table order by database, table"
    )


def test_a_glob_and_a_folder_load_every_file_with_its_property_and_export_type(
    provisioned, export_files
):
    daily = load(
        provisioned, path=str(export_files / "events_20261101/*.parquet"), property_id="354187726"
    )
    assert "7 events from 2 file(s) into raw_ga4_export.events (property 354187726, daily)" in (
        daily.stdout
    )
    # a relative path reads from the directory dbt runs in (the project folder)
    relative = os.path.relpath(export_files / "events_intraday_20261102", PROJECT_DIR) + "/"
    load(provisioned, path=relative, property_id="354187726", export_type="intraday")
    assert raw_rows(provisioned) == sorted(
        expected_rows("20261101", 7, "354187726", "daily")
        + expected_rows("20261102", 2, "354187726", "intraday")
    )
    loaded = provisioned.query(f"select count(), min(_loaded_at) > now64(3) - 600 from {RAW}")
    assert loaded == [(9, True)]


def test_a_rerun_is_a_redelivery_that_appends_the_same_rows_and_touches_nothing_else(
    provisioned, export_files
):
    with provisioned.client() as client:
        client.command(f"truncate table {RAW}")
    path = str(export_files / "events_20261101/1.parquet")
    load(provisioned, path=path, property_id="p1", loaded_at="2026-11-02 06:00:00")
    first, others = raw_rows(provisioned), other_raw_tables(provisioned)
    load(provisioned, path=path, property_id="p1", loaded_at="2026-11-02 07:30:00.250")
    # the second file holds events 4 to 6
    assert first == [r for r in expected_rows("20261101", 7, "p1", "daily") if r[3] % 100 >= 4]
    assert raw_rows(provisioned) == sorted(first * 2)
    assert other_raw_tables(provisioned) == others
    loads = provisioned.query(
        f"select toString(_loaded_at), count() from {RAW} group by 1 order by 1"
    )
    assert loads == [("2026-11-02 06:00:00.000", 3), ("2026-11-02 07:30:00.250", 3)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"export_type": "hourly"}, "export_type must be one of daily, intraday, fresh"),
        ({"property_id": "1; drop table x"}, "property_id must be the GA4 property id"),
        ({"path": "no/such/folder/"}, "no Parquet file with events at 'no/such/folder/'"),
        (
            {"path": "/no/such/file.parquet"},
            "no Parquet file with events at '/no/such/file.parquet'",
        ),
        ({"database": "raw_ga4"}, "database raw_ga4 is not in var ga4_export_raw_databases"),
        ({"loaded_at": "yesterday"}, "loaded_at must be 'YYYY-MM-DD hh:mm:ss[.fff]'"),
    ],
)
def test_bad_arguments_stop_the_loader_with_a_clear_message(
    provisioned, export_files, args, message
):
    path = str(export_files / "events_20261101/0.parquet")
    before = provisioned.query(f"select count() from {RAW}")
    result = load(provisioned, check=False, **{"path": path, "property_id": "p1", **args})
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert provisioned.query(f"select count() from {RAW}") == before


def test_the_airbyte_layout_is_refused(provisioned, export_files):
    result = provisioned.dbt(
        "run-operation",
        "load_ga4_export",
        "--vars",
        "{ga4_export_layout: airbyte}",
        "--args",
        json.dumps({"path": str(export_files), "property_id": "p1"}),
        check=False,
    )
    assert result.returncode != 0
    assert "var ga4_export_layout is 'airbyte'" in result.stdout + result.stderr
