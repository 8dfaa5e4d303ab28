"""The one place the app holds state: the warehouse connection (cached read-only, a cursor per
script run, reopened when the warehouse file is rebuilt) and the sidebar filters, which are bound
to the URL query string so a copied link reopens the same view on any page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from warehouse import paths, queries
from warehouse.db import ensure_warehouse, open_readonly

STAGES = {"budget": "预算", "final": "决算"}
UNITS = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


@st.cache_resource(show_spinner=False, max_entries=4)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    # Keyed by the versioned file name: a rebuild publishes a new file, so the next run opens it.
    return open_readonly(Path(path))


def warehouse_path() -> Path:
    path = paths.current_db_path()
    if path is None:
        bar = st.progress(0.0, text="首次启动：正在从 data/raw 构建数据仓库…")

        def progress(i: int, n: int, name: str) -> None:
            bar.progress(i / n, text=f"正在解析 {name}（{i}/{n}）")

        path = ensure_warehouse(progress)
        bar.empty()
    return path


def cursor() -> duckdb.DuckDBPyConnection:
    """A fresh cursor for this script run; DuckDB connections are not thread-safe."""
    return _connection(str(warehouse_path())).cursor()


@st.cache_data(show_spinner=False, max_entries=512)
def _load(path: str, name: str, counties: tuple, years: tuple, stage: str | None) -> pl.DataFrame:
    # Keyed by the warehouse file: a rebuilt warehouse is a new path, so nothing stale is served.
    return queries.filtered(_connection(path).cursor(), name, counties, years, stage)


def load(name: str, f: Filters) -> pl.DataFrame:
    """A named query under the sidebar filters, cached per warehouse file and filter values."""
    return _load(str(warehouse_path()), name, f.counties, f.years, f.stage)


@dataclass(frozen=True)
class Filters:
    counties: tuple[str, ...]
    years: tuple[int, ...]
    stage: str | None  # None = both
    unit: str
    image_format: str

    @property
    def factor(self) -> Decimal:
        return UNITS[self.unit]

    @property
    def stage_zh(self) -> str:
        return STAGES.get(self.stage, "预算与决算") if self.stage else "预算与决算"


def _leave_pages_directory_mode() -> None:
    """A shared link opened before app.py has ever run makes Streamlit route by the pages/ folder
    (its v1 multipage mode): the page runs without app.py's st.navigation. Switch the server to
    app.py's navigation and rerun, keeping the URL's page and query parameters."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def filters(cur: duckdb.DuckDBPyConnection) -> Filters:
    """Sidebar controls, each mirrored in the URL (?county=…&year=…&stage=…&unit=…)."""
    _leave_pages_directory_mode()
    counties, years = queries.filter_options(cur)
    sb = st.sidebar
    sb.header("筛选")
    chosen = sb.multiselect("县（区）", counties, key="county", placeholder="全部县区", bind="query-params")
    chosen_years = sb.multiselect("年度", years, key="year", placeholder="全部年度", bind="query-params")
    stage = sb.radio("阶段", ["全部", "预算", "决算"], key="stage", horizontal=True, bind="query-params")
    unit = sb.radio("金额单位", list(UNITS), index=1, key="unit", horizontal=True, bind="query-params")
    fmt = sb.radio(
        "图片导出格式",
        ["PNG", "SVG"],
        key="img",
        horizontal=True,
        bind="query-params",
        help="图表右上角工具栏“下载”按钮导出的格式",
    )
    sb.caption("筛选条件已写入网址，复制地址栏链接即可分享当前视图。")
    return Filters(
        counties=tuple(chosen),
        years=tuple(int(y) for y in chosen_years),
        stage={"预算": "budget", "决算": "final"}.get(stage),
        unit=unit,
        image_format=fmt.lower(),
    )


def permalink() -> str | None:
    """The address of the current view, query string included, as the browser shows it."""
    try:
        return st.context.url
    except Exception:  # AppTest has no browser URL
        return None


def county_label(row: dict) -> str:
    return f"{row['county'] or row.get('unit_name')} {row['fiscal_year']}{STAGES.get(row['stage'], '')}"


def empty_state(what: str, why: str) -> None:
    st.info(f"{what}：{why}")
