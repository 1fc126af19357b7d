"""The dashboard in a real browser: every page shows its charts with data, on the built sample;
headline comparisons equal figures computed here from the analytics models; the Today page
shows a raw insert without a reload; a CSV download holds the chart's rows.

One module-wide build (provision, a small sample, `dbt build`), then `streamlit run` as a
subprocess on that folder, driven by headless Chromium (Debian's) through Playwright.
Screenshots and the page-load figures the pages report land in `artifacts/dashboard/`.
"""

from __future__ import annotations

import csv
import json
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from ecom_analytics.dashboard import streamlit_command
from ecom_analytics.dashboard.pages import PAGES
from helpers import PROJECT_DIR, Project, chromium_binary, one

ARTIFACTS_DIR = PROJECT_DIR / "artifacts" / "dashboard"
# Charts each page draws on the sample data (tables are checked through their captions).
EXPECTED_CHARTS = {
    "sales": 4,
    "marketing": 3,
    "acquisition": 1,
    "funnel": 6,
    "products": 1,
    "customers": 3,
    "data-health": 2,
}
CAPTION = re.compile(r"from (\S+) · (\d+) rows")
TIMING = re.compile(
    r"Page data in (\d+) ms \((cached|read now)\).*?in ([\d.]+) s \(open ([\d.]+) s"
)
LOAD_TIMEOUT_MS = 90_000
REFRESH_SECONDS = 5  # the Today page's, in this module's dashboard


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
    env = {
        **project.env,
        "ECOM_CHDB_PATH": str(chdb_path),
        "ECOM_DASHBOARD_REFRESH_SECONDS": str(REFRESH_SECONDS),
    }
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
    # each page load opens the folder: held, they share one engine (no browser loads meanwhile)
    with sample_db.held():
        everything = load_page(target, sales.load_queries, Filters()).frames["daily"]
        start = everything["sales_date"].min().date() + timedelta(days=30)
        end = start + timedelta(days=30)
        narrowed = Filters(start, end, ("raw_shopify",), ("raw_klaviyo",), ("raw_ga4",))
        for spec in PAGES:
            assert load_page(target, spec.load_queries, narrowed).frames, spec.title
        daily = load_page(target, sales.load_queries, narrowed).frames["daily"]
        elsewhere = Filters(shopify=("raw_shopify_nowhere",))
        nowhere = load_page(target, sales.load_queries, elsewhere).frames["daily"]
    current, previous = (daily[daily["period"] == period] for period in ("current", "previous"))
    assert current["sales_date"].between(str(start), str(end)).all() and len(current) > 0
    in_range = everything[everything["sales_date"].between(str(start), str(end))]
    assert current["net_sales"].sum() == pytest.approx(in_range["net_sales"].sum())
    # the previous range of the same length, each day drawn on the day it is compared with
    days = (end - start).days + 1
    before = (str(start - timedelta(days=days)), str(start - timedelta(days=1)))
    assert previous["sales_date"].between(*before).all() and len(previous) > 0
    assert ((previous["chart_date"] - previous["sales_date"]).dt.days == days).all()
    assert len(daily) == len(current) + len(previous)
    assert nowhere.empty


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


