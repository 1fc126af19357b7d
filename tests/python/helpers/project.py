"""The dbt project on one embedded database folder per test module, as the tests drive it."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from ecom_analytics import PROJECT_DIR
from ecom_analytics.workspace import BIN_DIR, CommandFailed, Workspace

from helpers.raw import one

# The dbt commands that run on a parsed project, and the options a parse depends on.
# (`source` and `docs` are command groups: `source freshness`, `docs generate`)
REUSE_MANIFEST = {
    "build",
    "compile",
    "docs",
    "ls",
    "run",
    "run-operation",
    "seed",
    "show",
    "source",
    "test",
}
PARSE_OPTIONS = {"--vars", "--target", "-t", "--profile"}
# (options, $DBT_TARGET) -> (parsed manifest, the manifest.json its parse wrote)
_MANIFESTS: dict[tuple[str, ...], tuple[object, bytes]] = {}


class Project(Workspace):
    """The dbt project bound to one embedded database folder (`workdir/db`), on the local target.
    `run`, `dbt` and `cli` fail the test with the command's output unless `check=False`.

    `dbt` runs in the test process (dbt's own `dbtRunner`): the same command line without the
    seconds of start-up a process pays per command, and, for the commands that run on a parsed
    project, without parsing it again (see `_parsed_manifest`). `cli` runs the project's CLI
    (`python -m ecom_analytics`) in the test process too. `dbt_process` and `cli_process` run
    them in a process of their own, for tests where a separate process is the point (a folder
    held by another process, the exit code and messages of a command that fails)."""

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
            manifest = self._parsed_manifest(cmd[1:])
            result = dbtRunner(manifest=manifest).invoke(list(cmd[1:]))
        # What the dbt command exits with: 0 done, 1 failed (a failing node, a raised error).
        return self._completed(
            cmd,
            0 if result.success else 1,
            output.getvalue(),
            "" if result.exception is None else str(result.exception),
            check,
        )

    def _completed(
        self, cmd: tuple[str, ...], returncode: int, stdout: str, stderr: str, check: bool | None
    ) -> subprocess.CompletedProcess:
        """An in-process command's outcome as its process's would be; raised as CommandFailed
        when it failed and `check` (else the project's) asks for that."""
        completed = subprocess.CompletedProcess(cmd, returncode, stdout, stderr)
        if (self.check if check is None else check) and returncode != 0:
            raise CommandFailed(cmd, completed)
        return completed

    def _parsed_manifest(self, argv: tuple[str, ...]):
        """The project parsed for this command line, from `_MANIFESTS`, parsed the first time
        (`dbt parse`, its output discarded); None for commands that parse for themselves.

        Every dbt command parses the project first, seconds of each test's command although
        the project's files do not change during a run. What a parse depends on is the command
        line's vars, target and profile (and $DBT_TARGET): one parse per such combination per
        test process. The command runs on that manifest as dbt's Python API allows
        (`dbtRunner(manifest=...)`); dbt does not write `manifest.json` then, so this writes
        the one of the parse into the project's target folder, where the command would have."""
        command = next((a for a in argv if not a.startswith("-")), None)
        if command not in REUSE_MANIFEST:
            return None
        options: list[str] = []
        for name, value in zip(argv, argv[1:], strict=False):
            if name in PARSE_OPTIONS:
                options += [name, value]
        key = (*options, os.environ.get("DBT_TARGET", ""))
        if key not in _MANIFESTS:
            from dbt.cli.main import dbtRunner

            with contextlib.redirect_stdout(io.StringIO()):
                parsed = dbtRunner().invoke(["parse", *options])
            if not parsed.success:
                return None  # the command parses again and reports the error itself
            written = Path(os.environ["DBT_TARGET_PATH"]) / "manifest.json"
            _MANIFESTS[key] = (parsed.result, written.read_bytes())
            return parsed.result
        manifest, written = _MANIFESTS[key]
        target = Path(os.environ["DBT_TARGET_PATH"])
        target.mkdir(parents=True, exist_ok=True)
        (target / "manifest.json").write_bytes(written)
        return manifest

    def dbt_process(self, *args: str, check: bool | None = None) -> subprocess.CompletedProcess:
        return super().dbt(*args, check=check)

    def cli(self, *args: str, check: bool | None = None) -> subprocess.CompletedProcess:
        """`python -m ecom_analytics <args>` in the test process (its `main`), with the
        module's environment, its output captured, returned as the process's would be: the
        exit code `main` returns or exits with, 1 and the traceback for an uncaught error."""
        from ecom_analytics.cli import main

        cmd = (str(BIN_DIR / "python"), "-m", "ecom_analytics", *args)
        stdout, stderr = io.StringIO(), io.StringIO()
        with (
            _environment(self.env, PROJECT_DIR),
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
        ):
            try:
                returncode = main(list(args))
            except SystemExit as ex:
                returncode = ex.code if isinstance(ex.code, int) else 0 if ex.code is None else 1
                if not isinstance(ex.code, int | None):
                    print(ex.code, file=sys.stderr)
            except Exception:
                traceback.print_exc()
                returncode = 1
        return self._completed(cmd, returncode, stdout.getvalue(), stderr.getvalue(), check)

    def cli_process(self, *args: str, check: bool | None = None) -> subprocess.CompletedProcess:
        return super().cli(*args, check=check)

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

    @contextlib.contextmanager
    def held(self) -> Iterator[Project]:
        """The engine kept open on this folder for the block. An open loads every table's
        metadata (most of a second on a built sample); while one client is open, every other
        `client()` of this process on the same folder, and in-process `dbt`, shares its engine
        and opens in milliseconds. For a module of many short tests on one folder: no
        subprocess can open the folder meanwhile, nor this process another folder."""
        with self.client():
            yield self

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
