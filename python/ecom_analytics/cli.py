"""Command line: `python -m ecom_analytics <command>` (also installed as `ecom`)."""

from __future__ import annotations

import argparse
import sys

import yaml


def _vars(text: str) -> dict:
    """Parse `--vars` the way dbt does (a YAML mapping)."""
    value = yaml.safe_load(text) or {}
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("--vars must be a YAML mapping, e.g. '{a: 1}'")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecom", description=__doc__)
    parser.add_argument(
        "--target", help="dbt target from profiles.yml (default: the profile's, or DBT_TARGET)"
    )
    parser.add_argument(
        "--vars", type=_vars, default={}, help="override dbt_project.yml vars, as with dbt"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    from ecom_analytics import bench, dashboard, provision, refresh, sample_data

    provision.add_arguments(
        commands.add_parser("provision", help="run provisioning_flow.sql on the target")
    )
    sample_data.add_arguments(
        commands.add_parser("sample", help="load Airbyte-shaped sample data into the raw tables")
    )
    refresh.add_arguments(
        commands.add_parser(
            "refresh", help="refresh the analytics layer's refreshable views now, and wait"
        )
    )
    bench.add_arguments(
        commands.add_parser(
            "bench", help="benchmark on a fresh private embedded folder; prints ratios"
        )
    )
    dashboard.add_arguments(
        commands.add_parser(
            "dashboard",
            help="serve the web dashboard over the analytics models (Streamlit), or --measure",
        )
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from ecom_analytics import bench, dashboard, provision, refresh, sample_data

    handlers = {
        "provision": provision.run,
        "sample": sample_data.run,
        "refresh": refresh.run,
        "bench": bench.run,
        "dashboard": dashboard.run,
    }
    try:
        return handlers[args.command](args) or 0
    except Exception as ex:  # a clear one-line error for known failures, traceback otherwise
        from dbt.adapters.exceptions import FailedToConnectError
        from dbt.exceptions import DbtProfileError

        if isinstance(ex, FailedToConnectError | DbtProfileError | refresh.RefreshError):
            print(f"error: {one_line(ex)}", file=sys.stderr)
            return 2
        raise


def one_line(error: Exception) -> str:
    """dbt's multi-line message on one line: `... are: local, cloud, cluster`."""
    text = str(getattr(error, "msg", None) or error)
    lines = [line.strip() for line in text.splitlines() if line.strip() != "Runtime Error"]
    items = [line.removeprefix("- ") for line in lines if line.startswith("- ")]
    head = " ".join(line for line in lines if line and not line.startswith("- "))
    return f"{head} {', '.join(items)}" if items else head
