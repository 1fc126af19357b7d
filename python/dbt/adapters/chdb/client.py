"""The embedded engine behind one clickhouse-connect client, with clear errors on open."""

from __future__ import annotations

import os
import sys
import tempfile
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
# embedded process rarely lives to see; every later open then pays for the queue (DESIGN §4).
# Refreshable views, dbt's backups and backfill scratch tables all drop tables: delete them now.
ENGINE_OPTIONS = {"database_atomic_delay_before_drop_table_sec": 0}


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
            raise EmbeddedPathInUse(
                f"The embedded ClickHouse database at {folder} is in use by another process "
                "(only one process at a time can open it). Wait for or stop the other dbt run, "
                "`make` target or Python session using it, or set "
                f"${PATH_ENV_VAR} to a different folder."
            ) from ex
        raise EmbeddedPathError(
            f"Could not open the embedded ClickHouse database at {folder}: {ex}"
        ) from ex
    # A refreshable view outside a Replicated database forgets its last refresh, so every open
    # would start refreshing every analytics view at once, in the background of whatever this
    # process came to do. Refreshes run when asked for instead (`ecom refresh`, tests).
    client.command("SYSTEM STOP VIEWS")
    return client


class ChdbClient(ChHttpClient):
    """dbt-clickhouse's client wrapper with the in-process engine instead of HTTP."""

    def _create_client(self, credentials):
        return open_embedded(credentials.path, settings=self._conn_settings, query_limit=0)

    def close(self):
        self._client.close()
