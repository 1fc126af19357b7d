"""What a dashboard page load costs on a target: `python -m ecom_analytics dashboard --measure`.

Prints, per page, one table from one run (figures vary with the machine and its load):
- cold open: the first page load of a process, which starts the embedded engine;
- uncached: a page load on an engine started before (open, the page's queries, close), the
  median of a few;
- warm: a cache hit, which Streamlit's `st.cache_data` serves by unpickling the stored result.
"""

from __future__ import annotations

import pickle
import statistics
import time

from ecom_analytics.dashboard.data import Filters, describe, load_page
from ecom_analytics.dashboard.pages import PAGES

REPEATS = 3


def measure(target_name: str | None) -> int:
    from ecom_analytics.target import load_target

    target = load_target(target_name)
    print(f"Page loads on {describe(target)}, {REPEATS} uncached loads per page")
    print(
        f"{'page':<12} {'cold open':>10} {'uncached':>10} {'open':>7} {'queries':>8} "
        f"{'close':>7} {'warm':>8} {'rows':>7}"
    )
    cold = None
    for page in PAGES:
        if cold is None:
            cold = load_page(target, page.load_queries, Filters())
        loads = [load_page(target, page.load_queries, Filters()) for _ in range(REPEATS)]
        middle = sorted(loads, key=lambda data: data.seconds)[len(loads) // 2]
        stored = pickle.dumps(middle)
        started = time.perf_counter()
        pickle.loads(stored)
        warm = time.perf_counter() - started
        rows = sum(len(frame) for frame in middle.frames.values())
        first = f"{cold.seconds:.2f} s" if page is PAGES[0] else ""
        print(
            f"{page.title:<12} {first:>10} {statistics.median(d.seconds for d in loads):>8.2f} s "
            f"{middle.open_seconds:>5.2f} s {middle.query_seconds:>6.2f} s "
            f"{middle.close_seconds:>5.2f} s {warm * 1000:>5.1f} ms {rows:>7}"
        )
    return 0
