"""县域社保预决算对比看板 — Streamlit entry point. The pages are declared once, in pages/_registry.py;
this turns them into st.Page/st.navigation.

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
from pages._registry import grouped
from warehouse import paths

PRELOADED = ("duckdb", "numpy", "pandas", "plotly.express", "plotly.graph_objects", "polars", "pyarrow", "xlsxwriter")

# Routing by app.py's st.navigation, never by the pages/ folder (Streamlit's v1 multipage mode,
# which it assumes for sessions that arrive before app.py has first run: a crowd of direct links
# on a cold app). Set on every run, before any page code; pages/_shared.py reruns a session that
# started in the old mode.
PagesManager.uses_pages_directory = False

# Emoji icons only: a :material/…: icon makes the browser fetch the tab icon from fonts.gstatic.com,
# which an offline deployment cannot reach (an emoji becomes an inline SVG).
st.set_page_config(page_title="县域社保预决算对比看板", page_icon="📊", layout="wide")

# Streamlit 1.67's select boxes print a fixed English "No results" when a typed filter matches no
# option (Multiselect/Selectbox bundles, no parameter for it). The text is the only child of a span
# whose class is the component's stable emotion label (eo2qvtu11: multiselect, equpb2c9: selectbox):
# it is hidden (visibility, so it is not in the page's text either) and a Chinese one shown.
# tests/test_room_browser.py types a filter that matches nothing and fails if the English text
# comes back (a new Streamlit that renames the class).
NO_MATCH_CSS = """<style>
.eo2qvtu11, .equpb2c9 { visibility: hidden; font-size: 0 !important; }
.eo2qvtu11::after, .equpb2c9::after { visibility: visible; content: "无匹配项"; font-size: 0.875rem; }
</style>"""
st.html(NO_MATCH_CSS)


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

nav = {
    group: [st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default) for p in specs]
    for group, specs in grouped(UPLOADS_ENABLED).items()
}
st.navigation(nav, expanded=True).run()
