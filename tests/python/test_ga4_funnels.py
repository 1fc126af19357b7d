"""GA4 funnels, item lists and cart abandonment (analytics_ga4) against the pinned sample and
hand-made sessions. On the sample, every figure is recomputed in Python from the raw export
rows (helpers/ga4_funnels.py, never from the models' SQL). Hand-made sessions, inserted as raw
export rows of their own property, skip and reorder steps, send a purchase twice and one
without transaction_id, abandon carts and recover them: their figures are worked out by hand
below. Re-delivering a day, a late intraday file and a re-sent purchase change nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from ecom_analytics.refresh import refresh_analytics
from helpers import Project, rows
from helpers.ga4_export import PROPERTY, at, deliver, event
from helpers.ga4_funnels import (
    STEPS,
    cart_abandonment,
    commerce_events,
    item_funnel,
    item_lists,
    session_funnel,
)

FUNNELS = (
    "ga4_item_funnel_daily",
    "ga4_session_funnel_daily",
    "ga4_item_list_performance",
    "ga4_cart_abandonment_daily",
)
# what a change of the export's events makes stale, upstream first
REFRESHED = (
    "int_ga4__session_facts_state",
    "int_ga4__sessions_state",
    "int_ga4__commerce_events_state",
    "int_ga4__commerce_items_state",
    *FUNNELS,
)
SESSION_KEY = ("property_id", "session_date", "default_channel_group", "device_category")
STEP_COLUMNS = [f"{step}_sessions_{kind}" for kind in ("open", "closed") for step in STEPS]
RATES = {  # rate column: (part, base) columns of its row
    "ga4_item_funnel_daily": {
        "list_ctr": ("listed_clicked_sessions", "listed_sessions"),
        "view_to_cart_rate": ("viewed_carted_sessions", "viewed_sessions"),
        "cart_to_purchase_rate": ("carted_purchased_sessions", "carted_sessions"),
        "view_to_purchase_rate": ("viewed_purchased_sessions", "viewed_sessions"),
    },
    "ga4_session_funnel_daily": {
        "view_item_rate": ("view_item_sessions_closed", "sessions"),
        "view_to_cart_rate": ("add_to_cart_sessions_closed", "view_item_sessions_closed"),
        "cart_to_checkout_rate": ("begin_checkout_sessions_closed", "add_to_cart_sessions_closed"),
        "checkout_to_payment_rate": (
            "add_payment_info_sessions_closed",
            "begin_checkout_sessions_closed",
        ),
        "payment_to_purchase_rate": (
            "purchase_sessions_closed",
            "add_payment_info_sessions_closed",
        ),
        "conversion_rate_closed": ("purchase_sessions_closed", "sessions"),
        "conversion_rate_open": ("purchase_sessions_open", "sessions"),
    },
    "ga4_item_list_performance": {"ctr": ("clicked_impression_sessions", "impression_sessions")},
    "ga4_cart_abandonment_daily": {
        "abandonment_rate": ("abandoned_sessions", "cart_sessions"),
        "recovery_rate": ("recovered_sessions", "abandoned_sessions"),
        "shopify_recovery_rate": ("shopify_recovered_checkouts", "shopify_abandoned_checkouts"),
    },
}


def refresh(client) -> None:
    refresh_analytics(client, only=REFRESHED)


def keyed(found: list[dict], key: tuple[str, ...]) -> dict[tuple, dict]:
    return {tuple(row[c] for c in key): row for row in found}


def assert_rows_match(found: dict, expected: dict, columns: list[str]) -> None:
    """The model's rows, keyed, hold the recomputed figures (a rate to 1e-12)."""
    assert set(found) == set(expected)
    for key, figures in expected.items():
        for column in columns:
            want, got = figures.get(column, 0), found[key][column]
            if isinstance(want, float):
                assert got == pytest.approx(want, abs=1e-12), (key, column)
            else:
                assert got == want, (key, column)


@pytest.fixture(scope="module")
def sample(pinned_built: Project) -> Iterator:
    """A connection to this module's copy of the built pinned sample, open for the whole module:
    opening the embedded folder costs seconds, and nothing else opens it meanwhile."""
    with pinned_built.client() as client:
        yield client


@pytest.fixture(scope="module")
def recomputed(sample) -> list[dict]:
    return commerce_events(sample)


