"""What a dashboard page load costs on a target: `python -m ecom_analytics dashboard --measure`.

Every page with the filters a session starts with (the Overview: yesterday; the others: the
30 days up to yesterday, compared with the 30 days before and a year earlier; all sources).
Prints, per page, one table from one run (figures vary with the machine and its load):
- cold open: the first page load of a process, which starts the embedded engine;
- uncached: a page load on an engine started before (open, the page's queries, close), the
  median of a few; the Today page's redraws cost this every time;
- warm: a cache hit, which Streamlit's `st.cache_data` serves by unpickling the stored result.
"""

from __future__ import annotations

import pickle
import statistics
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from ecom_analytics.dashboard.data import describe, load_page, page_filters
from ecom_analytics.dashboard.pages import ALL_PAGES

REPEATS = 3


def measure(target_name: str | None) -> int:
    from ecom_analytics.target import load_target, project_vars

    target = load_target(target_name)
    today = datetime.now(ZoneInfo(project_vars().get("reporting_timezone", "UTC"))).date()
    print(f"Page loads on {describe(target)}, {REPEATS} uncached loads per page")
    print(
        f"{'page':<12} {'queries':>7} {'cold open':>10} {'uncached':>10} {'open':>7} "
        f"{'queries':>8} {'close':>7} {'warm':>8} {'rows':>7}"
    )
    cold = None
    for page in ALL_PAGES:
        filters = page_filters(page.url_path, today)
        if cold is None:
            cold = load_page(target, page.load_queries, filters)
        loads = [load_page(target, page.load_queries, filters) for _ in range(REPEATS)]
        middle = sorted(loads, key=lambda data: data.seconds)[len(loads) // 2]
        stored = pickle.dumps(middle)
        started = time.perf_counter()
        pickle.loads(stored)
        warm = time.perf_counter() - started
        rows = sum(len(frame) for frame in middle.frames.values() if frame is not None)
        first = f"{cold.seconds:.2f} s" if page is ALL_PAGES[0] else ""
        print(
            f"{page.title:<12} {len(page.load_queries):>7} {first:>10} "
            f"{statistics.median(d.seconds for d in loads):>8.2f} s "
            f"{middle.open_seconds:>5.2f} s {middle.query_seconds:>6.2f} s "
            f"{middle.close_seconds:>5.2f} s {warm * 1000:>5.1f} ms {rows:>7}"
        )
    return 0
