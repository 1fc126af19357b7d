"""The dbt project on one embedded database folder per test module, as the tests drive it."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from ecom_analytics import PROJECT_DIR
from ecom_analytics.workspace import CommandFailed, Workspace

from helpers.raw import one


class Project(Workspace):
    """The dbt project bound to one embedded database folder (`workdir/db`), on the local target.
    `run`, `dbt` and `cli` fail the test with the command's output unless `check=False`.

    `dbt` runs in the test process (dbt's own `dbtRunner`): the same command line without the
    seconds of start-up a process pays per command. `dbt_process` runs it in a process of its
    own, for tests where a separate process is the point (a folder held by another process)."""

    def __init__(self, workdir: Path):
        super().__init__(
            workdir / "db", workdir, target="local", profiles_dir=PROJECT_DIR, check=True
        )
        self.chdb_path = self.path

    def dbt(self, *args: str, check: bool | None = None) -> subprocess.CompletedProcess:
        from dbt.cli.main import dbtRunner  # seconds to import: not for the engine-free tests

        cmd = self.dbt_command(*args)
        output = io.StringIO()
        with _environment(self.env, PROJECT_DIR), contextlib.redirect_stdout(output):
            result = dbtRunner().invoke(list(cmd[1:]))
        # What the dbt command exits with: 0 done, 1 failed (a failing node, a raised error).
        completed = subprocess.CompletedProcess(
            cmd,
            0 if result.success else 1,
            output.getvalue(),
            "" if result.exception is None else str(result.exception),
        )
        if (self.check if check is None else check) and completed.returncode != 0:
            raise CommandFailed(cmd, completed)
        return completed

    def dbt_process(self, *args: str, check: bool | None = None) -> subprocess.CompletedProcess:
        return super().dbt(*args, check=check)

    def copy_into(self, other: Project) -> Project:
        """Give `other` (a project whose folder was never opened) a copy of this project's
        database folder and dbt artifacts (the manifest tests read), and return it. No client
        may hold this folder meanwhile. The Atomic databases' symlinks are relative, so the
        copy stands alone."""
        shutil.copytree(self.path, other.path, symlinks=True)
        if (self.workdir / "target").is_dir():
            shutil.copytree(self.workdir / "target", other.workdir / "target", symlinks=True)
        other.vars = dict(self.vars)
        return other

    def query(self, sql: str) -> list[tuple]:
        """The rows of one query, on a connection of its own (closed before returning)."""
        with self.client() as client:
            return client.query(sql).result_rows

    def one(self, sql: str) -> dict:
        """The single row of one query as {column: value}, on a connection of its own."""
        with self.client() as client:
            return one(client, sql)


@contextlib.contextmanager
def _environment(env: dict[str, str], cwd: Path) -> Iterator[None]:
    """The process's environment and working folder replaced for the block (the way a
    subprocess would see them), then restored."""
    saved_env, saved_cwd = dict(os.environ), Path.cwd()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)


def chromium_binary() -> str:
    """Debian's Chromium for the browser tests: required under CI (.ci/run installs it),
    skipped with a reason elsewhere."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if binary := shutil.which(name):
            return binary
    if os.environ.get("CI"):
        pytest.fail("Chromium is required under CI (.ci/run installs Debian's chromium package)")
    pytest.skip("Chromium not installed: `apt-get install chromium` to run the browser tests")


def model_manifest(project: Project) -> dict:
    """dbt's manifest of the project's last dbt command (its nodes, sources and configs)."""
    return json.loads((project.workdir / "target" / "manifest.json").read_text())