# --- the sample, recomputed from raw ---------------------------------------------------------


def test_the_sample_sends_purchases_twice_and_without_transaction_id(recomputed):
    purchases = [e for e in recomputed if e["event_name"] == "purchase"]
    assert any(not e["counted"] for e in purchases)
    assert any(e["transaction_id"] is None for e in purchases)


def test_item_funnel_matches_raw(sample, recomputed):
    found = rows(sample, "select * from analytics_ga4.ga4_item_funnel_daily")
    columns = [
        "list_impressions", "list_clicks", "item_views", "add_to_carts", "checkouts",
        "purchases", "purchases_without_transaction_id", "units_purchased", "item_revenue",
        "list_ctr", "view_to_cart_rate", "cart_to_purchase_rate", "view_to_purchase_rate",
    ]  # fmt: skip
    key = ("property_id", "activity_date", "item_id", "item_name")
    assert_rows_match(keyed(found, key), item_funnel(recomputed), columns)
    assert sum(row["purchases"] for row in found) > 0


def test_session_funnel_open_and_closed_match_raw(sample, recomputed):
    found = rows(sample, "select * from analytics_ga4.ga4_session_funnel_daily")
    expected = session_funnel(recomputed)
    assert_rows_match(keyed(found, SESSION_KEY), expected, ["sessions", *STEP_COLUMNS])
    # the sample's own sessions skip steps: closed is below open somewhere
    assert sum(r["add_to_cart_sessions_closed"] for r in found) < sum(
        r["add_to_cart_sessions_open"] for r in found
    )


def test_item_list_performance_matches_raw(sample, recomputed):
    found = rows(sample, "select * from analytics_ga4.ga4_item_list_performance")
    key = ("property_id", "activity_date", "item_list_name", "item_list_index")
    columns = ["impressions", "clicks", "ctr", "add_to_carts", "purchases"]
    assert_rows_match(keyed(found, key), item_lists(recomputed), columns)
    assert sum(row["add_to_carts"] for row in found) > 0


def test_cart_abandonment_and_recovery_match_raw(sample, recomputed):
    found = rows(sample, "select * from analytics_ga4.ga4_cart_abandonment_daily")
    columns = [
        "sessions", "cart_sessions", "abandoned_sessions", "abandoned_cart_value",
        "recovered_sessions", "abandonment_rate", "recovery_rate",
    ]  # fmt: skip
    assert_rows_match(keyed(found, SESSION_KEY), cart_abandonment(recomputed), columns)
    assert sum(row["recovered_sessions"] for row in found) > 0


def test_shopify_abandoned_checkouts_sit_beside_each_day(sample):
    found = rows(
        sample,
        "select session_date, any(shopify_abandoned_checkouts) as checkouts, "
        "any(shopify_recovered_checkouts) as recovered, any(shopify_revenue_lost) as lost, "
        "uniqExact(shopify_abandoned_checkouts, shopify_revenue_lost) as variants "
        "from analytics_ga4.ga4_cart_abandonment_daily group by session_date",
    )
    shopify = keyed(
        rows(
            sample,
            "select checkout_date, sum(checkouts) as checkouts, sum(recovered) as recovered, "
            "sum(revenue_lost) as lost "
            "from analytics_shopify.shopify_abandoned_checkout_recovery group by checkout_date",
        ),
        ("checkout_date",),
    )
    assert any(row["checkouts"] for row in found)
    for row in found:
        assert row["variants"] == 1  # the same day-level figure on every row of the day
        same_day = shopify.get((row["session_date"],), {"checkouts": 0, "recovered": 0, "lost": 0})
        assert (row["checkouts"], row["recovered"], row["lost"]) == (
            same_day["checkouts"],
            same_day["recovered"],
            same_day["lost"],
        )


def test_every_rate_is_a_share_and_null_on_a_zero_base(sample):
    found = {model: rows(sample, f"select * from analytics_ga4.{model}") for model in RATES}
    for model, rates in RATES.items():
        for row in found[model]:
            for rate, (part, base) in rates.items():
                if row[base] == 0:
                    assert row[rate] is None, (model, rate, row)
                else:
                    assert 0 <= row[part] <= row[base], (model, rate, row)
                    assert row[rate] == pytest.approx(row[part] / row[base]), (model, rate, row)


# --- hand-made sessions, worked out by hand -------------------------------------------------

