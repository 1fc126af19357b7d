"""The dashboard's Streamlit script: `make dashboard` (or `python -m ecom_analytics dashboard`).

Reads the target dbt uses (DBT_TARGET, else the profile's default). Every page load opens the
target once, runs that page's queries and closes (data.load_page); results are cached for
ECOM_DASHBOARD_CACHE_SECONDS (default 300) per page and filters, so the embedded folder is
free for `dbt build` between loads.
"""

from __future__ import annotations

import os
import time

import streamlit as st

from ecom_analytics.dashboard.data import SOURCES, Filters, NotBuilt, PageData, load_page
from ecom_analytics.dashboard.pages import PAGES, Page

CACHE_SECONDS = int(os.environ.get("ECOM_DASHBOARD_CACHE_SECONDS", "300"))
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


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=200)
def _load(url_path: str, filters: Filters) -> PageData:
    page = next(page for page in PAGES if page.url_path == url_path)
    return load_page(_target(), page.load_queries, filters)


def _filters() -> Filters:
    state = st.session_state
    dates = state.get("date_range") or ()
    start, end = (tuple(dates) + (None, None))[:2] if len(dates) == 2 else (None, None)
    return Filters(start, end, **{source: tuple(state.get(source) or ()) for source in SOURCES})


def _draw_filters(data: PageData) -> None:
    bounds = data.frames["bounds"]
    first, last = bounds["first_day"].iloc[0], bounds["last_day"].iloc[0]
    with st.sidebar:
        st.subheader("Filters")
        if first is not None and first == first:  # not NaT: the sales ledger has days
            first, last = first.date(), last.date()
            chosen = tuple(st.session_state.get("date_range") or ())
            if chosen and not all(first <= day <= last for day in chosen):
                st.session_state["date_range"] = (first, last)  # the data moved: start over
                st.rerun()
            st.date_input(
                "Date range",
                min_value=first,
                max_value=last,
                key="date_range",
                **({} if "date_range" in st.session_state else {"value": (first, last)}),
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


def _timing(data: PageData, started: float, run_started: float) -> str:
    wall = time.perf_counter() - started
    cached = data.loaded_at < run_started
    return (
        f"Page data in {wall * 1000:.0f} ms ({'cached' if cached else 'read now'}); "
        f"read from the database {time.time() - data.loaded_at:.0f} s ago in "
        f"{data.seconds:.2f} s (open {data.open_seconds:.2f} s, "
        f"queries {data.query_seconds:.2f} s, close {data.close_seconds:.2f} s). "
        f"Cached for {CACHE_SECONDS} s."
    )


def _where() -> str:
    from ecom_analytics.dashboard.data import describe

    return describe(_target())


def _render(page: Page) -> None:
    from dbt.adapters.chdb.client import EmbeddedPathInUse

    run_started = time.time()
    # keep filter values when moving between pages (Streamlit forgets unrendered widgets)
    for key in FILTER_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    st.title(page.title)
    started = time.perf_counter()
    try:
        data = _load(page.url_path, _filters())
    except NotBuilt as error:
        _not_built(error)
        return
    except EmbeddedPathInUse as error:
        _busy(error)
        return
    _draw_filters(data)
    page.draw(data)
    st.divider()
    st.caption(_timing(data, started, run_started))


def _page_function(page: Page):
    def render() -> None:
        _render(page)

    render.__name__ = f"page_{page.url_path.replace('-', '_')}"  # Streamlit keys pages by name
    return render


def _overview() -> None:
    from ecom_analytics.dashboard.data import embedded_folder_is_empty

    st.title("E-commerce analytics")
    st.markdown(f"Reading {_where()} (dbt target `{_target().name}`).")
    if _target().is_embedded and embedded_folder_is_empty(_target()):
        _not_built(NotBuilt(_where(), sorted({m for page in PAGES for m in page.models})))
    for page in PAGES:
        st.page_link(_PAGE_OBJECTS[page.url_path], label=page.title, icon=page.icon)
        st.caption("Reads " + ", ".join(f"`{model}`" for model in page.models))


def main() -> None:
    st.set_page_config(page_title="E-commerce analytics", page_icon="📈", layout="wide")
    pages = {
        page.url_path: st.Page(
            _page_function(page), title=page.title, icon=page.icon, url_path=page.url_path
        )
        for page in PAGES
    }
    _PAGE_OBJECTS.update(pages)
    overview = st.Page(_overview, title="Overview", icon=":material/home:", default=True)
    st.navigation([overview, *pages.values()]).run()


_PAGE_OBJECTS: dict = {}
main()
