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


@pytest.mark.parametrize(("value", "mode"), [("monday", 1), ("sunday", 0), ("Sunday", 0)])
def test_every_weekly_figure_starts_its_weeks_on_the_var_week_start(monkeypatch, value, mode):
    """toStartOfWeek's mode 1 starts weeks on Monday (ISO), 0 on Sunday: every weekly query
    groups by the var's week, and none picks a week start of its own."""
    from ecom_analytics.dashboard import data
    from ecom_analytics.dashboard.pages import ALL_PAGES

    monkeypatch.setattr(data, "project_vars", lambda: {"week_start": value})
    data.week_start.cache_clear()
    try:
        queries = {query.name: query for page in ALL_PAGES for query in page.load_queries}
        rendered = {name: query.render(data.Filters()) for name, query in queries.items()}
        assert f"toStartOfWeek(sales_date, {mode})" in rendered["weekly"]
        assert f"toStartOfWeek(engagement.engagement_date, {mode})" in rendered["trends"]
        for name, query in queries.items():
            assert "toMonday" not in query.sql and "toStartOfWeek" not in query.sql, name
    finally:
        data.week_start.cache_clear()


def test_a_week_start_other_than_monday_or_sunday_is_refused(monkeypatch):
    from ecom_analytics.dashboard import data

    monkeypatch.setattr(data, "project_vars", lambda: {"week_start": "tuesday"})
    data.week_start.cache_clear()
    try:
        with pytest.raises(ValueError, match="var week_start is 'tuesday': monday or sunday"):
            data.week_start()
    finally:
        data.week_start.cache_clear()
