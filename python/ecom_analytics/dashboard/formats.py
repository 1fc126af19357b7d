"""How the dashboard writes figures: money in its currency, rates as percentages, counts as
integers, changes as signed percentages; and the periods a headline figure is compared over.

Money is never added across currencies: a query that sums money groups by `currency`, and a
page shows one figure per currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# Currencies written with a symbol; any other is written with its ISO code ("CHF 1,234.00").
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩"}
NO_DECIMALS = {"JPY", "KRW"}


def missing(value: Any) -> bool:
    return value is None or value != value  # None or NaN


def money(value: Any, currency: str | None) -> str:
    """`$12,345.67`, `-€80.00`, `CHF 1,234.00`; a dash for none."""
    if missing(value):
        return "–"
    code = (currency or "").upper()
    digits = 0 if code in NO_DECIMALS else 2
    amount = f"{abs(float(value)):,.{digits}f}"
    sign = "-" if float(value) < 0 and float(amount.replace(",", "")) else ""
    if code in SYMBOLS:
        return f"{sign}{SYMBOLS[code]}{amount}"
    return f"{sign}{code} {amount}" if code else f"{sign}{amount}"


def percent(value: Any) -> str:
    """A rate (0.1234) as `12.3%`; `n/a` when it has no denominator."""
    return "n/a" if missing(value) else f"{float(value):.1%}"


def count(value: Any) -> str:
    return "–" if missing(value) else f"{round(float(value)):,}"


def change(current: Any, previous: Any) -> float | None:
    """The relative change from previous to current; None without a non-zero previous."""
    if missing(current) or missing(previous) or float(previous) == 0:
        return None
    return (float(current) - float(previous)) / abs(float(previous))


def signed_percent(value: float | None) -> str | None:
    return None if value is None else f"{value:+.1%}"


ACRONYMS = {"ctr": "CTR", "aov": "AOV", "ga4": "GA4"}


def words(column: str) -> str:
    """A column header in words: `net_sales` -> `Net sales`, `list_ctr` -> `List CTR`."""
    text = " ".join(ACRONYMS.get(word, word) for word in column.split("_"))
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Periods:
    """A chosen date range and what it is compared with: the previous range of the same length
    and the same range a year earlier. Today is partial, so a range reaching it is compared up
    to yesterday (`end` is then yesterday, `chosen_end` what was chosen)."""

    start: date
    end: date
    chosen_end: date

    @classmethod
    def of(cls, start: date, end: date, today: date) -> Periods:
        compared_end = min(end, today - timedelta(days=1))
        return cls(start, max(compared_end, start), end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> tuple[date, date]:
        return self.start - timedelta(days=self.days), self.start - timedelta(days=1)

    @property
    def year_earlier(self) -> tuple[date, date]:
        return _year_before(self.start), _year_before(self.end)

    @property
    def partial(self) -> bool:
        return self.chosen_end > self.end

    def parameters(self) -> dict[str, date]:
        (previous_start, previous_end), (year_start, year_end) = self.previous, self.year_earlier
        return {
            "current_start": self.start,
            "current_end": self.end,
            "previous_start": previous_start,
            "previous_end": previous_end,
            "year_start": year_start,
            "year_end": year_end,
        }

    def describe(self) -> str:
        start, end = self.previous
        text = (
            f"{_span(self.start, self.end)} against the previous {self.days} days "
            f"({_span(start, end)}) and a year earlier"
        )
        if self.partial:
            text += "; today is partial and left out of the comparison"
        return text


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _span(start: date, end: date) -> str:
    return f"{start:%Y-%m-%d}" if start == end else f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"


# Parameters that select no day: what comparisons bind when no range is chosen.
NO_PERIODS = {
    name: date(2149, 6, 6) if name.endswith("start") else date(1970, 1, 1)
    for name in Periods.of(date(2000, 1, 1), date(2000, 1, 1), date(2000, 1, 2)).parameters()
}
