"""Every table on screen comes with CSV (UTF-8 with BOM, so Excel in China opens it) and XLSX."""

from __future__ import annotations

import re

import polars as pl
import streamlit as st

from exports.tables import csv_bytes, xlsx_bytes  # noqa: F401  (one home for every download)
from pages._format import safe_name


def show_table(df: pl.DataFrame, name: str, *, key: str, height: int | None = None, column_config=None) -> None:
    money = {
        c: st.column_config.NumberColumn(format="%.2f")
        for c in df.columns
        if re.search(r"（(元|万元|亿元)）$", c) and df[c].dtype.is_numeric()
    }
    shown = df.with_columns(pl.col(pl.Utf8).fill_null("—"))  # "—" on screen; exports keep blanks
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=height or "auto",
        column_config={**money, **(column_config or {})},
    )
    safe = safe_name(name)
    c1, c2, _ = st.columns([1, 1, 6])
    c1.download_button(
        "下载 CSV",
        data=lambda: csv_bytes(df),
        file_name=f"{safe}.csv",
        mime="text/csv",
        key=f"{key}-csv",
        on_click="ignore",
    )
    c2.download_button(
        "下载 Excel",
        data=lambda: xlsx_bytes(df),
        file_name=f"{safe}.xlsx",
        key=f"{key}-xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
