"""Show a result table or chart with its downloads: tables as CSV, charts as PNG and SVG. Files are
made only when a button is clicked (a callable passed as the data), so a rerun never pays for them."""

from __future__ import annotations

from functools import partial

import streamlit as st

from . import charts, sources, tables


def file_stem(key: str) -> str:
    """The scenario part of a file name: the preset's name, or "scenario" for an upload."""
    return sources.stem(key)


def arrow_table(rows: list[dict]):
    """The rows as an Arrow table, which Streamlit sends as it is: a list of dicts goes through pandas first, about
    thirteen milliseconds a table on every rerun against a third of one. Rows Arrow cannot type (a column of
    mixed kinds) are left as they are."""
    import pyarrow as pa

    try:
        return pa.Table.from_pylist(rows)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return rows


def table(rows: list[dict], *, file_name: str, column_config: dict | None = None, data=None) -> None:
    """The rows as a table and a CSV download of them (``data``: a callable making other CSV bytes)."""
    if not rows:
        st.write("Nothing to show.")
        return
    st.dataframe(arrow_table(rows), hide_index=True, width="stretch", column_config=column_config)
    st.download_button("Download the table (CSV)", data or partial(tables.csv_bytes, rows), file_name=file_name,
                       mime="text/csv", on_click="ignore", icon=":material/download:")


def chart(spec: dict, *, file_stem: str, alt: str) -> None:
    """The chart, and buttons to download it as PNG or SVG."""
    st.vega_lite_chart(spec=spec, width="stretch", alt=alt)
    c1, c2, _ = st.columns([1, 1, 3])
    c1.download_button("Chart as PNG", partial(charts.export_png, spec), file_name=f"{file_stem}.png",
                       mime="image/png", on_click="ignore", icon=":material/image:", width="stretch")
    c2.download_button("Chart as SVG", partial(charts.export_svg, spec), file_name=f"{file_stem}.svg",
                       mime="image/svg+xml", on_click="ignore", icon=":material/image:", width="stretch")