A = {"item_id": "A", "item_name": "Item A", "price": 10.0, "quantity": 1}
B = {"item_id": "B", "item_name": "Item B", "price": 25.0, "quantity": 1}


def sent(
    name: str,
    when: datetime,
    client: str,
    session_id: int,
    items: list[dict],
    transaction_id: str | None = None,
    batch: tuple[int, int, int] = (1, 1, 1),
) -> dict:
    """One export row of an ecommerce event with its items (and a transaction for purchases)."""
    row = event(name, when, client, session_id, "/products/a", batch)
    row["items"] = items
    if name == "purchase":
        row["ecommerce"] = {"transaction_id": transaction_id, "purchase_revenue": 10.0}
    return row


def checkout(client: str, session_id: int, start: datetime, names: list[str], **purchase) -> list:
    """A session sending the events `names` one minute apart, every one with item A."""
    return [
        sent(name, start + timedelta(minutes=i), client, session_id, [A], **purchase)
        for i, name in enumerate(names)
    ]


IN_ORDER = ["view_item", "add_to_cart", "begin_checkout", "add_payment_info", "purchase"]
DAY_1 = [
    # S1: every step in order; its purchase's item revenue says 9 (a discount)
    *checkout("f1", 1001, at(1, 10), IN_ORDER, transaction_id="T1"),
    # S2: no view_item
    *checkout("f2", 1002, at(1, 11), IN_ORDER[1:], transaction_id="T2"),
    # S3: begin_checkout before add_to_cart
    *checkout(
        "f3",
        1003,
        at(1, 12),
        ["view_item", "begin_checkout", "add_to_cart", "add_payment_info", "purchase"],
        transaction_id="T3",
    ),
    # S4: in order, the purchase sent twice (the thank-you page reloaded a minute later)
    *checkout("f4", 1004, at(1, 13), [*IN_ORDER, "purchase"], transaction_id="T4"),
    # S5: a purchase without transaction_id, sent twice, no checkout
    *checkout("f5", 1005, at(1, 14), ["view_item", "add_to_cart", "purchase", "purchase"]),
    # S6: add_to_cart and view_item share a timestamp; the batch puts the cart first
    sent("add_to_cart", at(1, 15), "f6", 1006, [A], batch=(1, 1, 1)),
    sent("view_item", at(1, 15), "f6", 1006, [A], batch=(1, 1, 2)),
]
DAY_1[4]["items"] = [{**A, "item_revenue": 9.0}]
SHELF_A, SHELF_B = (
    {**A, "item_list_name": "Shelf", "item_list_index": "1"},
    {**B, "item_list_name": "Shelf", "item_list_index": "2"},
)
DAY_2 = [
    # S7: sees the shelf, clicks B at position 2, buys it
    sent("view_item_list", at(2, 9), "f7", 2001, [SHELF_A, SHELF_B]),
    sent("select_item", at(2, 9, 1), "f7", 2001, [SHELF_B]),
    *[
        sent(name, at(2, 9, 2 + i), "f7", 2001, [B], transaction_id="T7")
        for i, name in enumerate(IN_ORDER)
    ],
    # S8: sees the shelf, clicks nothing
    sent("view_item_list", at(2, 10), "f8", 2002, [SHELF_A, SHELF_B]),
    # S4 again, the next day: T4 re-sent from the browser's history, no purchase
    sent("purchase", at(2, 8), "f4", 2003, [A], transaction_id="T4"),
]
DAY_3 = [
    # S9: carts two of A and leaves; the same client buys two days later (recovered)
    sent("view_item", at(3, 10), "f9", 3001, [A]),
    sent("add_to_cart", at(3, 10, 1), "f9", 3001, [{**A, "quantity": 2}]),
    sent("purchase", at(5, 10), "f9", 3002, [A], transaction_id="T9"),
    # S11: only begins checkouts (A and B, then B alone) and leaves; buys 8 days later
    sent("begin_checkout", at(3, 11), "f11", 3003, [A, B]),
    sent("begin_checkout", at(3, 11, 5), "f11", 3003, [B]),
    sent("purchase", at(11, 11, 30), "f11", 3004, [B], transaction_id="T11"),
    # S12: carts and buys
    sent("add_to_cart", at(3, 12), "f12", 3005, [A]),
    sent("purchase", at(3, 12, 5), "f12", 3005, [A], transaction_id="T12"),
]
HAND_MADE = DAY_1 + DAY_2 + DAY_3