def _figures(text: str, previous: str) -> dict[str, tuple[float, float]]:
    """{label: (value, previous value)} of the headline figures in a page's text: a label line,
    the value on the next, then a caption line starting with `previous`."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found = {}
    for index, line in enumerate(lines[:-1]):
        value = _number(lines[index + 1])
        after = next((x for x in lines[index + 2 : index + 5] if x.startswith(previous)), None)
        if value is not None and after:
            before = _number(after.removeprefix(f"{previous}: ").split(" · ")[0])
            found.setdefault(line, (value, before))
    return found


def _figures_drawn(page, url: str, previous: str, *labels: str) -> dict:
    """The headline figures of a page once drawn (the text can come before the figures)."""
    _open(page, url)
    deadline = time.monotonic() + 30
    while not set(labels) <= set(
        found := _figures(page.inner_text("[data-testid='stMain']"), previous)
    ):
        assert time.monotonic() < deadline, found
        time.sleep(0.3)
    return found


def _number(text: str) -> float | None:
    """`$1,234.56` -> 1234.56, `12.3%` -> 0.123, `n/a` or `–` -> nan; None if not a figure."""
    text = text.strip()
    if text in {"n/a", "–"}:
        return float("nan")
    match = re.fullmatch(r"(-?)\$?([\d,]+(?:\.\d+)?)(%?)", text)
    if not match:
        return None
    value = float(match.group(2).replace(",", "")) * (-1 if match.group(1) else 1)
    return value / 100 if match.group(3) else value


def _default_periods() -> dict[str, tuple[str, str]]:
    """The range a session starts with (30 days up to yesterday, UTC) and the one before."""
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    start = yesterday - timedelta(days=29)
    return {
        "current": (str(start), str(yesterday)),
        "previous": (str(start - timedelta(days=30)), str(start - timedelta(days=1))),
    }


def test_sales_and_marketing_compare_with_the_previous_range(dashboard, sample_db, page):
    previous = "Previous 30 days"
    shown = _figures_drawn(page, f"{dashboard}/sales", previous, "Net sales", "Returns")
    shown |= _figures_drawn(page, f"{dashboard}/marketing", previous, "Campaign recipients")
    expected: dict[str, list] = {}
    with sample_db.client() as client:
        for start, end in _default_periods().values():
            days = f"between '{start}' and '{end}'"
            shop = one(
                client,
                "select sum(net_sales) as net, sum(orders) as orders, sum(returns) as returns, "
                "sum(gross_sales - discounts) as sold, sum(new_customer_net_sales) as new "
                f"from analytics_shopify.shopify_daily_sales where sales_date {days}",
            )
            sent = one(
                client,
                "select sum(recipients) as recipients, sumIf(unique_opens, channel = 'email') "
                "as opens, sumIf(delivered, channel = 'email') as delivered "
                "from analytics_klaviyo.klaviyo_campaign_performance "
                f"where toDate(send_time) {days}",
            )
            revenue = one(
                client,
                "select sum(attributed_revenue) as revenue "
                "from analytics_cross_source.marketing_attribution "
                f"where attribution_method = 'klaviyo' and attribution_date {days}",
            )["revenue"]
            figures = {
                "Net sales": shop["net"],
                "Orders": shop["orders"],
                "Average order value": shop["sold"] / shop["orders"],
                "Returns": shop["returns"],
                "New customer net sales": shop["new"],
                "Campaign recipients": sent["recipients"],
                "Email open rate": sent["opens"] / sent["delivered"],
                "Attributed revenue (Klaviyo)": revenue,
            }
            for label, value in figures.items():
                expected.setdefault(label, []).append(float(value))
    assert shop["orders"] > 0 and sent["delivered"] > 0 and revenue > 0  # both periods matter
    assert set(expected) <= set(shown), shown
    for label, values in expected.items():
        digits = 0.00051 if "rate" in label else 0.0051  # as rounded on the page
        assert shown[label] == pytest.approx(tuple(values), abs=digits, nan_ok=True), label


def test_funnel_compares_with_the_previous_range_beside_ga4_coverage(dashboard, sample_db, page):
    previous = "Previous 30 days"
    labels = ("Sessions", "Conversion rate (GA4)", "GA4 purchase coverage", "Shopify web orders")
    shown = _figures_drawn(page, f"{dashboard}/funnel", previous, *labels)
    text = page.inner_text("[data-testid='stMain']")
    expected: dict[str, list] = {}
    with sample_db.client() as client:
        for start, end in _default_periods().values():
            days = f"between '{start}' and '{end}'"
            funnel = one(
                client,
                "select sum(sessions) as sessions, sum(purchase_sessions_closed) as purchased "
                f"from analytics_ga4.ga4_session_funnel_daily where session_date {days}",
            )
            carts = one(
                client,
                "select sum(abandoned_sessions) as abandoned, sum(cart_sessions) as carts "
                f"from analytics_ga4.ga4_cart_abandonment_daily where session_date {days}",
            )
            coverage = one(
                client,
                "select sum(shopify_web_orders) as orders, sum(matched_orders) as matched "
                "from analytics_cross_source.ga4_purchase_coverage "
                f"where coverage_date {days}",
            )
            figures = {
                "Sessions": funnel["sessions"],
                "Conversion rate (GA4)": funnel["purchased"] / funnel["sessions"],
                "Cart abandonment rate (GA4)": carts["abandoned"] / carts["carts"],
                "GA4 purchase coverage": coverage["matched"] / coverage["orders"],
                "Shopify web orders": coverage["orders"],
            }
            for label, value in figures.items():
                expected.setdefault(label, []).append(float(value))
        items = one(
            client,
            "select uniqExact(item_id) as items from analytics_ga4.ga4_item_funnel_daily "
            "where activity_date between '{}' and '{}'".format(*_default_periods()["current"]),
        )["items"]
    # both periods hold sessions, purchases and web orders GA4 saw
    assert min(expected["Sessions"]) > 0 and min(expected["GA4 purchase coverage"]) > 0
    assert min(expected["Conversion rate (GA4)"]) > 0
    assert set(expected) <= set(shown), shown
    for label, values in expected.items():
        digits = 0.00051 if "rate" in label or "coverage" in label else 0.0051
        assert shown[label] == pytest.approx(tuple(values), abs=digits), label
    seen = re.search(r"GA4 saw ([\d.]+)% of Shopify's web orders \(([\d,]+) of ([\d,]+)\)", text)
    assert seen, text
    orders, matched = expected["Shopify web orders"][0], expected["GA4 purchase coverage"][0]
    assert float(seen.group(1)) / 100 == pytest.approx(matched, abs=0.00051)
    assert int(seen.group(3).replace(",", "")) == orders
    assert f"ga4_item_funnel_daily · {items} rows" in text.replace("`", "") and items > 0


def test_acquisition_sessions_compare_with_the_previous_range(dashboard, sample_db, page):
    """The headline sessions, from GA4's export on the sample, equal the model's sums."""
    shown = _figures_drawn(page, f"{dashboard}/acquisition", "Previous 30 days", "Sessions")
    text = page.inner_text("[data-testid='stMain']")
    with sample_db.client() as client:
        expected = tuple(
            float(
                one(
                    client,
                    "select sum(sessions) as sessions from analytics_ga4.ga4_daily_sessions "
                    f"where session_date between '{start}' and '{end}'",
                )["sessions"]
            )
            for start, end in _default_periods().values()
        )
    assert min(expected) > 0 and "GA4 figures from the BigQuery export" in text, text
    assert shown["Sessions"] == pytest.approx(expected, abs=0.0051)
    assert "GA4 saw" in text and "of Shopify's web orders" in text, text


def test_products_show_what_sells_with_the_chosen_product(dashboard, sample_db, page):
    text = _open(page, f"{dashboard}/products")
    with sample_db.client() as client:
        first = one(
            client,
            "select product_id, any(product_title) as title, max(product_orders) as orders, "
            "count() as pairs from analytics_cross_source.product_affinity "
            "group by product_id order by orders desc, product_id limit 1",
        )
    assert first["pairs"] > 0
    chosen = page.get_by_role("combobox", name="Product").input_value()
    assert chosen == f"{first['title']} · {first['orders']:,} orders"  # the most ordered first
    assert f"product_affinity · {first['pairs']} rows" in text.replace("`", ""), text


def test_a_brand_without_the_ga4_export_sees_a_note(sample_db, monkeypatch):
    """Properties without the export (here: a database that holds none) get a note saying what
    the page needs, not an error and not empty charts."""
    from ecom_analytics.dashboard.data import Filters, load_page
    from ecom_analytics.target import load_target
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ECOM_CHDB_PATH", str(sample_db.chdb_path))
    funnel = next(spec for spec in PAGES if spec.url_path == "funnel")
    nowhere = Filters(ga4_export=("raw_ga4_export_nowhere",), shopify=("raw_shopify_nowhere",))
    data = load_page(load_target("local"), funnel.load_queries, nowhere)

    def script(data) -> None:
        from ecom_analytics.dashboard.funnel import draw_funnel

        draw_funnel(data)

    app = AppTest.from_function(script, args=(data,)).run()
    assert not app.exception, app.exception
    assert [info.value for info in app.info if "No GA4 BigQuery export" in info.value], app.info
    assert not app.metric and not app.download_button  # no figures, charts or tables


def _insert_live_order(project: Project) -> None:
    """A new raw order placed now (a copy of the newest one), once the dashboard's redraw
    leaves the folder free."""
    from dbt.adapters.chdb.client import EmbeddedPathInUse

    for _ in range(100):
        try:
            with project.client() as client:
                newest = client.query(
                    "select * from raw_shopify.orders where not coalesce(test, false) "
                    "order by updated_at desc limit 1"
                )
                columns = newest.column_names
                order = dict(zip(columns, newest.result_rows[0], strict=True))
                now = datetime.now(UTC)
                order |= {"id": order["id"] + 10**9, "name": "#LIVE-1", "_airbyte_raw_id": "live"}
                moments = ("created_at", "processed_at", "updated_at", "_airbyte_extracted_at")
                order |= dict.fromkeys(moments, now)
                client.insert("raw_shopify.orders", [list(order.values())], column_names=columns)
                return
        except EmbeddedPathInUse:
            time.sleep(0.3)
    raise AssertionError("the dashboard never left the folder free")


def test_a_raw_order_shows_on_today_without_a_reload(dashboard, sample_db, page):
    before = _figures_drawn(page, f"{dashboard}/today", "A day earlier", "Orders")["Orders"][0]
    page.evaluate("window.stillTheSamePage = true")
    _insert_live_order(sample_db)
    inserted = time.monotonic()
    deadline = inserted + REFRESH_SECONDS + 30  # one refresh, and the redraw's own load
    while (after := _figures(page.inner_text("[data-testid='stMain']"), "A day earlier")).get(
        "Orders", (before,)
    )[0] != before + 1:
        assert time.monotonic() < deadline, (before, after)
        time.sleep(0.5)
    print(f"the order showed {time.monotonic() - inserted:.1f} s after its insert")
    assert page.evaluate("window.stillTheSamePage") is True  # redrawn, not reloaded
    # orders and net sales by hour, and the Klaviyo or GA4 figure picked, drawn with rows
    charts = page.locator("[data-testid='stVegaLiteChart']")
    charts.nth(2).locator("svg, canvas").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    assert charts.count() == 3
    deadline = time.monotonic() + 30
    while "Not cached" not in (text := page.inner_text("[data-testid='stMain']")):
        assert time.monotonic() < deadline, text  # a redraw writes its timing line last
        time.sleep(0.3)
    _assert_no_error(page, text)
    assert all(int(rows) > 0 for _, rows in CAPTION.findall(text.replace("`", ""))), text
    assert "(read now)" in text, text
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "today.png"), full_page=True)


def test_overview_opens_with_health_first(dashboard: str, page):
    text = _open(page, dashboard)
    deadline = time.monotonic() + 30
    while not re.search(r"Net sales\s+-?\$[\d,]+\.\d\d\s", text):  # figures can come last
        assert time.monotonic() < deadline, text
        time.sleep(0.3)
        text = page.inner_text("[data-testid='stMain']")
    _assert_no_error(page, text)
    assert text.index("Data health") < text.index("Yesterday"), text
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "overview.png"), full_page=True)


def _daily_model_sums(project: Project, sql: str) -> dict[str, dict[str, float]]:
    """{period: {day: value}} of `sql` (a `{start}`/`{end}` day filter, rows (day, value)) over
    the default range and the previous one."""
    with project.client() as client:
        return {
            period: {
                str(day): float(value)
                for day, value in client.query(sql.format(start=start, end=end)).result_rows
            }
            for period, (start, end) in _default_periods().items()
        }


DAILY_NET_SALES = (
    "select sales_date, sum(net_sales) from analytics_shopify.shopify_daily_sales "
    "where sales_date between '{start}' and '{end}' group by sales_date"
)
DAILY_ATTRIBUTED_REVENUE = (
    "select attribution_date, sum(attributed_revenue) "
    "from analytics_cross_source.marketing_attribution where attribution_method = 'klaviyo' "
    "and attribution_date between '{start}' and '{end}' group by attribution_date"
)
PREVIOUS_POINT = re.compile(
    r"range: Previous 30 days; day: (\w{3} \d\d, \d{4}); [^:;]+: (-?[\d,]+\.\d\d)$"
)


def test_charts_over_time_overlay_the_previous_range(dashboard, sample_db, page):
    """The Sales and Marketing charts by day draw the previous 30 days dashed under the range,
    named in the legend; its points (read from their labels) are the model's previous days."""
    for url, title, sql in (
        ("sales", "Net sales and orders by day", DAILY_NET_SALES),
        ("marketing", "Attributed revenue (Klaviyo) by day", DAILY_ATTRIBUTED_REVENUE),
    ):
        text = _open(page, f"{dashboard}/{url}")
        assert f"{title}, against the previous range" in text, text
        drawn = page.locator("[data-testid='stVegaLiteChart']").filter(
            has=page.locator("[aria-roledescription='point'][aria-label*='range: Previous']")
        )
        drawn.first.wait_for(timeout=LOAD_TIMEOUT_MS)
        assert drawn.count() == 1, url
        chart = drawn.first
        legend = chart.locator("[aria-roledescription='legend']").all_text_contents()
        assert any("Previous 30 days" in text for text in legend), legend
        assert chart.locator("path[stroke-dasharray='5,4']").count() >= 2  # the line and its key
        labels = chart.locator("[aria-roledescription='point']").evaluate_all(
            "points => points.map(point => point.getAttribute('aria-label'))"
        )
        shown = {
            str(datetime.strptime(day, "%b %d, %Y").date()): float(value.replace(",", ""))
            for day, value in (
                PREVIOUS_POINT.search(label).groups()
                for label in labels
                if "range: Previous" in label
            )
        }
        expected = _daily_model_sums(sample_db, sql)["previous"]
        assert len(expected) > 20 and shown == pytest.approx(expected, abs=0.0051), url


def test_a_csv_download_holds_the_chart_rows(dashboard: str, sample_db: Project, page):
    """The daily chart's CSV: the range's days and the previous range's it draws under them."""
    text = _open(page, f"{dashboard}/sales")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").first.click()
    with open(download.value.path(), newline="") as file:
        rows = list(csv.DictReader(file))
    found: dict[str, dict[str, float]] = {}
    for row in rows:
        found.setdefault(row["period"], {})[row["sales_date"][:10]] = float(row["net_sales"])
    expected = _daily_model_sums(sample_db, DAILY_NET_SALES)
    assert set(found) == set(expected) and all(len(days) > 20 for days in expected.values())
    for period, days in expected.items():
        assert found[period] == pytest.approx(days), period
    assert f"shopify_daily_sales · {len(rows)} rows" in text.replace("`", "")


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
