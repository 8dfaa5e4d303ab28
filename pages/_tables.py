"""Every table on screen comes with CSV (UTF-8 with BOM, so Excel in China opens it) and XLSX."""

from __future__ import annotations

import io
import re

import polars as pl
import streamlit as st

from pages._format import safe_name


def csv_bytes(df: pl.DataFrame) -> bytes:
    return df.write_csv(include_bom=True).encode("utf-8")


def xlsx_bytes(df: pl.DataFrame, sheet: str = "数据") -> bytes:
    buf = io.BytesIO()
    df.write_excel(buf, worksheet=sheet[:31], autofit=True)
    return buf.getvalue()


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
