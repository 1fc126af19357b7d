"""Dashboard queries (goal: >= 20x faster than from raw, <= 100 ms): each analytics model's
typical query (`ecom_analytics.typical_queries`), median of 20, against the same answer
computed from the curated tables and from raw where the model has baselines."""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from ecom_analytics.bench.runner import Bench, BenchError, scalar

QUERY_ROUNDS = 20  # runs of each typical dashboard query (median)
BASELINE_ROUNDS = 5  # runs of its curated and raw formulations (median; they are slow)
LAYERS = ("curated", "raw")

# the project's macros the baseline files call: the definitions they must agree with
BASELINE_MACROS = (
    "json_array",
    "json_decimal",
    "json_array_sum",
    "url_parameter",
    "order_session_source_medium",
    "default_channel_groups",
    "source_names",
    "raw_loaded_at_field",
    "ga4_event_order",
    "ga4_key_events",
    "ga4_dated_sessions",
    "safe_share",
    "number_var",
    "reporting_timezone",
    "reporting_today",
    "shopify_product_handles",
)


def render_baseline(bench: Bench, path: Path) -> str:
    """A baseline file as SQL: the project's macros rendered, `ref()` resolved from the
    benchmark's dbt build."""
    from ecom_analytics import project_macros
    from ecom_analytics.target import project_vars

    def ref(name: str) -> str:
        for resource_type in ("seed", "model"):
            try:
                return "{}.{}".format(*bench.relation(name, resource_type))
            except BenchError:
                continue
        raise BenchError(f"ref('{name}') in {path.name}: no such seed or model")

    return project_macros.render(path, BASELINE_MACROS, project_vars(bench.vars), ref)


def _answer(result: Any, columns: list[str]) -> list[tuple]:
    """A query's rows over `columns`, compared loosely: numbers to 2 decimals, the rest as text."""

    def cell(v: Any) -> str:
        if isinstance(v, float | int) or type(v).__name__ == "Decimal":
            return f"{float(v):.2f}"
        return str(v)

    index = [result.column_names.index(name) for name in columns]
    return [tuple(cell(row[i]) for i in index) for row in result.result_rows]


def _median_seconds(client: Any, sql: str, parameters: dict, rounds: int) -> tuple[float, Any]:
    seconds, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = client.query(sql, parameters=parameters)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def query_parameters(bench: Bench, client: Any, raw: dict[str, str]) -> dict[str, Any]:
    """The parameters of every query: the first raw database of each source, and the month
    before the last whole month of data."""
    from ecom_analytics.target import project_vars

    last = scalar(
        client,
        "select max(sales_date) from analytics_shopify.shopify_daily_sales"
        " where source_relation = %(shop)s",
        {"shop": raw["shopify"]},
    )
    end = date(last.year, last.month, 1)  # the last whole month of data
    start = date(end.year - (end.month == 1), (end.month - 2) % 12 + 1, 1)
    return {
        "shop": raw["shopify"],
        "account": raw["klaviyo"],
        "property": raw["ga4"],
        "export_property": raw["ga4_export"],
        "start": start,
        "end": end,
        "timezone": project_vars(bench.vars).get("reporting_timezone", "UTC"),
    }


def measure_baseline(
    client: Any,
    sql: str,
    parameters: dict,
    seconds: float,
    answer: Any,
    comparable: bool,
    rounds: int,
) -> dict[str, Any]:
    """One baseline against the analytics model's answer (`seconds`, `answer`)."""
    other, other_answer = _median_seconds(client, sql, parameters, rounds)
    shared = [c for c in answer.column_names if c in other_answer.column_names]
    return {
        "median_seconds": other,
        "rounds": rounds,
        "rows": len(other_answer.result_rows),
        "speedup": other / max(seconds, 1e-9),
        # the rows over the columns both give (None: not comparable, clock-bound)
        "same_answer": _answer(other_answer, shared) == _answer(answer, shared)
        if comparable
        else None,
        "compared_columns": shared if comparable else [],
    }


def measure_dashboard_queries(
    bench: Bench, raw: dict[str, str], baseline_rounds: int, rounds: int = QUERY_ROUNDS
) -> dict[str, Any]:
    """Each analytics model's typical dashboard query (ecom_analytics.typical_queries), the
    median of `rounds` runs; where the model has baselines (and `baseline_rounds` is not
    0), the same question from the curated tables and from raw (median of `baseline_rounds`),
    and whether the answers agree."""
    from ecom_analytics.typical_queries import TYPICAL_QUERIES

    results = []
    with bench.client() as client:
        parameters = query_parameters(bench, client, raw)
        for model, query in TYPICAL_QUERIES.items():
            seconds, answer = _median_seconds(client, query.analytics, parameters, rounds)
            result: dict[str, Any] = {
                "model": model,
                "question": query.question,
                "rows": len(answer.result_rows),
                "median_seconds": seconds,
                "rounds": rounds,
            }
            for layer in LAYERS:
                path = getattr(query, layer)
                if path is not None and baseline_rounds:
                    sql = render_baseline(bench, path)
                    result[layer] = measure_baseline(
                        client, sql, parameters, seconds, answer, query.comparable, baseline_rounds
                    )
            results.append(result)
    return {"parameters": {k: str(v) for k, v in parameters.items()}, "queries": results}
