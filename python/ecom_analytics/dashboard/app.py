"""The dashboard's Streamlit script: `make dashboard` (or `python -m ecom_analytics dashboard`).

Reads the target dbt uses (DBT_TARGET, else the profile's default). Every page load opens the
target once, runs that page's queries and closes (data.load_page); results are cached for
ECOM_DASHBOARD_CACHE_SECONDS (default 300) per page and filters, so the embedded folder is
free for `dbt build` between loads. The Today page is not cached: it reloads itself every
ECOM_DASHBOARD_REFRESH_SECONDS (default 60), without reloading the browser page, opening the
target for each reload only.
"""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import streamlit as st

from ecom_analytics.dashboard.data import (
    SOURCES,
    Filters,
    NotBuilt,
    PageData,
    default_range,
    load_page,
    page_filters,
)
from ecom_analytics.dashboard.overview import draw_overview
from ecom_analytics.dashboard.pages import (
    ALL_PAGES,
    OVERVIEW_PAGE,
    PAGES,
    SECTIONS,
    TODAY_PAGE,
    Page,
)

CACHE_SECONDS = int(os.environ.get("ECOM_DASHBOARD_CACHE_SECONDS", "300"))
REFRESH_SECONDS = int(os.environ.get("ECOM_DASHBOARD_REFRESH_SECONDS", "60"))
SOURCE_LABELS = {
    "shopify": "Shops",
    "klaviyo": "Klaviyo accounts",
    "ga4": "GA4 properties",
    "ga4_export": "GA4 export properties",
}
FILTER_KEYS = ("date_range", *SOURCES)


@st.cache_resource(show_spinner=False)
def _target():
    from ecom_analytics.target import load_target

    return load_target()


@st.cache_resource(show_spinner=False)
def _raw_databases() -> dict[str, list[str]]:
    from ecom_analytics.target import project_vars

    values = project_vars()
    return {source: list(values.get(f"{source}_raw_databases", [])) for source in SOURCES}


@st.cache_resource(show_spinner=False)
def _timezone() -> ZoneInfo:
    from ecom_analytics.target import project_vars

    return ZoneInfo(project_vars().get("reporting_timezone", "UTC"))


def _today() -> date:
    """Today in the reporting time zone: a range reaching it is partial."""
    return datetime.now(_timezone()).date()


def _default_range(last: date | None = None) -> tuple[date, date]:
    return default_range(_today(), last)


def _query_page(url_path: str, filters: Filters) -> PageData:
    page = next(page for page in ALL_PAGES if page.url_path == url_path)
    return load_page(_target(), page.load_queries, filters)


_load = st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=200)(_query_page)


def _filters(url_path: str) -> Filters:
    state = st.session_state
    sources = {source: tuple(state.get(source) or ()) for source in SOURCES}
    return page_filters(url_path, _today(), tuple(state.get("date_range") or ()), **sources)


def _draw_filters(data: PageData) -> None:
    bounds = data.frames["bounds"]
    first, last = bounds["first_day"].iloc[0], bounds["last_day"].iloc[0]
    with st.sidebar:
        st.subheader("Filters")
        if first is not None and first == first:  # not NaT: the sales ledger has days
            first, last = first.date(), last.date()
            chosen = tuple(st.session_state.get("date_range") or ()) or _default_range()
            if not all(first <= day <= max(last, _today()) for day in chosen):
                start, end = _default_range(last)  # the data moved: start over
                st.session_state["date_range"] = (max(start, first), end)
                st.rerun()
            st.date_input(
                "Date range",
                min_value=first,
                max_value=max(last, _today()),
                key="date_range",
                help="Headline figures compare it with the previous range of the same length "
                "and the same range a year earlier.",
                **({} if "date_range" in st.session_state else {"value": chosen}),
            )
        for source, databases in _raw_databases().items():
            st.multiselect(
                SOURCE_LABELS[source], databases, key=source, placeholder="all", default=None
            )


def _not_built(error: NotBuilt) -> None:
    st.warning(
        f"**No analytics data yet: run `make build` first.**\n\n"
        f"The dashboard reads {error.where}, which has no analytics models yet "
        f"(missing: {', '.join(f'`{m}`' for m in error.missing)}). "
        "`make build` provisions the raw tables, loads sample data and runs `dbt build`; "
        "on another target run `dbt build --target NAME`. Then reload this page.",
        icon=":material/construction:",
    )


