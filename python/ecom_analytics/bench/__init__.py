"""Benchmark: `ecom bench` prints speed and memory as ratios from one run (never asserted in tests).

Everything runs on a fresh, private embedded database folder (a temporary one unless `--path`
names a new or empty folder), never on the user's `.chdb`:

1. sample-data generation in this process: rows, seconds, rows/s, peak RSS;
2. `dbt build` of the curated layer (a subprocess: this process closes its client first, as
   the embedded engine admits one process per folder): wall seconds, curated rows produced;
3. dbt start-up: a no-op `dbt run-operation`, the fixed cost every dbt command pays; then
   `dbt run` of the analytics layer;
4. opening the folder (goal: the same cost whatever ran before): after the build, after the
   backfills, after `backfill_all` by day over the last `--backfill-all-days` days (every
   materialized-view model) and after a whole `dbt test`, with the entries queued in
   `metadata_dropped/`;
5. backfill throughput: `dbt run-operation backfill` per model and chunk size over the whole
   generated range, against one plain `INSERT INTO <scratch> SELECT <the model's SELECT>`
   over the same range: the loop rate (the macro's own timing of its chunks) and the
   end-to-end rate (the whole command: start-up, chunks, reconciliation);
6. real-time curation (goal: <= 1.2x): the same batch of raw rows inserted into the raw table,
   where the materialized views fire, against the fair baseline: the insert into a copy
   without views plus each view's SELECT over those rows as one batch INSERT ... SELECT into
   a copy of its target (the old ratio, against the insert alone, beside it);
7. freshness: seconds from a raw insert until the curated tables show it, and until each
   analytics model does after `refresh_analytics` (the interval a server adds is stated);
8. dashboard queries (goal: >= 20x faster than from raw, <= 100 ms): each analytics model's
   typical query (`ecom_analytics.typical_queries`), median of 20, against the same answer
   computed from the curated tables and from raw where the model has baselines
   (`baselines/<model>.<layer>.sql`: SQL for the benchmark, calling the project's macros).

`--sections` runs only some of them (set-up, 1-3, always; `backfill`: 5 and the opens after
it; `test`: `dbt test` and the open after it; `curation`: 6; `freshness`: 7; `queries`: 8).

Ratios are the point: one run on a shared machine is noisy, absolute figures only set the
scale. Results are also written as JSON (`--output`).

One module per measured goal (setup_costs, opening, backfill, curation, freshness, queries),
`report` prints the table, `command` runs the steps; `runner` is what they share.
"""

from ecom_analytics.bench.backfill import backfill_results
from ecom_analytics.bench.command import add_arguments, run

__all__ = ["add_arguments", "backfill_results", "run"]
