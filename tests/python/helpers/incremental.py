"""The analytics layer's incremental states as the tests drive them (macros/incremental/): the
models converted to views over a state, refreshes of the states alone, and their comparison
with a full recompute (`refresh_analytics(full=True)` empties the states and recomputes every
key from the curated tables: a reference that never comes from the incremental path)."""

from __future__ import annotations

from ecom_analytics.refresh import refresh_analytics

# The converted models, by their contract names (the views the dashboards read), with the
# incremental state behind each.
CONVERTED = {
    "analytics_shopify.int_shopify__order_sales": "int_shopify__order_sales_state",
    "analytics_shopify.int_shopify__refund_sales": "int_shopify__refund_sales_state",
    "analytics_ga4.int_ga4__commerce_events": "int_ga4__commerce_events_state",
    "analytics_ga4.int_ga4__commerce_items": "int_ga4__commerce_items_state",
    "analytics_ga4.ga4_sessions": "int_ga4__sessions_state",
    "analytics_ga4.ga4_page_engagement": "int_ga4__page_engagement_state",
    "analytics_klaviyo.int_klaviyo__events_named": "int_klaviyo__events_named_state",
    "analytics_klaviyo.klaviyo_daily_event_summary": "int_klaviyo__daily_event_summary_state",
}
# each state's table, in its model's database; last, the states only other states read
STATE_TABLES = (
    *(f"{model.split('.')[0]}.{state}" for model, state in CONVERTED.items()),
    "analytics_ga4.int_ga4__session_facts_state",
)
STATES = tuple(table.split(".")[1] for table in STATE_TABLES)
# the raw tables the converted models read, as prefixes of their names
POOLED = (
    "`raw_shopify`.",
    "`raw_ga4_export`.",
    "`raw_klaviyo`.`events`",
    "`raw_klaviyo`.`metrics`",
)
# The states rebuilt with no overlap: the tests' refreshes follow their inserts at once, and
# with an overlap each refresh would recompute the previous delta's keys again, which hides a
# key the change log failed to name.
NO_OVERLAP = "{analytics_incremental_overlap_seconds: 0}"


def refresh(client, full: bool = False) -> None:
    """Refresh the states (and nothing else) whose sources changed; `full`: recompute every
    key."""
    refresh_analytics(client, only=STATES, full=full)


def converted_rows(client) -> dict[str, list]:
    """Every converted model's rows, as its readers see them, sorted."""
    return {
        model: sorted(client.query(f"select * from {model}").result_rows, key=repr)
        for model in CONVERTED
    }


def differing(found: dict[str, list], reference: dict[str, list]) -> list[str]:
    return [
        f"{model}: {len(found[model])} rows against {len(rows)} in a full recompute"
        for model, rows in reference.items()
        if found[model] != rows
    ]


def state_rows(client) -> dict[str, int]:
    """Rows each state holds, every version and tombstone: what its refreshes wrote."""
    return {
        state: client.query(f"select count() from {state}").result_rows[0][0]
        for state in STATE_TABLES
    }


def state_refreshes(client) -> dict[str, int]:
    """The refreshes that wrote rows into each state (one `_computed_at` each)."""
    return {
        state: client.query(f"select uniqExact(_computed_at) from {state}").result_rows[0][0]
        for state in STATE_TABLES
    }
