"""Which analytics views are current already, so that `ecom refresh` can leave them alone.

A refreshable view's result depends on its definition and on the tables its query reads (its
sources: curated tables, other views' targets, read directly or through plain views). So a
view needs no refresh when, since its last refresh started, none of its sources changed, its
own target is as that refresh left it and the view was not re-created. A view whose query
reads the clock (`now()`, `today()`: rolling windows) also changes as time passes: it is
current only within its refresh interval, as on a server's schedule.

A table's fingerprint is its UUID and, per partition of its active parts, the newest block
number and the newest mutation: an insert (a new block number), a truncate or a dropped
partition (its parts go), a partition swap (parts with new block numbers), a mutation and an
exchange (every refresh's swap of the target) all change it; a background merge does not (its
part covers the same blocks and keeps their data), so a merge after a refresh does not make
the next one recompute. The sources' fingerprint is taken before the refresh, so an insert
that lands while it runs is seen by the next one.

The record lives in `default` (the analytics databases hold the models only), one row per
view, newest wins.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

RECORD = "default.ecom_analytics_refreshes"
_TABLE_NAME = re.compile(r"`?\b([A-Za-z_]\w*)`?\.`?([A-Za-z_]\w*)`?")
_READS_CLOCK = re.compile(r"\b(?:now|now64|today|yesterday)\(", re.IGNORECASE)
_REFRESH_EVERY = re.compile(r"\bREFRESH EVERY (\d+) (SECOND|MINUTE|HOUR|DAY)\b")
_SECONDS = {"SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400}


@dataclass(frozen=True)
class ViewState:
    """What a view's result was computed from, as the engine shows it now."""

    view_uuid: str
    sources: int  # fingerprint of every source table
    target_table: tuple
    target: int  # fingerprint of the view's target table
    reads_clock: bool
    interval_seconds: int


# CREATE queries read in this process, by (database, name, uuid, metadata modification time):
# rendering one costs a few ms (a refreshable view's, tens), and a process that refreshes
# often (a test, a scheduler) would pay it on every refresh for queries that did not change
_CREATE_QUERIES: dict[tuple, str] = {}


