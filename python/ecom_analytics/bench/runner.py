"""The folder under test and what every measurement uses: timed dbt runs, rates, relations."""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from typing import Any

from ecom_analytics.workspace import Workspace

BENCH_DATABASE = "bench"  # scratch tables of the benchmark, in its own database


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


def peak_rss_mib(maxrss: int) -> float:
    """ru_maxrss is KiB on Linux, bytes on macOS."""
    return maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def rate(rows: int, seconds: float) -> float:
    return rows / max(seconds, 1e-9)


@dataclass
class Command:
    seconds: float
    output: str
    peak_rss_mib: float


# A child forked from this process starts with our high-water mark in ru_maxrss (Linux carries
# it across exec), so dbt is started by a fresh, small Python that reports its child's peak.
_PEAK_RSS_LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print('ru_maxrss:', peak, file=sys.stderr)\n"
    "sys.exit(code)\n"
)
_PEAK_RSS = re.compile(r"ru_maxrss: (\d+)\s*$")


class Bench(Workspace):
    """The folder under test: dbt subprocesses on it, and a client on it when none is running."""

    def timed_dbt(self, *args: str) -> Command:
        """Run dbt on the folder: wall seconds, output and the dbt process's peak RSS (the
        embedded engine runs inside it)."""
        started = time.perf_counter()
        result = self.run(sys.executable, "-c", _PEAK_RSS_LAUNCHER, *self.dbt_command(*args))
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            raise BenchError(
                f"`dbt {' '.join(args)}` failed ({result.returncode}):\n"
                f"{(result.stdout + result.stderr)[-4000:]}"
            )
        found = _PEAK_RSS.search(result.stderr)
        return Command(seconds, result.stdout, peak_rss_mib(int(found.group(1)) if found else 0))

    def relation(self, name: str, resource_type: str = "model") -> tuple[str, str]:
        """Where a model or seed lands (database, table), from the manifest of the
        benchmark's dbt build."""
        manifest = json.loads((self.workdir / "target" / "manifest.json").read_text())
        for node in manifest["nodes"].values():
            if node["resource_type"] == resource_type and node["name"] == name:
                return node["schema"], node["alias"]
        raise BenchError(f"{resource_type} {name} is not in the dbt project")


def table_columns(client: Any, database: str, table: str) -> list[str]:
    """The table's column names, in order."""
    return [
        name
        for (name,) in client.query(
            "select name from system.columns where database = %(db)s and table = %(t)s"
            " order by position",
            parameters={"db": database, "t": table},
        ).result_rows
    ]


def scalar(client: Any, sql: str, parameters: dict[str, Any] | None = None) -> Any:
    """The first value of the first row a query returns."""
    return client.query(sql, parameters=parameters).result_rows[0][0]


def select_list(client: Any, database: str, table: str, replaced: dict[str, str]) -> str:
    """A SELECT list of the table's columns, those named in `replaced` replaced by its
    expressions (names the table lacks are ignored)."""
    return ", ".join(
        replaced.get(name, f"`{name}`") for name in table_columns(client, database, table)
    )
