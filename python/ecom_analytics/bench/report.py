"""The benchmark's printed table: one section per measured goal, ratios first."""

from __future__ import annotations

from typing import Any

from ecom_analytics.bench.runner import rate

HEADER = ("measurement", "ratio", "rows", "seconds", "rows/s", "notes")
ALIGN = "<>>>><"


class Table:
    """Rows of measurements under section titles, rendered as aligned text."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, ...]] = []

    def section(self, title: str) -> None:
        self.lines.append((title,))

    def row(
        self,
        name: str,
        ratio: float | None = None,
        rows: int | None = None,
        seconds: float | None = None,
        per_second: float | None = None,
        notes: str = "",
    ) -> None:
        self.lines.append(
            (
                name,
                "" if ratio is None else f"{ratio:.2f}x",
                "" if rows is None else f"{rows:,}",
                "" if seconds is None else f"{seconds:.{3 if seconds < 0.1 else 2}f}",
                "" if per_second is None else f"{per_second:,.0f}",
                notes,
            )
        )

    def render(self) -> str:
        widths = [len(h) for h in HEADER]
        for line in self.lines:
            if len(line) > 1:
                widths = [max(w, len(cell)) for w, cell in zip(widths, line, strict=True)]

        def aligned(cells: tuple[str, ...]) -> str:
            return "  ".join(
                f"{cell:{align}{width}}" if i < 5 else cell
                for i, (cell, align, width) in enumerate(zip(cells, ALIGN, widths, strict=True))
            ).rstrip()

        out = [aligned(HEADER), "  ".join("-" * w for w in widths[:5]) + "  -----"]
        for line in self.lines:
            out.append(f"\n{line[0]}" if len(line) == 1 else aligned(line))
        return "\n".join(out)


def set_up_section(table: Table, results: dict[str, Any]) -> None:
    sample, build, startup = results["sample"], results["dbt_build"], results["dbt_startup"]
    table.section("set-up")
    table.row(
        "sample-data generation",
        rows=sample["rows"],
        seconds=sample["seconds"],
        per_second=sample["rows_per_second"],
        notes=f"peak RSS {sample['peak_rss_mib']:,.0f} MiB "
        f"({sample['peak_rss_mib_before']:,.0f} before generating; engine in-process); "
        f"{sample['insert_seconds']:.2f} s of it inserting",
    )
    table.row(
        "dbt build, curated layer",
        rows=build["curated_rows"],
        seconds=build["seconds"],
        per_second=build["rows_per_second"],
        notes=f"{build['curated_tables']} tables, rows counted FINAL; "
        f"`dbt build --select {build['selector']}`",
    )
    table.row(
        "dbt start-up (no-op run-operation)",
        seconds=startup["seconds"],
        notes="paid once by every dbt command",
    )
    table.row(
        "dbt run, analytics layer",
        seconds=results["dbt_analytics"]["seconds"],
        notes=f"`dbt run --select {results['dbt_analytics']['selector']}` (fills every view)",
    )


def open_section(table: Table, results: dict[str, Any]) -> None:
    before = results["open_after_build"]
    opens = [("open, after build", before, "")]
    if "backfill" in results:
        backfill_all = results["backfill_all"]
        opens += [
            (
                "open, after backfills",
                results["open_after_backfill"],
                "month and week chunks above",
            ),
            (
                "open, after backfill_all by day",
                results["open_after_backfill_all"],
                f"{backfill_all['models']} models x {backfill_all['days']} days "
                f"[{backfill_all['start']}, {backfill_all['end']}): {backfill_all['chunks']:,} "
                f"chunks, {backfill_all['seconds']:.0f} s; reconciliation differs for "
                f"{len(backfill_all['differing'])} models",
            ),
        ]
    if "dbt_test" in results:
        tests = results["dbt_test"]
        opens.append(
            (
                "open, after dbt test",
                results["open_after_test"],
                f"{tests['passed']} tests passed in {tests['seconds']:.0f} s",
            )
        )
    table.section("open the embedded folder: seconds / after the build (goal: 1.00x)")
    for name, opened, what in opens:
        table.row(
            name,
            ratio=opened["seconds"] / before["seconds"],
            seconds=opened["seconds"],
            notes=f"median of {opened['rounds']}; {opened['queued_drops']} in metadata_dropped/"
            f" before ({opened['queued_drops_after']} after); parts {opened['active_parts']:,}"
            f" active, {opened['outdated_parts']:,} outdated" + (f"; {what}" if what else ""),
        )


def curation_section(table: Table, results: dict[str, Any]) -> None:
    table.section(
        "real-time curation: raw insert with the views / insert without views + the views'"
        " SELECTs as batch INSERT ... SELECTs (goal: <= 1.20x)"
    )
    for insert in results["insert"]:
        table.row(
            f"{insert['table']}, no views",
            rows=insert["rows"],
            seconds=insert["seconds_without_views"],
            per_second=rate(insert["rows"], insert["seconds_without_views"]),
            notes=f"best of {insert['rounds']}",
        )
        table.row(
            f"{insert['table']}, no views + batch curation",
            rows=insert["rows"],
            seconds=insert["seconds_batch_baseline"],
            per_second=rate(insert["rows"], insert["seconds_batch_baseline"]),
            notes=f"{insert['seconds_batch_selects']:.2f} s of INSERT ... SELECTs writing "
            f"{insert['curated_rows']:,} curated rows into copies of the targets",
        )
        table.row(
            f"{insert['table']}, with views",
            ratio=insert["fair_ratio"],
            rows=insert["rows"],
            seconds=insert["seconds_with_views"],
            per_second=rate(insert["rows"], insert["seconds_with_views"]),
            notes=f"{insert['ratio']:.2f}x against the insert alone; "
            f"{len(insert['views'])} view(s): {', '.join(insert['views'])}",
        )


def freshness_section(table: Table, results: dict[str, Any]) -> None:
    fresh = results["freshness"]
    table.section(
        "freshness: seconds from a raw insert until a model shows it (no dbt run; the embedded"
        " engine refreshes on `refresh_analytics`)"
    )
    for name, shown in fresh["visible"].items():
        table.row(name, seconds=shown["seconds"], notes=shown["how"])
    table.row(
        "refresh_analytics, all views",
        seconds=fresh["refresh_seconds"],
        notes=f"{fresh['refreshed_views']} refreshable views; on a server they refresh every "
        f"{fresh['refresh_interval_minutes']} min (var analytics_refresh_minutes): up to "
        f"{fresh['refresh_interval_minutes']} min + this",
    )


_SAME_ANSWER = {
    True: "same rows ({columns})",
    False: "DIFFERENT rows (simplified definitions)",
    None: "not compared (the answer depends on when it is read)",
}


def queries_section(table: Table, results: dict[str, Any]) -> None:
    table.section(
        "dashboard queries: median seconds; ratio = from raw / from the analytics model"
        " (goal: >= 20x and <= 0.100 s)"
    )
    for query in results["queries"]["queries"]:
        raw_formulation = query.get("raw")
        table.row(
            query["model"],
            ratio=raw_formulation["speedup"] if raw_formulation else None,
            rows=query["rows"],
            seconds=query["median_seconds"],
            notes=query["question"]
            + f" (median of {query['rounds']}"
            + ("; within 100 ms)" if query["median_seconds"] <= 0.1 else "; OVER 100 ms)"),
        )
        for layer in ("curated", "raw"):
            if layer in query:
                other = query[layer]
                same = _SAME_ANSWER[other["same_answer"]]
                table.row(
                    f"... same answer from {layer}",
                    ratio=other["speedup"],
                    rows=other["rows"],
                    seconds=other["median_seconds"],
                    notes=f"median of {other['rounds']}; "
                    + same.format(columns=", ".join(other["compared_columns"])),
                )


def backfill_runs(table: Table, model: str, runs: list[dict], startup: dict[str, Any]) -> None:
    """Each chunk size's loop and end-to-end rows of one model's backfill."""
    for run in runs:
        table.row(
            f"{model}, {run['chunk']} chunks, loop",
            ratio=run["loop_ratio"],
            rows=run["rows"],
            seconds=run["loop_seconds"],
            per_second=run["loop_rows_per_second"],
            notes=f"{run['chunks']} chunks; dbt peak RSS {run['peak_rss_mib']:,.0f} MiB"
            f" (no-op command {startup['peak_rss_mib']:,.0f} MiB)",
        )
        reconcile = run["reconcile_seconds"]
        rest = run["end_to_end_seconds"] - startup["seconds"] - run["loop_seconds"] - reconcile
        table.row(
            f"{model}, {run['chunk']} chunks, end-to-end",
            ratio=run["end_to_end_ratio"],
            rows=run["rows"],
            seconds=run["end_to_end_seconds"],
            per_second=run["end_to_end_rows_per_second"],
            notes=f"whole command: ~{startup['seconds']:.1f} s dbt start-up, "
            f"{run['loop_seconds']:.1f} s chunks, {reconcile:.1f} s reconciliation, "
            f"~{max(rest, 0):.1f} s inspection",
        )


def backfill_section(table: Table, results: dict[str, Any]) -> None:
    table.section(
        "backfill throughput: rows/s of the backfill / one plain INSERT ... SELECT"
        " (1.00x = as fast)"
    )
    for backfill in results["backfill"]:
        plain = backfill["plain"]
        table.row(
            f"{backfill['model']}, plain INSERT ... SELECT",
            rows=plain["rows"],
            seconds=plain["seconds"],
            per_second=plain["rows_per_second"],
            notes=f"{backfill['time_column']} in [{backfill['start']}, {backfill['end']})",
        )
        backfill_runs(table, backfill["model"], backfill["runs"], results["dbt_startup"])


def incremental_section(table: Table, results: dict[str, Any]) -> None:
    incremental = results["incremental"]
    full = incremental["full"]
    table.section(
        "incremental refresh: every analytics view brought up to date; ratio = rows read by a"
        " full recompute / by this refresh (goal: >= 50x after the delta, >= 200x with nothing"
        " new)"
    )
    table.row(
        "full recompute (ecom refresh --full)",
        rows=full["read_rows"],
        seconds=full["seconds"],
        notes=f"{len(full['views'])} views; {full['written_rows']:,} rows written",
    )
    delta_rows = sum(incremental["delta_rows"].values())
    for key, label, note in (
        ("nothing_new", "refresh with nothing new", ""),
        (
            "after_delta",
            f"refresh after a {incremental['delta_share']:.0%} delta",
            f"; the delta: {delta_rows:,} raw rows new, changed or delivered again",
        ),
    ):
        measured = incremental[key]
        table.row(
            label,
            ratio=_read_ratio(full["read_rows"], measured["read_rows"]),
            rows=measured["read_rows"],
            seconds=measured["seconds"],
            notes=f"{measured['seconds_ratio']:.1f}x faster; "
            f"{measured['written_rows']:,} rows written{note}",
        )
    after = incremental["after_delta"]["views"]
    for view, cost in sorted(full["views"].items(), key=lambda item: -item[1]["read_rows"]):
        state = "incremental state" if view in incremental["incremental_states"] else "recomputed"
        table.row(
            f"... {view}",
            ratio=_read_ratio(cost["read_rows"], after[view]["read_rows"]),
            rows=after[view]["read_rows"],
            seconds=after[view]["seconds"],
            notes=f"{state}; full recompute read {cost['read_rows']:,} rows",
        )


def _read_ratio(full_rows: int, rows: int) -> float | None:
    """Rows a full recompute read per row this refresh read; none when it read nothing (every
    view it would refresh was current)."""
    return full_rows / rows if rows else None


# each printed section and the result it needs (None: always there, set-up); a section the
# run left out (`--sections`) is not printed
SECTIONS = (
    (set_up_section, None),
    (open_section, None),
    (curation_section, "insert"),
    (freshness_section, "freshness"),
    (queries_section, "queries"),
    (backfill_section, "backfill"),
    (incremental_section, "incremental"),
)


def format_table(results: dict[str, Any]) -> str:
    """Every section of the results that the run measured, as one aligned table."""
    table = Table()
    for section, needs in SECTIONS:
        if needs is None or needs in results:
            section(table, results)
    return table.render()