def create_queries(client: Any, tables: Collection[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The CREATE query of each of `tables` (database, name), in creation order: the tables'
    versions (UUID, metadata modification time) in one query; unless this process read every
    query at those versions already, the queries in another. The plain `database in` and
    `name in` filters keep the engine from reading every table's metadata; the tuple filter
    then keeps exactly these tables."""
    if not tables:
        return {}
    filters = (
        " where database in %(databases)s and name in %(names)s and (database, name) in %(tables)s"
    )
    parameters = {
        "tables": sorted(tuple(table) for table in tables),
        "databases": sorted({table[0] for table in tables}),
        "names": sorted({table[1] for table in tables}),
    }
    versions = [
        tuple(row)
        for row in client.query(
            "select database, name, toString(uuid), toString(metadata_modification_time)"
            f" from system.tables {filters} order by metadata_modification_time, database, name",
            parameters=parameters,
        ).result_rows
    ]
    if all(version in _CREATE_QUERIES for version in versions):
        return {version[:2]: _CREATE_QUERIES[version] for version in versions}
    # what this query finds is the answer: a table re-created since the first one is read as
    # it is now
    rows = client.query(
        "select database, name, toString(uuid), toString(metadata_modification_time),"
        f" create_table_query from system.tables {filters}"
        " order by metadata_modification_time, database, name",
        parameters=parameters,
    ).result_rows
    _CREATE_QUERIES.update({tuple(row[:4]): row[4] for row in rows})
    return {tuple(row[:2]): row[4] for row in rows}


class RefreshRecord:
    """The views' last refreshes and the state each was computed from.

    One refresh run reads the record, and every table's fingerprint its views need, in one
    query each; after a view refreshes, they are read again (`write`), so the views downstream
    of it see their sources as the refresh left them. An insert that lands during the
    run is then seen by the next run, which refreshes what it touched (a view that read it
    early is refreshed once more: never left stale)."""

    def __init__(
        self,
        client: Any,
        queries: dict[tuple[str, str], str] | None = None,
        views: Collection[tuple[str, str]] = (),
    ) -> None:
        """`queries`: CREATE queries of tables read already, by (database, name). `views`: the
        views this run may refresh, whose tables are fingerprinted at once."""
        self.client = client
        client.command(
            f"create table if not exists {RECORD} (database String, view String, "
            "view_uuid String, sources UInt64, target UInt64, started_at DateTime64(3, 'UTC')) "
            "engine = ReplacingMergeTree(started_at) order by (database, view)"
        )
        # every table's engine and UUID; a view's CREATE query only when it is asked for
        # (`load_queries`): rendering it costs a few ms a table, most of a refresh of a few
        # views when read for every table
        self.tables = {
            (database, name): (engine, str(uuid))
            for database, name, engine, uuid in client.query(
                "select database, name, engine, uuid from system.tables"
                " where database not in ('system', 'INFORMATION_SCHEMA', 'information_schema')"
            ).result_rows
        }
        self.queries: dict[tuple[str, str], str] = dict(queries or {})
        # (view uuid, sources, target, seconds since it started) of each view's last refresh
        self.recorded = {
            (database, view): tuple(rest)
            for database, view, *rest in client.query(
                "select database, view, view_uuid, sources, target,"
                f" dateDiff('second', started_at, now64(3)) from {RECORD} final"
            ).result_rows
        }
        self.fingerprints: dict[tuple[str, str], int] = {}
        tables: set[tuple[str, str]] = set()
        for view in views:
            target, sources, _ = self._read(*view)
            tables |= sources | ({target} if target else set())
        self._fingerprint(tables)

    def load_queries(self, tables: set[tuple[str, str]]) -> None:
        """Read the CREATE query of each of `tables` not read yet, in one query."""
        missing = tables - self.queries.keys()
        if missing:
            self.queries.update(create_queries(self.client, missing))

    def state(self, database: str, view: str) -> ViewState:
        _, uuid = self.tables[(database, view)]
        target_table, sources, reads_clock = self._read(database, view)
        self._fingerprint(sources - self.fingerprints.keys())
        every = _REFRESH_EVERY.search(self.queries[(database, view)])
        return ViewState(
            view_uuid=uuid,
            sources=self._combined(sources),
            target_table=target_table,
            target=self._target_fingerprint(target_table),
            reads_clock=reads_clock,
            interval_seconds=int(every.group(1)) * _SECONDS[every.group(2)] if every else 600,
        )

    def _read(self, database: str, view: str) -> tuple[tuple, set[tuple[str, str]], bool]:
        """The view's target table, the tables its SELECT reads and whether it reads the clock."""
        self.load_queries({(database, view)})
        query = self.queries[(database, view)]
        target = re.search(r"\bTO (\S+)", query)
        target_table = tuple(target.group(1).replace("`", "").split(".", 1)) if target else ()
        return (target_table, *self._sources(query))

    def _sources(self, query: str) -> tuple[set[tuple[str, str]], bool]:
        """The tables a view's SELECT reads, plain views expanded, and whether any of those
        queries reads the clock."""
        select = query.split(" AS ", 1)[1] if " AS " in query else query
        found: set[tuple[str, str]] = set()
        reads_clock = bool(_READS_CLOCK.search(select))
        # an alias and its column, a function's argument: not a table
        named = {name for name in set(_TABLE_NAME.findall(select)) if name in self.tables}
        views = {name for name in named if self.tables[name][0] == "View"}
        self.load_queries(views)
        for name in named:
            if name in views:
                inner, inner_clock = self._sources(self.queries[name])
                found |= inner
                reads_clock |= inner_clock
            else:
                found.add(name)
        return found, reads_clock

    def _fingerprint(self, tables: Collection[tuple[str, str]]) -> None:
        """Read each table's fingerprint as it is now: a hash of its UUID and, per partition of
        its active parts, the newest block number and the newest mutation (a part's data
        version is its first block unless a mutation rewrote it); 0 for a table that does not
        exist. The plain `database in` and `name in` filters are what the engine applies before
        it reads a table's metadata (a tuple filter alone reads every table's: ten times
        slower); the tuple filter then keeps exactly these tables."""
        if not tables:
            return
        self.fingerprints.update(dict.fromkeys(tables, 0))
        rows = self.client.query(
            "select database, name, cityHash64(arraySort(groupArray(entry))) from ("
            " select database, name, toString(uuid) as entry from system.tables"
            "  where database in %(databases)s and name in %(names)s"
            "  and (database, name) in %(tables)s"
            " union all"
            " select database, table as name, concat(partition_id, ':',"
            "  toString(max(max_block_number)), '/',"
            "  toString(max(if(data_version != min_block_number, data_version, 0)))) as entry"
            "  from system.parts"
            "  where database in %(databases)s and table in %(names)s"
            "  and active and (database, table) in %(tables)s"
            "  group by database, table, partition_id"
            ") group by database, name",
            parameters={
                "tables": sorted(tuple(table) for table in tables),
                "databases": sorted({table[0] for table in tables}),
                "names": sorted({table[1] for table in tables}),
            },
        ).result_rows
        self.fingerprints.update({(database, name): value for database, name, value in rows})

    def _combined(self, tables: Collection[tuple[str, str]]) -> int:
        """One UInt64 for the fingerprints of `tables` (read already)."""
        entries = sorted(
            f"{database}.{name}:{self.fingerprints[(database, name)]}" for database, name in tables
        )
        digest = hashlib.blake2b("\n".join(entries).encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big")

    def _target_fingerprint(self, target_table: tuple) -> int:
        if not target_table:
            return 0
        self._fingerprint({target_table} - self.fingerprints.keys())
        return self._combined([target_table])

    def is_current(self, database: str, view: str, state: ViewState) -> bool:
        """True when the view's last recorded refresh was computed from `state` (and, for a
        view that reads the clock, started within its refresh interval)."""
        recorded = self.recorded.get((database, view))
        if recorded is None:
            return False
        view_uuid, sources, target, age_seconds = recorded
        return (view_uuid, sources, target) == (state.view_uuid, state.sources, state.target) and (
            not state.reads_clock or age_seconds < state.interval_seconds
        )

    def started(self) -> Any:
        """The engine's clock now: when a refresh about to run started."""
        return self.client.query("select now64(3, 'UTC')").result_rows[0][0]

    def write(self, database: str, view: str, state: ViewState, started_at: Any) -> None:
        """Record a refresh that succeeded: started at `started_at`, computed from `state`'s
        sources; its target as the refresh left it. Every table is read again, for the views
        downstream: besides its target, a refresh feeds the change logs that insert-triggered
        views keep on it."""
        self._fingerprint(list(self.fingerprints))
        target = self._target_fingerprint(state.target_table)
        self.client.insert(
            RECORD,
            [[database, view, state.view_uuid, state.sources, target, started_at]],
            column_names=["database", "view", "view_uuid", "sources", "target", "started_at"],
        )
