"""县域社保预决算对比看板 — Streamlit entry point. Pages are declared here with st.navigation.

The libraries the pages use are imported here, at module level, before any session runs a page:
when several sessions open chart pages at once right after start-up, their first imports of
pandas/plotly raced and half of them failed with "partially initialized module 'pandas' has no
attribute 'Series'". Importing them once in app.py, before st.navigation, makes the first import
happen in one thread.
"""

import duckdb  # noqa: F401
import numpy  # noqa: F401
import pandas  # noqa: F401
import plotly.express  # noqa: F401
import plotly.graph_objects  # noqa: F401
import polars  # noqa: F401
import pyarrow  # noqa: F401
import streamlit as st
import xlsxwriter  # noqa: F401
from streamlit.runtime.pages_manager import PagesManager

from etl.service import UPLOADS_ENABLED
from warehouse import paths

PRELOADED = ("duckdb", "numpy", "pandas", "plotly.express", "plotly.graph_objects", "polars", "pyarrow", "xlsxwriter")

# Routing by app.py's st.navigation, never by the pages/ folder (Streamlit's v1 multipage mode,
# which it assumes for sessions that arrive before app.py has first run: a crowd of direct links
# on a cold app). Set on every run, before any page code; pages/_shared.py reruns a session that
# started in the old mode.
PagesManager.uses_pages_directory = False

st.set_page_config(page_title="县域社保预决算对比看板", page_icon=":material/bar_chart:", layout="wide")


def first_start_build() -> None:
    """No warehouse yet: build one from the bundled samples (data/raw) and publish it. Sessions
    arriving together wait on the build lock and find it built (etl.service.ensure_warehouse)."""
    if paths.current_db_path() is not None:
        return
    from etl.service import ensure_warehouse

    bar = st.progress(0.0, text="首次启动：正在从 data/raw 构建数据仓库…")

    def progress(i: int, n: int, name: str) -> None:
        bar.progress(i / max(n, 1), text=f"正在解析 {name}（{i}/{n}）")

    ensure_warehouse(progress)
    bar.empty()


first_start_build()

compare = [
    st.Page("pages/overview.py", title="概览", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/rankings.py", title="排名", icon=":material/format_list_numbered:", url_path="rankings"),
    st.Page("pages/yoy.py", title="同比变化", icon=":material/trending_up:", url_path="yoy"),
    st.Page("pages/structure.py", title="支出结构", icon=":material/account_tree:", url_path="structure"),
    st.Page("pages/pension.py", title="养老补助占比", icon=":material/elderly:", url_path="pension"),
    st.Page("pages/sangong.py", title="三公经费", icon=":material/directions_car:", url_path="sangong"),
    st.Page("pages/projects.py", title="项目与绩效", icon=":material/flag:", url_path="projects"),
    st.Page("pages/map.py", title="地图", icon=":material/map:", url_path="map"),
]
data = [
    st.Page("pages/coverage.py", title="数据覆盖", icon=":material/grid_on:", url_path="coverage"),
    st.Page("pages/checks.py", title="数据核验", icon=":material/fact_check:", url_path="checks"),
    st.Page("pages/sources.py", title="来源文件", icon=":material/description:", url_path="sources"),
]
if UPLOADS_ENABLED:
    data.append(st.Page("pages/upload.py", title="上传文件", icon=":material/upload_file:", url_path="upload"))
present = [st.Page("pages/meeting.py", title="会议模式", icon=":material/co_present:", url_path="meeting")]
st.navigation({"对比": compare, "数据": data, "汇报": present}, expanded=True).run()
