"""Every table on screen comes with CSV (UTF-8 with BOM, so Excel in China opens it) and XLSX."""

from __future__ import annotations

import re

import polars as pl
import streamlit as st

from exports.tables import csv_bytes, xlsx_bytes  # noqa: F401  (one home for every download)
from pages._format import mapped, safe_name

NULL_TEXT = "—"


def _money(v) -> str:
    return f"{v:.2f}"


def _number(v) -> str:
    return f"{v:.10g}"


def no_none(df: pl.DataFrame, money: dict | None = None) -> pl.DataFrame:
    """The frame as shown: a missing value reads "—", never "None". The browser's grid prints None
    for any null cell whatever a Styler says (its text is used for non-null cells only), so a
    number column with gaps becomes text: money to the fen as the grid prints it ("5854.76"),
    other numbers as they are. Only those columns sort as text on screen; downloads keep numbers."""
    money = money or {}
    # A column with no value at all has no type (pl.Null) and printed "None" in every cell (同比's
    # 文件所述原因 when no statement gives a reason): it reads as text.
    out = [pl.col(pl.Utf8).fill_null(NULL_TEXT), pl.col(pl.Null).cast(pl.Utf8).fill_null(NULL_TEXT)]
    for c, t in df.schema.items():
        if not (t.is_numeric() or t == pl.Boolean) or not df[c].null_count():
            continue
        if t == pl.Boolean:
            text = pl.when(pl.col(c)).then(pl.lit("是")).otherwise(pl.lit("否"))
        else:
            fmt = _money if c in money else _number
            text = mapped(df.with_columns(pl.col(c).cast(pl.Float64)), c, fmt)
        out.append(text.fill_null(NULL_TEXT).alias(c))
    return df.with_columns(out)


def show_table(
    df: pl.DataFrame,
    name: str,
    *,
    key: str,
    height: int | None = None,
    column_config=None,
    column_order: list[str] | None = None,
    export: pl.DataFrame | None = None,
) -> None:
    """The table on screen and its CSV/XLSX. `column_order` names the columns shown, so that a wide
    table fits a projector's 1024 px beside the sidebar (564 px of main area) without sideways
    scrolling; the download holds every column of `export` (default: the whole frame)."""
    grid(df, height=height, column_config=column_config, column_order=column_order)
    downloads(df if export is None else export, name, key=key)


def grid(df: pl.DataFrame, *, height: int | None = None, column_config=None, column_order=None) -> None:
    """The table on screen only: "—" for a missing value, money columns to the fen; a width or
    label given for a money column keeps its format."""
    money = {
        c: st.column_config.NumberColumn(format="%.2f")
        for c in df.columns
        if re.search(r"（(元|万元|亿元|%)）$", c) and df[c].dtype.is_numeric()
    }
    shown = no_none(df, money)  # "—" on screen; exports keep blanks
    config = {c: v for c, v in money.items() if shown[c].dtype != pl.Utf8}
    for c, v in (column_config or {}).items():
        config[c] = {**config.get(c, {}), **{k: x for k, x in v.items() if x is not None}} if isinstance(v, dict) else v
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=height or "auto",
        column_config=config,
        column_order=column_order,
    )


def rows_height(n: int, cap: int = 420) -> int:
    """A grid as tall as its rows (header and n rows of 35 px), at most `cap`: no empty rows under
    a short table."""
    return min(cap, 38 + 35 * max(n, 1))


def downloads(df: pl.DataFrame, name: str, *, key: str) -> None:
    """下载 CSV / 下载 Excel of the table as it is (numbers stay numbers, blanks stay blank)."""
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
