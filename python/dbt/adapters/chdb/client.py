"""The embedded engine behind one clickhouse-connect client, with clear errors on open."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import clickhouse_connect
from clickhouse_connect.driver.exceptions import ProgrammingError
from dbt.adapters.clickhouse.httpclient import ChHttpClient
from dbt.adapters.exceptions import FailedToConnectError

PATH_ENV_VAR = "ECOM_CHDB_PATH"
_IN_USE_MARKER = "Error initializing EmbeddedServer"
_LOCK_LINE_MARKER = "Cannot lock file"


class EmbeddedPathError(FailedToConnectError):
    """The embedded database folder cannot be opened; the message says why and what to do."""


class EmbeddedPathInUse(EmbeddedPathError):
    """Another process has the embedded database folder open (a dbt run, the dashboard, ...):
    try again when it is done."""


def check_path_usable(path: str) -> Path:
    """Fail early, naming the folder, when it cannot hold a database."""
    folder = Path(path).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise EmbeddedPathError(
            f"The embedded ClickHouse path {folder} is a file, not a folder. "
            f"Point the profile's `path` (or ${PATH_ENV_VAR}) at a folder."
        )
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        raise EmbeddedPathError(
            f"The embedded ClickHouse path {folder} is not writable by this user. "
            f"Fix its permissions or point the profile's `path` (or ${PATH_ENV_VAR}) elsewhere."
        )
    return folder


# An Atomic database queues a dropped table in metadata_dropped/ for 8 minutes, which an
# embedded process rarely lives to see; every later open then pays for the queue.
# Refreshable views, dbt's backups and backfill scratch tables all drop tables: delete them now.
# The config file makes a woken MergeTree cleanup delete outdated parts at once (see
# `_close_leaving_no_outdated_parts`); a server keeps its own configuration.
ENGINE_CONFIG = Path(__file__).with_name("embedded_engine.xml")
ENGINE_OPTIONS = {
    "database_atomic_delay_before_drop_table_sec": 0,
    "config-file": str(ENGINE_CONFIG),
}


@contextmanager
def _engine_output_filtered() -> Iterator[None]:
    """While the engine starts, its C++ side writes to file descriptor 2 directly: a folder in
    use gives one raw "Cannot lock file ... status" line per attempt before the Python error.
    Capture descriptor 2 for the duration and pass on every other line, so the clear message
    below stands alone."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            text = captured.read().decode(errors="replace")
            kept = [line for line in text.splitlines(True) if _LOCK_LINE_MARKER not in line]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()


def _holders(folder: Path) -> str:
    """` (pid N: its command line)` of the processes with files open in the folder, where
    this system tells (Linux /proc, processes of the same user); else nothing."""
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if int(process.name) == os.getpid():
                continue
            if any(
                str(Path(os.readlink(fd))).startswith(f"{folder}{os.sep}")
                for fd in (process / "fd").iterdir()
            ):
                command = " ".join((process / "cmdline").read_bytes().decode().split("\0"))
                found.append(f"pid {process.name}: {' '.join(command.split())[:120]}")
        except (OSError, ValueError):
            continue
    return f" ({'; '.join(found)})" if found else ""


def open_embedded(path: str, **kwargs: Any):
    """A clickhouse-connect client on the embedded engine at `path`.

    chdb lets one process at a time open a database folder; a second process gets an opaque
    engine error, which becomes a message naming the folder and the way out.
    """
    folder = check_path_usable(path)
    try:
        with _engine_output_filtered():
            client = clickhouse_connect.get_client(
                interface="chdb", path=str(folder), chdb_options=ENGINE_OPTIONS, **kwargs
            )
    except ProgrammingError as ex:
        if _IN_USE_MARKER in str(ex):
            # from None: the engine's own error chain adds dozens of lines and nothing to do
            raise EmbeddedPathInUse(
                f"The embedded ClickHouse database at {folder} is in use by another process"
                f"{_holders(folder)} (only one process at a time can open it). Wait for or "
                "stop the other dbt run, `make` target or Python session using it, or set "
                f"${PATH_ENV_VAR} to a different folder."
            ) from None
        raise EmbeddedPathError(
            f"Could not open the embedded ClickHouse database at {folder}: {ex}"
        ) from ex
    # A refreshable view outside a Replicated database forgets its last refresh, so every open
    # would start refreshing every analytics view at once, in the background of whatever this
    # process came to do. Refreshes run when asked for instead (`ecom refresh`, tests).
    client.command("SYSTEM STOP VIEWS")
    # every close (dbt's, the tooling's, `with`) deletes outdated parts first; a weak reference
    # keeps the client free of a cycle, so dropping it unclosed still frees it at once
    ref = weakref.ref(client)
    client.close = lambda: _close_leaving_no_outdated_parts(ref())
    return client


# How long a close waits for running merges and the deletion of outdated parts (at scale 1
# well under a second); past it the folder is released anyway and the next close goes on.
CLOSE_CLEANUP_SECONDS = 5.0


def _close_leaving_no_outdated_parts(client) -> None:
    """Close the client, first letting running merges finish and deleting outdated parts.

    A MergeTree part replaced (REPLACE/ATTACH PARTITION: every backfill chunk) or merged away
    stays on disk, "outdated", until the table's cleanup thread deletes it. chdb's
    old_parts_lifetime is already 0, but the thread runs only every 30 to 300 s and the
    embedded engine, unlike a server, deletes none when it closes: an embedded process rarely
    lives that long, so every later open loaded them all (1,337 after backfill_all by day over
    the sample: an open took 0.78 s instead of 0.27 s). `SYSTEM START CLEANUP` wakes every
    table's cleanup thread; merge_tree_clear_old_parts_interval_seconds = 0 (embedded_engine.xml)
    lets a woken thread delete at once. A merge still running would leave its inputs outdated
    after the close: it is waited for, not cancelled (cancelled, the next open redoes it)."""
    deadline = time.monotonic() + CLOSE_CLEANUP_SECONDS
    try:
        while time.monotonic() < deadline:
            outdated, merging = client.query(
                "select (select count() from system.parts where not active),"
                " (select count() from system.merges)"
            ).result_rows[0]
            if not outdated and not merging:
                break
            if outdated:
                client.command("SYSTEM START CLEANUP")
            time.sleep(0.02)
    except Exception:  # whatever the cleanup meets, the close must release the folder
        pass
    finally:
        type(client).close(client)


class ChdbClient(ChHttpClient):
    """dbt-clickhouse's client wrapper with the in-process engine instead of HTTP."""

    def _create_client(self, credentials):
        return open_embedded(credentials.path, settings=self._conn_settings, query_limit=0)

    def close(self):
        self._client.close()
