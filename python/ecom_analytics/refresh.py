"""Refresh the analytics layer's refreshable materialized views now, and wait for them.

On a server, refreshable materialized views refresh on their schedule in the background. The
embedded engine only runs that schedule while some process has the database open, so after a
raw load you refresh by hand (`make refresh`), and tests do the same before comparing.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Collection
from typing import Any, TextIO

from ecom_analytics.refresh_record import RefreshRecord, create_queries

# Every analytics dataset lands in a database named `analytics_<source>` (generate_schema_name).
ANALYTICS_DATABASES = "like 'analytics\\_%'"


def refreshable_views(
    client: Any, queries: dict[tuple[str, str], str] | None = None
) -> list[tuple[str, str]]:
    """(database, view) of every refreshable materialized view of the analytics layer,
    dependencies first: a view comes after every view its `DEPENDS ON` clause names (views
    created in the same second would otherwise come in name order), else in creation order.
    `queries`: the views' CREATE queries as `view_queries` read them, if read already."""
    found = view_queries(client) if queries is None else queries
    depends = {
        (database, view): _depends_on(query, database) for (database, view), query in found.items()
    }
    ordered: list[tuple[str, str]] = []

    def visit(node: tuple[str, str], path: tuple) -> None:
        if node in ordered or node in path or node not in depends:
            return
        for upstream in depends[node]:
            visit(upstream, (*path, node))
        ordered.append(node)

    for view in found:
        visit(view, ())
    return ordered


def view_queries(client: Any, only: Collection[str] | None = None) -> dict[tuple[str, str], str]:
    """The CREATE query of every refreshable view of the analytics layer, in creation order;
    `only`: just the views of these models (names without `_mv`)."""
    views = client.query(
        f"select database, view from system.view_refreshes where database {ANALYTICS_DATABASES}"
    ).result_rows
    return create_queries(
        client,
        [
            (database, view)
            for database, view in views
            if only is None or view.removesuffix("_mv") in only
        ],
    )


def incremental_states(
    client: Any,
    views: Collection[tuple[str, str]],
    queries: dict[tuple[str, str], str] | None = None,
) -> list[str]:
    """The target tables (`database`.`table`) of the incremental states among `views`: the
    refreshable views that APPEND to their target (macros/incremental/). `queries`: their
    CREATE queries, if read already."""
    found = create_queries(client, views) if queries is None else queries
    return [
        match.group(1) for view in views if (match := re.search(r"\bAPPEND TO (\S+)", found[view]))
    ]


def _depends_on(create_query: str, database: str) -> list[tuple[str, str]]:
    """The views named in a refreshable view's `DEPENDS ON` clause, as (database, view)."""
    match = re.search(r"\bDEPENDS ON (.+?) (?:SETTINGS|APPEND|TO|EMPTY|AS)\b", create_query)
    if not match:
        return []
    names = [name.strip().replace("`", "") for name in match.group(1).split(",")]
    return [tuple(name.split(".", 1)) if "." in name else (database, name) for name in names]


def refresh_analytics(
    client: Any,
    out: TextIO | None = None,
    only: Collection[str] | None = None,
    full: bool = False,
    skip_current: bool = True,
) -> list[tuple[str, str, float]]:
    """Refresh every analytics refreshable view once, upstream first, waiting for each: after
    this, each reflects the curated tables as they are now. A view that is current already
    (nothing it reads changed since its last refresh: refresh_record) is left alone, unless
    `full` or not `skip_current` (every view refreshes, as on a server's schedule). Returns
    (database, view, seconds) of the views refreshed.
    `only`: refresh just the views of these models (names without `_mv`), still upstream
    first; the caller knows the others are current. `full`: empty the incremental states
    first, so they recompute every key (after a backfill, or a change of a state's SQL)."""
    done = []
    queries = view_queries(client, only)
    views = refreshable_views(client, queries)
    if full:
        for table in incremental_states(client, views, queries):
            client.command(f"truncate table {table}")
    # The embedded engine opens with refreshes stopped (dbt.adapters.chdb.client.open_embedded):
    # each view is started for its own refresh and stopped again after it, so no other view
    # refreshes meanwhile. A server's schedule is left alone.
    # The refreshes an open started show 'Running' until their cancellation ends, and only then
    # 'Disabled': wait for them first, or a large folder looks as if its views were not stopped.
    _wait_until_none_running(client)
    stopped = _refreshes_stopped(client)
    record = RefreshRecord(client, queries, views)
    for database, view in views:
        started = time.perf_counter()
        state = record.state(database, view)
        # an incremental state too: with no source changed its log has nothing new either
        if skip_current and not full and record.is_current(database, view, state):
            if out:
                print(f"current   {database}.{view}: nothing it reads changed", file=out)
            continue
        started_at = record.started()
        _refresh_view(client, database, view, stopped)
        record.write(database, view, state, started_at)
        seconds = time.perf_counter() - started
        done.append((database, view, seconds))
        if out:
            print(f"refreshed {database}.{view} in {seconds:.2f} s", file=out)
    return done


