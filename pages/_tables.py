"""Every table on screen comes with CSV (UTF-8 with BOM, so Excel in China opens it) and XLSX."""

from __future__ import annotations

import re

import polars as pl
import streamlit as st

from exports.tables import csv_bytes, xlsx_bytes  # noqa: F401  (one home for every download)
from pages._format import safe_name

NULL_TEXT = "—"
STYLED_CELLS = 200_000  # beyond this a pandas Styler is too slow (and Streamlit refuses it): gaps become text


def _number(v) -> str:
    return f"{v:.10g}"


def no_none(df: pl.DataFrame, money: dict | None = None):
    """The frame as shown: a missing value reads "—", never "None" (st.dataframe prints None for a
    null of any type). Text columns are filled; numeric columns with gaps keep their numbers (and
    numeric sorting) under a Styler that prints "—" for the gaps; a very large table gets them as text."""
    money = money or {}
    shown = df.with_columns(pl.col(pl.Utf8).fill_null(NULL_TEXT))
    gaps = [c for c, t in df.schema.items() if (t.is_numeric() or t == pl.Boolean) and df[c].null_count()]
    if not gaps:
        return shown
    if df.height * df.width > STYLED_CELLS:
        return shown.with_columns(pl.col(c).cast(pl.Utf8).fill_null(NULL_TEXT) for c in gaps)
    # A Styler's text is what the grid shows for every cell it formats: each number column is given
    # the text the grid would print itself (money to the fen), not pandas' six decimals.
    numbers = [c for c, t in df.schema.items() if t.is_numeric() or t == pl.Boolean]
    fmt = {c: ("{:.2f}" if c in money else _number) for c in numbers}
    return shown.to_pandas().style.format(fmt, na_rep=NULL_TEXT, subset=numbers)


def show_table(df: pl.DataFrame, name: str, *, key: str, height: int | None = None, column_config=None) -> None:
    money = {
        c: st.column_config.NumberColumn(format="%.2f")
        for c in df.columns
        if re.search(r"（(元|万元|亿元)）$", c) and df[c].dtype.is_numeric()
    }
    shown = no_none(df, money)  # "—" on screen; exports keep blanks
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=height or "auto",
        column_config={**money, **(column_config or {})},
    )
    safe = safe_name(name)
    from pages._shared import view_about

    about = view_about(name)  # now: the link is the one on screen when the table was drawn
    # A row that wraps, buttons as wide as their labels: fixed columns cut "下载 CSV" to "下…" at 1024 px.
    row = st.container(horizontal=True)
    row.download_button(
        "下载 CSV",
        data=lambda: csv_bytes(df),
        file_name=f"{safe}.csv",
        mime="text/csv",
        key=f"{key}-csv",
        on_click="ignore",
    )
    row.download_button(
        "下载 Excel",
        data=lambda: xlsx_bytes(df, about=about),
        file_name=f"{safe}.xlsx",
        key=f"{key}-xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
