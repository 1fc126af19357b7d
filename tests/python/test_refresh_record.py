"""`refresh_analytics` leaves alone the views that are current: nothing they read changed since
their last refresh. On scratch views of known sums (no dbt): every figure is computed here
from the rows inserted, and each change a source or a target can undergo makes its readers
refresh again."""

from __future__ import annotations

from dbt.adapters.chdb.client import open_embedded
from ecom_analytics.refresh import refresh_analytics

VIEWS = (
    # a sum of the source
    "create materialized view analytics_scratch.total_mv refresh every 1 day"
    " to analytics_scratch.total as select sum(x) as s from analytics_scratch.source",
    # the same through a plain view (its sources are the plain view's)
    "create materialized view analytics_scratch.doubled_total_mv refresh every 1 day"
    " to analytics_scratch.doubled_total as select sum(y) as s from analytics_scratch.doubled",
    # a reader of the first view's target
    "create materialized view analytics_scratch.total_plus_one_mv refresh every 1 day"
    " depends on analytics_scratch.total_mv to analytics_scratch.total_plus_one"
    " as select s + 1 as s from analytics_scratch.total",
    # reads the clock: current only within its interval (a day)
    "create materialized view analytics_scratch.counted_mv refresh every 1 day"
    " to analytics_scratch.counted as select count() as s, max(now()) as at"
    " from analytics_scratch.other",
)


def refreshed(client, **args) -> set[str]:
    return {view.removesuffix("_mv") for _, view, _ in refresh_analytics(client, **args)}


def figures(client) -> dict[str, int]:
    return {
        name: client.query(f"select s from analytics_scratch.{name}").result_rows[0][0]
        for name in ("total", "doubled_total", "total_plus_one")
    }


def test_only_the_views_whose_sources_changed_refresh(tmp_path):
    with open_embedded(str(tmp_path / "db")) as client:
        client.command("create database analytics_scratch")
        for table in ("source", "other"):
            client.command(
                f"create table analytics_scratch.{table} (x UInt64) engine = MergeTree order by x"
            )
        client.command("insert into analytics_scratch.source values (1), (2)")
        client.command(
            "create view analytics_scratch.doubled"
            " as select x * 2 as y from analytics_scratch.source"
        )
        for target in ("total", "doubled_total", "total_plus_one"):
            client.command(
                f"create table analytics_scratch.{target} (s UInt64) engine = MergeTree order by s"
            )
        client.command(
            "create table analytics_scratch.counted (s UInt64, at DateTime)"
            " engine = MergeTree order by s"
        )
        for view in VIEWS:
            client.command(view)
        everything = {"total", "doubled_total", "total_plus_one", "counted"}

        assert refreshed(client) == everything  # no record yet
        assert figures(client) == {"total": 3, "doubled_total": 6, "total_plus_one": 4}
        assert refreshed(client) == set()  # nothing changed; the clock view within its day

        client.command("insert into analytics_scratch.source values (10)")
        # the clock view reads another table: it stays current
        assert refreshed(client) == {"total", "doubled_total", "total_plus_one"}
        assert figures(client) == {"total": 13, "doubled_total": 26, "total_plus_one": 14}

        client.command("insert into analytics_scratch.other values (5)")
        assert refreshed(client) == {"counted"}

        # a merge keeps the data, and the blocks its parts cover: nothing to refresh
        client.command("insert into analytics_scratch.source values (20)")
        assert refreshed(client) == {"total", "doubled_total", "total_plus_one"}
        client.command("optimize table analytics_scratch.source final")
        assert refreshed(client) == set()
        # a mutation rewrites parts under the same blocks
        client.command(
            "alter table analytics_scratch.source delete where x = 10 settings mutations_sync = 2"
        )
        assert refreshed(client) == {"total", "doubled_total", "total_plus_one"}
        assert figures(client) == {"total": 23, "doubled_total": 46, "total_plus_one": 24}

        client.command("truncate table analytics_scratch.source")  # no new part: parts go
        assert refreshed(client) == {"total", "doubled_total", "total_plus_one"}
        assert figures(client) == {"total": 0, "doubled_total": 0, "total_plus_one": 1}

        client.command("truncate table analytics_scratch.total_plus_one")  # its own target
        assert refreshed(client) == {"total_plus_one"}
        assert figures(client)["total_plus_one"] == 1

        assert refreshed(client, full=True) == everything
