"""The one place the app caches: a read-only DuckDB connection per warehouse file, a cursor per
script run, and the sidebar filters mirrored in the URL. Reopens when the warehouse is rebuilt."""

from __future__ import annotations

from pathlib import Path

import duckdb
import streamlit as st

from warehouse import paths, queries
from warehouse.db import ensure_warehouse, open_readonly

STAGES = {"budget": "预算", "final": "决算"}


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return open_readonly(Path(path))


def cursor() -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the current warehouse, building it from data/raw on first start."""
    path = paths.current_db_path()
    if path is None:
        bar = st.progress(0.0, text="首次启动：正在从 data/raw 构建数据仓库…")

        def progress(i: int, n: int, name: str) -> None:
            bar.progress(i / n, text=f"正在解析 {name}（{i}/{n}）")

        path = ensure_warehouse(progress)
        bar.empty()
    return _connection(str(path)).cursor()


def sidebar_filters(cur: duckdb.DuckDBPyConnection) -> tuple[list[str], list[int], str | None]:
    counties, years = queries.filter_options(cur)
    st.sidebar.header("筛选")
    chosen = st.sidebar.multiselect("县（区）", counties, key="county", placeholder="全部")
    chosen_years = st.sidebar.multiselect("年度", years, key="year", placeholder="全部")
    stage = st.sidebar.radio("阶段", ["全部", "预算", "决算"], key="stage", horizontal=True)
    stage_key = {"预算": "budget", "决算": "final"}.get(stage)
    return chosen, chosen_years, stage_key