def _busy(error: Exception) -> None:
    st.warning(
        f"**The database is busy.** {error}\n\n"
        "A `dbt build` (or another tool) has the embedded database open; the dashboard only "
        "opens it for a moment per page load. Try again when it is done.",
        icon=":material/hourglass_top:",
    )
    st.button("Try again", type="primary")


def _timing(
    data: PageData, started: float, run_started: float, kept: str = f"Cached for {CACHE_SECONDS} s."
) -> str:
    wall = time.perf_counter() - started
    cached = data.loaded_at < run_started
    return (
        f"Page data in {wall * 1000:.0f} ms ({'cached' if cached else 'read now'}); "
        f"read from the database {time.time() - data.loaded_at:.0f} s ago in "
        f"{data.seconds:.2f} s (open {data.open_seconds:.2f} s, "
        f"queries {data.query_seconds:.2f} s, close {data.close_seconds:.2f} s). {kept}"
    )


def _where() -> str:
    from ecom_analytics.dashboard.data import describe

    return describe(_target())


def _loaded(page: Page, cached: bool = True) -> PageData | None:
    """The page's data, or None after saying why there is none (not built, busy)."""
    from dbt.adapters.chdb.client import EmbeddedPathInUse

    try:
        return (_load if cached else _query_page)(page.url_path, _filters(page.url_path))
    except NotBuilt as error:
        _not_built(error)
    except EmbeddedPathInUse as error:
        _busy(error)
    return None


def _keep_filters() -> None:
    """Keep filter values when moving between pages (Streamlit forgets unrendered widgets)."""
    for key in FILTER_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _render(page: Page) -> None:
    run_started = time.time()
    _keep_filters()
    st.title(page.title)
    started = time.perf_counter()
    data = _loaded(page)
    if data is None:
        return
    _draw_filters(data)
    page.draw(data)
    st.divider()
    st.caption(_timing(data, started, run_started))


def _today_page() -> None:
    _keep_filters()
    st.title(TODAY_PAGE.title)
    st.caption(f"Redrawn every {REFRESH_SECONDS} s without reloading the page.")

    @st.fragment(run_every=REFRESH_SECONDS)
    def live() -> None:
        run_started, started = time.time(), time.perf_counter()
        data = _loaded(TODAY_PAGE, cached=False)
        if data is not None:
            TODAY_PAGE.draw(data)
            st.divider()
            st.caption(
                f"Updated {datetime.now(_timezone()):%H:%M:%S} · "
                + _timing(data, started, run_started, "Not cached: read at every redraw.")
            )

    live()


def _page_function(page: Page):
    def render() -> None:
        _render(page)

    render.__name__ = f"page_{page.url_path.replace('-', '_')}"  # Streamlit keys pages by name
    return render


def _overview() -> None:
    run_started = time.time()
    _keep_filters()
    st.title("E-commerce analytics")
    st.caption(f"Reading {_where()} (dbt target `{_target().name}`).")
    started = time.perf_counter()
    data = _loaded(OVERVIEW_PAGE)
    if data is None:
        return
    links = {_PAGE_OBJECTS[page.url_path]: page.summary for page in (TODAY_PAGE, *PAGES)}
    draw_overview(data, links)
    st.divider()
    st.caption(_timing(data, started, run_started))


def main() -> None:
    st.set_page_config(page_title="E-commerce analytics", page_icon="📈", layout="wide")
    pages = {
        page.url_path: st.Page(
            _page_function(page), title=page.title, icon=page.icon, url_path=page.url_path
        )
        for page in PAGES
    }
    pages[TODAY_PAGE.url_path] = st.Page(
        _today_page, title=TODAY_PAGE.title, icon=TODAY_PAGE.icon, url_path=TODAY_PAGE.url_path
    )
    _PAGE_OBJECTS.update(pages)
    overview = st.Page(_overview, title="Overview", icon=":material/home:", default=True)
    sections = {
        section: [pages[url_path] for url_path in url_paths]
        for section, url_paths in SECTIONS.items()
    }
    sections[""] = [overview, *sections[""]]
    st.navigation(sections).run()


_PAGE_OBJECTS: dict = {}
main()
