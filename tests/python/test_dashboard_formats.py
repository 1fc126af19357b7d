"""How the dashboard writes figures and picks the periods it compares, without an engine."""

from __future__ import annotations

from datetime import date

import pytest
from ecom_analytics.dashboard.formats import Periods, change, count, money, percent, words

pytestmark = pytest.mark.no_engine


def test_money_reads_in_its_currency_with_thousands_separators():
    assert money(1234567.891, "USD") == "$1,234,567.89"
    assert money(-80, "EUR") == "-€80.00"
    assert money(1234.5, "CHF") == "CHF 1,234.50"
    assert money(1234.5, "JPY") == "¥1,234"  # no minor unit
    assert money(-96.71, None) == "-96.71"  # currency unknown: the amount alone
    assert money(-0.001, "USD") == "$0.00"  # no negative zero
    assert money(None, "USD") == money(float("nan"), "USD") == "–"


def test_rates_are_percentages_counts_integers():
    assert percent(0.1234) == "12.3%"
    assert percent(None) == percent(float("nan")) == "n/a"  # no denominator, e.g. SMS opens
    assert count(1234.0) == "1,234"
    assert change(110, 100) == pytest.approx(0.1)
    assert change(-50, -100) == pytest.approx(0.5)  # from -100 up to -50 is a rise
    assert change(5, 0) is None and change(5, None) is None


def test_a_range_is_compared_with_the_same_length_before_and_a_year_earlier():
    periods = Periods.of(date(2026, 3, 1), date(2026, 3, 31), today=date(2026, 6, 1))
    assert (periods.days, periods.partial) == (31, False)
    assert periods.previous == (date(2026, 1, 29), date(2026, 2, 28))
    assert periods.year_earlier == (date(2025, 3, 1), date(2025, 3, 31))
    leap = Periods.of(date(2028, 2, 29), date(2028, 2, 29), today=date(2028, 3, 2))
    assert leap.year_earlier == (date(2027, 2, 28), date(2027, 2, 28))


def test_today_is_left_out_of_comparisons():
    periods = Periods.of(date(2026, 3, 1), date(2026, 3, 10), today=date(2026, 3, 10))
    assert (periods.end, periods.days, periods.partial) == (date(2026, 3, 9), 9, True)
    assert periods.previous == (date(2026, 2, 20), date(2026, 2, 28))
    assert "today is partial" in periods.describe()


def test_headers_are_words():
    assert words("net_sales") == "Net sales"
    assert words("list_ctr") == "List CTR"  # an acronym stays one
