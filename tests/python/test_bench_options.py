"""`ecom bench`'s options: the defaults the team measures with, and bad values refused before
anything runs (test_bench runs the bench itself, with fewer rounds)."""

from __future__ import annotations

import pytest
from ecom_analytics.bench.command import checked_chunks
from ecom_analytics.bench.runner import BenchError
from ecom_analytics.cli import build_parser

pytestmark = pytest.mark.no_engine


def test_defaults_time_twenty_query_rounds_three_opens_five_baseline_rounds():
    args = build_parser().parse_args(["bench"])
    assert (args.query_rounds, args.open_rounds, args.baseline_rounds) == (20, 3, 5)


@pytest.mark.parametrize("option", ["--query-rounds", "--open-rounds"])
def test_rounds_below_one_are_refused(option):
    args = build_parser().parse_args(["bench", option, "0"])
    with pytest.raises(BenchError, match=f"{option} must be at least 1; got: 0"):
        checked_chunks(args)