@pytest.fixture(scope="module")
def hand_made(sample):
    deliver(sample, HAND_MADE, "parquet", "daily", at(20, 6))
    refresh(sample)
    return sample


def hand_made_rows(client, model: str, order: str) -> list[dict]:
    return rows(
        client,
        f"select * from analytics_ga4.{model} where property_id = '{PROPERTY}' order by {order}",
    )


def test_closed_funnels_follow_the_event_order(hand_made):
    found = keyed(
        hand_made_rows(hand_made, "ga4_session_funnel_daily", "session_date"), SESSION_KEY
    )
    day_1 = found[(PROPERTY, date(2024, 5, 1), "Direct", "desktop")]
    day_2 = found[(PROPERTY, date(2024, 5, 2), "Direct", "desktop")]
    assert day_1["sessions"] == 6
    # open: view_item in S1, S3-S6; add_to_cart in all; checkout and payment in S1-S4;
    # purchase in S1-S5
    assert [day_1[f"{step}_sessions_open"] for step in STEPS] == [5, 6, 4, 4, 5]
    # closed: S2 never viewed; S6 carted before it viewed (batch order); S3 checked out
    # before carting; S5 bought without a checkout: only S1 and S4 go all the way
    assert [day_1[f"{step}_sessions_closed"] for step in STEPS] == [5, 4, 2, 2, 2]
    assert day_1["view_to_cart_rate"] == pytest.approx(4 / 5)
    assert day_1["cart_to_checkout_rate"] == pytest.approx(2 / 4)
    assert day_1["conversion_rate_closed"] == pytest.approx(2 / 6)
    assert day_1["conversion_rate_open"] == pytest.approx(5 / 6)
    # day 2: S7 goes through; S8 only sees a list; S4's re-sent T4 is no purchase
    assert day_2["sessions"] == 3
    assert [day_2[f"{step}_sessions_open"] for step in STEPS] == [1, 1, 1, 1, 1]
    assert [day_2[f"{step}_sessions_closed"] for step in STEPS] == [1, 1, 1, 1, 1]


def test_a_purchase_sent_twice_counts_once_and_one_without_transaction_id_counts_as_sent(
    hand_made,
):
    found = keyed(
        hand_made_rows(hand_made, "ga4_item_funnel_daily", "activity_date, item_id"),
        ("activity_date", "item_id"),
    )
    day_1 = found[(date(2024, 5, 1), "A")]
    # T1-T4 once each (T4 was sent three times, once a day later), S5's two untracked ones
    assert (day_1["purchases"], day_1["purchases_without_transaction_id"]) == (6, 2)
    assert day_1["units_purchased"] == 6
    assert day_1["item_revenue"] == Decimal(9) + 5 * Decimal(10)
    assert (day_1["item_views"], day_1["add_to_carts"], day_1["checkouts"]) == (5, 6, 4)
    # sessions: viewed S1, S3-S6 (all carted); carted all six; bought S1-S5
    assert day_1["view_to_cart_rate"] == pytest.approx(5 / 5)
    assert day_1["cart_to_purchase_rate"] == pytest.approx(5 / 6)
    assert day_1["view_to_purchase_rate"] == pytest.approx(4 / 5)
    assert day_1["list_ctr"] is None  # never in a list
    assert (date(2024, 5, 2), "A") in found and found[(date(2024, 5, 2), "A")]["purchases"] == 0
    flagged = rows(
        hand_made,
        "select transaction_id, event_date from analytics_ga4.int_ga4__commerce_events "
        f"where property_id = '{PROPERTY}' and is_repeated_purchase order by event_date",
    )
    assert [(r["transaction_id"], str(r["event_date"])) for r in flagged] == [
        ("T4", "2024-05-01"),
        ("T4", "2024-05-02"),
    ]


def test_list_positions_credit_the_carts_and_purchases_of_their_clicks(hand_made):
    found = hand_made_rows(hand_made, "ga4_item_list_performance", "item_list_index")
    assert [
        (
            r["item_list_name"],
            r["item_list_index"],
            r["impressions"],
            r["clicks"],
            r["ctr"],
            r["add_to_carts"],
            r["purchases"],
        )
        for r in found
    ] == [("Shelf", 1, 2, 0, 0.0, 0, 0), ("Shelf", 2, 2, 1, 0.5, 1, 1)]
    items = keyed(
        hand_made_rows(hand_made, "ga4_item_funnel_daily", "item_id"), ("activity_date", "item_id")
    )
    assert items[(date(2024, 5, 2), "B")]["list_ctr"] == pytest.approx(1 / 2)
    assert items[(date(2024, 5, 2), "A")]["list_ctr"] == 0


