"""The dashboard in a real browser: every page shows its charts with data, on the built sample.

One module-wide build (provision, a small sample, `dbt build`), then `streamlit run` as a
subprocess on that folder, driven by headless Chromium (Debian's) through Playwright.
Screenshots and the page-load figures the pages report land in `artifacts/dashboard/`.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from ecom_analytics.dashboard import streamlit_command
from ecom_analytics.dashboard.pages import PAGES
from helpers import PROJECT_DIR, Project, chromium_binary

ARTIFACTS_DIR = PROJECT_DIR / "artifacts" / "dashboard"
# Charts each page draws on the sample data (tables are checked through their captions).
EXPECTED_CHARTS = {"sales": 4, "marketing": 2, "products": 1, "customers": 3, "data-health": 2}
CAPTION = re.compile(r"from (\S+) · (\d+) rows")
TIMING = re.compile(
    r"Page data in (\d+) ms \((cached|read now)\).*?in ([\d.]+) s \(open ([\d.]+) s"
)
LOAD_TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def sample_db(standard: Project) -> Project:
    return standard


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(project: Project, chdb_path: Path, log: Path) -> Iterator[str]:
    """`streamlit run` of the dashboard on `chdb_path` until the block ends (then killed)."""
    port = _free_port()
    env = {**project.env, "ECOM_CHDB_PATH": str(chdb_path)}
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(
            streamlit_command(port, "127.0.0.1"),
            cwd=PROJECT_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"streamlit exited:\n{log.read_text()}"
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"streamlit did not start:\n{log.read_text()}"
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser():
    chromium = chromium_binary()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    yield context.new_page()
    context.close()


def _open(page, url: str) -> str:
    """Load a dashboard page and wait until its script finished; its visible text."""
    page.goto(url)
    page.get_by_text(
        re.compile(r"Page data in|run `?make build`? first|database is busy")
    ).first.wait_for(timeout=LOAD_TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=LOAD_TIMEOUT_MS
    )
    return page.inner_text("[data-testid='stMain']")


def _assert_no_error(page, text: str) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, text
    assert "Traceback" not in text and not re.search(r"\w(Error|Exception)\b", text), text


@pytest.fixture(scope="module")
def dashboard(sample_db: Project) -> Iterator[str]:
    with serve(sample_db, sample_db.chdb_path, ARTIFACTS_DIR / "streamlit.log") as url:
        yield url


def test_every_page_shows_its_charts_with_data(dashboard: str, page):
    loads = {}
    for spec in PAGES:
        text = _open(page, f"{dashboard}/{spec.url_path}")
        _assert_no_error(page, text)
        charts = page.locator("[data-testid='stVegaLiteChart']")
        charts.nth(EXPECTED_CHARTS[spec.url_path] - 1).locator("canvas, svg").first.wait_for(
            timeout=LOAD_TIMEOUT_MS
        )
        assert charts.count() == EXPECTED_CHARTS[spec.url_path], spec.title
        for index in range(charts.count()):
            drawn = charts.nth(index).locator("canvas, svg").first
            box = drawn.bounding_box()
            assert box and box["width"] > 50 and box["height"] > 50, f"{spec.title} chart {index}"
        captions = CAPTION.findall(text.replace("`", ""))
        assert captions, f"{spec.title} names no model"
        assert all(int(rows) > 0 for _, rows in captions), (spec.title, captions)
        assert {model for model, _ in captions} <= set(spec.models)
        assert "No rows in" not in text, text
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS_DIR / f"{spec.url_path}.png"), full_page=True)
        uncached = TIMING.search(text)
        assert uncached and uncached.group(2) == "read now", text
        cached = TIMING.search(_open(page, f"{dashboard}/{spec.url_path}"))
        assert cached and cached.group(2) == "cached"
        loads[spec.url_path] = {
            "uncached_page_data_ms": int(uncached.group(1)),
            "uncached_open_seconds": float(uncached.group(4)),
            "cached_page_data_ms": int(cached.group(1)),
        }
    (ARTIFACTS_DIR / "page_loads.json").write_text(json.dumps(loads, indent=2))
    print(json.dumps(loads, indent=2))


def test_filters_narrow_every_query(sample_db: Project, monkeypatch):
    """Every page's queries run with a date range and source selection, and honour them."""
    from datetime import timedelta

    from ecom_analytics.dashboard.data import Filters, load_page
    from ecom_analytics.target import load_target

    monkeypatch.setenv("ECOM_CHDB_PATH", str(sample_db.chdb_path))
    target = load_target("local")
    sales = next(spec for spec in PAGES if spec.url_path == "sales")
    everything = load_page(target, sales.load_queries, Filters()).frames["daily"]
    start = everything["sales_date"].min().date() + timedelta(days=30)
    end = start + timedelta(days=30)
    narrowed = Filters(start, end, ("raw_shopify",), ("raw_klaviyo",), ("raw_ga4",))
    for spec in PAGES:
        assert load_page(target, spec.load_queries, narrowed).frames, spec.title
    daily = load_page(target, sales.load_queries, narrowed).frames["daily"]
    assert daily["sales_date"].between(str(start), str(end)).all() and len(daily) > 0
    in_range = everything[everything["sales_date"].between(str(start), str(end))]
    assert daily["net_sales"].sum() == pytest.approx(in_range["net_sales"].sum())
    elsewhere = Filters(shopify=("raw_shopify_nowhere",))
    assert load_page(target, sales.load_queries, elsewhere).frames["daily"].empty


def test_dashboard_leaves_the_folder_to_dbt(dashboard: str, sample_db: Project, page):
    """Between page loads the dashboard holds no connection: dbt opens the folder."""
    _open(page, f"{dashboard}/data-health")
    sample_db.dbt("run", "--select", "data_quality_summary")


def test_a_busy_folder_says_so_and_recovers(sample_db: Project, page, tmp_path: Path):
    with serve(sample_db, sample_db.chdb_path, ARTIFACTS_DIR / "streamlit-busy.log") as url:
        with sample_db.client() as client:  # another process would hold it the same way
            client.query("select 1")
            text = _open(page, f"{url}/customers")
        assert "The database is busy" in text and "in use by another process" in text, text
        _assert_no_error(page, text)
        page.get_by_role("button", name="Try again").click()
        page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=LOAD_TIMEOUT_MS)


def test_an_empty_database_asks_for_make_build(sample_db: Project, page, tmp_path: Path):
    empty = tmp_path / "never-built"
    with serve(sample_db, empty, ARTIFACTS_DIR / "streamlit-empty.log") as url:
        text = _open(page, f"{url}/sales")
        assert "run make build first" in text.replace("`", ""), text
        _assert_no_error(page, text)
        page.screenshot(path=str(ARTIFACTS_DIR / "not-built.png"))
    assert not empty.exists(), "the dashboard created the database folder"


@pytest.mark.no_engine
def test_each_page_has_an_exposure_listing_the_models_it_reads():
    import yaml

    exposures = {
        exposure["url"].rsplit("/", 1)[-1]: exposure
        for exposure in yaml.safe_load(
            (PROJECT_DIR / "analytics_datasets" / "_dashboard__exposures.yml").read_text()
        )["exposures"]
    }
    assert set(exposures) == {spec.url_path for spec in PAGES}
    for spec in PAGES:
        exposure = exposures[spec.url_path]
        assert exposure["type"] == "dashboard" and exposure["owner"]["email"]
        read = {model.split(".")[1] for model in spec.models}
        assert {ref[5:-2] for ref in exposure["depends_on"]} == read, spec.title
