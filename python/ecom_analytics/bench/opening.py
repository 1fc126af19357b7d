"""Opening the embedded folder (goal: the same cost whatever ran before)."""

from __future__ import annotations

import statistics
import time
from typing import Any

from ecom_analytics.bench.runner import Bench

OPEN_ROUNDS = 3  # opens of the folder at each point it is measured (median)


def measure_open(bench: Bench, rounds: int = OPEN_ROUNDS) -> dict[str, Any]:
    """What every dbt command, tool and dashboard request pays first: opening the folder. The
    entries of `metadata_dropped/` are counted before the first open (what that open finds
    queued); each open can itself leave one per refresh it cancels (`.tmp.inner_id...` tables
    of the refreshes an open starts before it stops them), which the next open deletes."""
    dropped = bench.path / "metadata_dropped"

    def queued() -> int:
        return len(list(dropped.iterdir())) if dropped.is_dir() else 0

    before = queued()
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        with bench.client() as client:
            client.command("select 1")
        seconds.append(time.perf_counter() - started)
    with bench.client() as client:
        # an open also loads every data part, the outdated ones too (merged or replaced parts:
        # an embedded client's close deletes them, so this counts what the opens above left)
        parts, outdated = client.query(
            "select countIf(active), countIf(not active) from system.parts"
        ).result_rows[0]
    return {
        "seconds": statistics.median(seconds),
        "rounds": rounds,
        "queued_drops": before,
        "queued_drops_after": queued(),
        "active_parts": parts,
        "outdated_parts": outdated,
    }
