"""One embedded database folder with dbt and the project's CLI run against it.

The test suite and the benchmark both work on a private folder, never on the user's `.chdb`:
this is the one place that sets up the environment for that (ECOM_CHDB_PATH, dbt's target and
log folders) and runs subprocesses there. The embedded engine admits one process per folder,
so a client from `client()` must be closed before `dbt()` or `cli()` runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ecom_analytics import PROJECT_DIR

BIN_DIR = Path(sys.executable).parent


class CommandFailed(Exception):
    """A command run on a workspace exited non-zero; the message carries its output."""

    def __init__(self, cmd: tuple[str, ...], result: subprocess.CompletedProcess):
        self.result = result
        super().__init__(
            f"{' '.join(cmd)} failed ({result.returncode})\n"
            f"--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}"
        )


class Workspace:
    """dbt and the CLI on the embedded folder `path`; their artifacts and logs under `workdir`.

    `check=True` makes every command raise CommandFailed when it fails, unless the call says
    `check=False`."""

    def __init__(
        self,
        path: Path,
        workdir: Path,
        target: str | None = None,
        vars: dict[str, Any] | None = None,
        profiles_dir: Path | None = None,
        check: bool = False,
    ):
        self.path = Path(path)
        self.check = check
        self.workdir = Path(workdir)
        self.vars = vars or {}
        self.env = {
            **os.environ,
            "ECOM_CHDB_PATH": str(self.path),
            # dbt artifacts and logs per workspace, so parallel runs never share target/ or logs/
            "DBT_TARGET_PATH": str(self.workdir / "target"),
            "DBT_LOG_PATH": str(self.workdir / "logs"),
            "DBT_PROFILES_DIR": str(
                profiles_dir or Path(os.environ.get("DBT_PROFILES_DIR", PROJECT_DIR))
            ),
        }
        if target:
            self.env["DBT_TARGET"] = target

    def run(self, *cmd: str, check: bool | None = None) -> subprocess.CompletedProcess:
        """Run a command in the project folder on this workspace; output captured as text."""
        result = subprocess.run(cmd, cwd=PROJECT_DIR, env=self.env, capture_output=True, text=True)
        if (self.check if check is None else check) and result.returncode != 0:
            raise CommandFailed(cmd, result)
        return result

    def dbt_command(self, *args: str) -> tuple[str, ...]:
        """The dbt command line for these arguments on this workspace (its vars appended)."""
        if self.vars:
            args = (*args, "--vars", json.dumps(self.vars))
        return (str(BIN_DIR / "dbt"), *args)

    def dbt(self, *args: str, check: bool | None = None) -> subprocess.CompletedProcess:
        return self.run(*self.dbt_command(*args), check=check)

    def cli(self, *args: str, check: bool | None = None) -> subprocess.CompletedProcess:
        return self.run(str(BIN_DIR / "python"), "-m", "ecom_analytics", *args, check=check)

    @contextmanager
    def client(self) -> Iterator[Any]:
        """A connection to the folder; leave the block before running dbt or the CLI."""
        from dbt.adapters.chdb.client import open_embedded

        client = open_embedded(str(self.path), query_limit=0)
        try:
            yield client
        finally:
            client.close()