REFRESH_ATTEMPTS = 3
# system.view_refreshes' exception for a refresh that SYSTEM STOP VIEW(S) cut short
CANCELLED = "cancelled"


class RefreshError(RuntimeError):
    """A view's refresh failed: the message names the view and gives the engine's error."""


def _without_stack_trace(message: str) -> str:
    """The engine's error message without the stack trace it appends."""
    return message.split(", Stack trace")[0].splitlines()[0].strip() if message else message


def _refresh_view(client: Any, database: str, view: str, stopped: bool) -> None:
    """Refresh one view once and wait for it; raise when its refresh fails. A refresh that ends
    'cancelled' (a refresh an open started and SYSTEM STOP VIEWS cancelled, still winding down
    when this one was asked for) is asked for again, up to REFRESH_ATTEMPTS times in all; any
    other error is raised at once, so a view that fails now and then does not pass quietly.

    `stopped`: the view's schedule is stopped; it is started for this refresh and stopped
    after. A started view whose scheduled time has passed (after an open, every view not yet
    refreshed in this process) starts refreshing by itself, unless it waits for its DEPENDS ON
    views: a refresh is asked for only when it did not start, or it would run twice."""
    name = f"`{database}`.`{view}`"
    started_by_itself = False
    if stopped:
        client.command(f"SYSTEM START VIEW {name}")
        started_by_itself = _settled_status(client, database, view) == "Running"
    try:
        exception = ""
        for attempt in range(REFRESH_ATTEMPTS):
            if attempt or not started_by_itself:
                client.command(f"SYSTEM REFRESH VIEW {name}")
            waited = ""
            try:
                client.command(f"SYSTEM WAIT VIEW {name}")
            except Exception as ex:  # the engine raises a failed refresh's error here
                waited = str(ex)
            exception = _view_refresh(client, database, view, "exception") or waited
            if exception != CANCELLED:
                break
    finally:
        if stopped:
            client.command(f"SYSTEM STOP VIEW {name}")
    if exception == CANCELLED:
        raise RefreshError(
            f"The refresh of {database}.{view} was cancelled {REFRESH_ATTEMPTS} times in a row"
        )
    if exception:
        raise RefreshError(
            f"The refresh of {database}.{view} failed: {_without_stack_trace(exception)}"
        )


def _view_refresh(client: Any, database: str, view: str, column: str) -> Any:
    """One column of the view's row in system.view_refreshes."""
    return client.query(
        f"select {column} from system.view_refreshes"
        " where database = {database:String} and view = {view:String}",
        parameters={"database": database, "view": view},
    ).result_rows[0][0]


def _settled_status(client: Any, database: str, view: str, timeout_seconds: float = 5.0) -> str:
    """The view's refresh status once it has left 'Scheduling' (the moment after a start, when
    it decides whether to run now, wait for its dependencies or wait for its time)."""
    deadline = time.monotonic() + timeout_seconds
    status = _view_refresh(client, database, view, "status")
    while status == "Scheduling" and time.monotonic() < deadline:
        time.sleep(0.005)
        status = _view_refresh(client, database, view, "status")
    return status


def _wait_until_none_running(client: Any, timeout_seconds: float = 30.0) -> None:
    """Wait for the refreshes an open started, and stopped at once, to finish cancelling:
    a refresh asked for while one still winds down can end with the old one's 'cancelled'."""
    deadline = time.monotonic() + timeout_seconds
    while (
        time.monotonic() < deadline
        and client.query(
            f"select count() from system.view_refreshes where database {ANALYTICS_DATABASES}"
            " and status = 'Running'"
        ).result_rows[0][0]
    ):
        time.sleep(0.05)


def _refreshes_stopped(client: Any) -> bool:
    """True when the analytics views' refreshes are stopped (SYSTEM STOP VIEWS)."""
    return bool(
        client.query(
            "select count() from system.view_refreshes "
            f"where database {ANALYTICS_DATABASES} and status = 'Disabled'"
        ).result_rows[0][0]
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--full",
        action="store_true",
        help="refresh every view, current or not, and recompute every key of the incremental"
        " states (after a backfill)",
    )


def run(args: argparse.Namespace) -> int:
    from ecom_analytics.target import connect, load_target

    with connect(load_target(args.target)) as client:
        done = refresh_analytics(client, out=sys.stdout, full=args.full)
    print(f"{len(done)} refreshable views refreshed")
    return 0
