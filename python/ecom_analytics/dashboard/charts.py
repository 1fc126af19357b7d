"""The dashboard's building blocks: a chart or a table of one query's rows with its source
below (the model and the row count, which the browser test reads), and a headline figure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecom_analytics.dashboard.data import PageData


def streamlit():
    import streamlit as st

    return st


def source_caption(model: str, frame: Any) -> None:
    streamlit().caption(f"from `{model}` · {len(frame)} rows")


def chart(title: str, data: PageData, name: str, build: Callable[[Any], Any]) -> None:
    """An Altair chart of the query `name`'s rows built by `build(alt.Chart)`, with its source
    below; a clear note instead when the filters leave no rows."""
    import altair as alt

    frame = _titled_rows(title, data, name)
    if frame is not None:
        streamlit().altair_chart(build(alt.Chart(frame)), width="stretch")
        source_caption(data.models[name], frame)


def table(title: str, data: PageData, name: str, **options: Any) -> None:
    """The query `name`'s rows as a table, with its source below."""
    frame = _titled_rows(title, data, name)
    if frame is not None:
        streamlit().dataframe(frame, hide_index=True, width="stretch", **options)
        source_caption(data.models[name], frame)


def _titled_rows(title: str, data: PageData, name: str) -> Any:
    """The title, then the query `name`'s rows; None, after a note, when there are none."""
    st = streamlit()
    frame, model = data.frames[name], data.models[name]
    st.markdown(f"**{title}**")
    if frame.empty:
        st.info(f"No rows in `{model}` for these filters.")
        return None
    return frame


def metric(column: Any, label: str, value: Any, fmt: str = "{:,.2f}") -> None:
    """A headline figure; a dash when there is none."""
    column.metric(label, "–" if value is None or value != value else fmt.format(value))
