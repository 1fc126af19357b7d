"""The web dashboard over the analytics models (Streamlit): `python -m ecom_analytics dashboard`.

`app.py` is the Streamlit script and its navigation, `pages.py` the pages (what each draws;
`overview.py`, `today.py` and `sales.py` the larger ones), `queries.py` their SQL (analytics
models only; the Today page also reads curated tables), `charts.py` the chart, table and
headline-figure blocks they are built of, `formats.py` how money, rates, counts and
comparison periods are written, `data.py` how a page load reads the target (one open per
load). This module starts it, or with `--measure` prints what page loads cost on the
selected target.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from ecom_analytics import PROJECT_DIR

APP = Path(__file__).with_name("app.py")


def streamlit_command(port: int, address: str = "localhost") -> list[str]:
    """`streamlit run` of the dashboard: headless, no usage statistics, no file watcher."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        f"--server.port={port}",
        f"--server.address={address}",
        "--server.headless=true",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=viewer",
    ]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8501, help="port to serve on (8501)")
    parser.add_argument("--address", default="localhost", help="address to listen on (localhost)")
    parser.add_argument(
        "--measure",
        action="store_true",
        help="do not serve: print what loading each page costs on the target (cold open, "
        "uncached page loads), then exit",
    )


def run(args: argparse.Namespace) -> int:
    if args.measure:
        from ecom_analytics.dashboard.measure import measure

        return measure(args.target)
    env = dict(os.environ)
    if args.target:
        env["DBT_TARGET"] = args.target
    print(f"Dashboard on http://{args.address}:{args.port}/ (Ctrl-C stops it)", flush=True)
    try:
        return subprocess.call(streamlit_command(args.port, args.address), cwd=PROJECT_DIR, env=env)
    except KeyboardInterrupt:
        return 0