def test_abandoned_carts_their_value_and_recovery(hand_made):
    found = keyed(
        hand_made_rows(hand_made, "ga4_cart_abandonment_daily", "session_date"), ("session_date",)
    )
    day_3 = found[(date(2024, 5, 3),)]
    # S9 and S11 abandon (S12 buys); S9's cart is two of A (20), S11's its last checkout (B, 25)
    assert (day_3["sessions"], day_3["cart_sessions"], day_3["abandoned_sessions"]) == (3, 3, 2)
    assert day_3["abandoned_cart_value"] == Decimal(45)
    # S9's client buys two days later; S11's eight days later, beyond checkout_recovery_days
    assert (day_3["recovered_sessions"], day_3["recovery_rate"]) == (1, 0.5)
    assert day_3["abandonment_rate"] == pytest.approx(2 / 3)
    # day 1: S6 carts and leaves, bought by no one; day 5: a purchase, no cart
    assert (found[(date(2024, 5, 1),)]["abandoned_sessions"]) == 1
    day_5 = found[(date(2024, 5, 5),)]
    assert (day_5["cart_sessions"], day_5["abandonment_rate"]) == (0, None)
    assert day_5["shopify_abandoned_checkouts"] == 0 and day_5["shopify_recovery_rate"] is None


def test_the_python_recomputation_agrees_on_the_hand_made_sessions(hand_made):
    """The recomputation the sample is checked against meets the hand-worked figures."""
    events = [e for e in commerce_events(hand_made) if e["property_id"] == PROPERTY]
    funnel = session_funnel(events)[(PROPERTY, date(2024, 5, 1), "Direct", "desktop")]
    assert [funnel[f"{step}_sessions_closed"] for step in STEPS] == [5, 4, 2, 2, 2]
    carts = cart_abandonment(events)[(PROPERTY, date(2024, 5, 3), "Direct", "desktop")]
    assert (carts["abandoned_cart_value"], carts["recovered_sessions"]) == (Decimal(45), 1)


# --- re-delivery ------------------------------------------------------------------------------


def funnel_snapshot(client) -> dict[str, list]:
    return {
        model: sorted(client.query(f"select * from analytics_ga4.{model}").result_rows, key=repr)
        for model in FUNNELS
    }


def test_a_redelivered_day_and_a_resent_purchase_change_nothing(hand_made):
    client = hand_made
    before = funnel_snapshot(client)
    busiest = rows(
        client,
        "select event_date from raw_ga4_export.events where event_name = 'purchase' "
        f"and property_id != '{PROPERTY}' "
        "group by event_date order by count() desc, event_date limit 1",
    )[0]["event_date"]
    for export_type, loaded_at in (("daily", "2030-01-01"), ("intraday", "2030-01-02")):
        client.command(  # the day re-exported, then a late intraday file of it
            "insert into raw_ga4_export.events select * replace ("
            f"'{export_type}' as export_type, toDateTime64('{loaded_at}', 3) as _loaded_at) "
            f"from raw_ga4_export.events where event_date = '{busiest}'"
        )
    client.command(  # every purchase of that day sent again 30 s later, same transaction
        "insert into raw_ga4_export.events select * replace ("
        "event_timestamp + 30000000 as event_timestamp, "
        "toDateTime64('2030-01-03', 3) as _loaded_at) from raw_ga4_export.events "
        f"where event_date = '{busiest}' and event_name = 'purchase' "
        "and ecommerce.transaction_id is not null"
    )
    deliver(client, HAND_MADE, "parquet", "daily", at(25, 6))  # the hand-made rows again
    refresh(client)
    assert funnel_snapshot(client) == before
    resent = rows(
        client,
        "select count() as n from analytics_ga4.int_ga4__commerce_events "
        f"where is_repeated_purchase and event_date = toDate('{busiest}')",
    )
    assert resent[0]["n"] > 0  # the re-sent purchases are there, flagged
