"""The one place the app holds state: the warehouse connection (cached read-only, a cursor per
script run, reopened when the warehouse file is rebuilt) and the sidebar: the focus (one county or
up to five), the peer group they are compared with, years, stage, unit. Every control is bound to
the URL query string so a copied link reopens the same view on any page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from rules.labels import PEER_MODE_FROM_ZH, PEER_MODE_ZH, STAGE_FROM_ZH, STAGE_ZH
from rules.units import DEFAULT_DISPLAY_UNIT, DISPLAY_UNITS, UNIT_FACTORS
from warehouse import paths, queries
from warehouse.db import open_readonly

UNITS: dict[str, Decimal] = {u: UNIT_FACTORS[u] for u in DISPLAY_UNITS}  # the sidebar's display units
ALL_STAGES = "预算与决算"
MAX_FOCUS = 5


@st.cache_resource(show_spinner=False, max_entries=2)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    # Keyed by the versioned file name: a rebuild publishes a new file, so the next run opens it.
    # Two entries: the current file and the one a running script may still read; an evicted
    # connection closes once its last cursor is gone, and the next build may then delete its file.
    return open_readonly(Path(path))


def warehouse_path() -> Path:
    _leave_pages_directory_mode()  # a cold direct link ran this page without app.py: rerun through it
    path = paths.current_db_path()
    if path is None:  # app.py builds on first start; a page opened directly waits for it
        st.info("数据仓库尚未构建：请从首页打开应用（首次启动会从 data/raw 构建）。")
        st.stop()
    return path


def cursor() -> duckdb.DuckDBPyConnection:
    """A fresh cursor for this script run; DuckDB connections are not thread-safe."""
    return _connection(str(warehouse_path())).cursor()


@st.cache_data(show_spinner=False, max_entries=512)
def _load(path: str, name: str, counties: tuple, years: tuple, stage: str | None) -> pl.DataFrame:
    # Keyed by the warehouse file: a rebuilt warehouse is a new path, so nothing stale is served.
    return queries.filtered(_connection(path).cursor(), name, counties, years, stage)


@st.cache_data(show_spinner=False, max_entries=256)
def _load_with(path: str, name: str, counties: tuple, years: tuple, stage: str | None, params: tuple) -> pl.DataFrame:
    return queries.filtered(_connection(path).cursor(), name, counties, years, stage, **dict(params))


def load(name: str, f: Filters, **params) -> pl.DataFrame:
    """A named query under the sidebar filters (and any further parameters it takes), cached per
    warehouse file and parameter values."""
    if params:
        items = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
        return _load_with(str(warehouse_path()), name, f.counties, f.years, f.stage, items)
    return _load(str(warehouse_path()), name, f.counties, f.years, f.stage)


@st.cache_data(show_spinner=False, max_entries=512)
def _peer(path: str, name: str, focus: tuple, mode: str, picked: tuple, params: tuple) -> pl.DataFrame:
    return queries.peer_query(_connection(path).cursor(), name, focus, mode, picked, **dict(params))


def peer(name: str, f: Filters, **params) -> pl.DataFrame:
    """A named peer query (warehouse/queries.py) for the sidebar's focus and peer group, cached."""
    return _peer(str(warehouse_path()), name, f.counties, f.peer_mode, f.picked, tuple(sorted(params.items())))


@st.cache_data(show_spinner=False, max_entries=8)
def _units(path: str) -> pl.DataFrame:
    return queries.run(_connection(path).cursor(), "units")


def units() -> pl.DataFrame:
    """Every loaded unit with its label, place, level, years loaded and size decile."""
    return _units(str(warehouse_path()))


@dataclass(frozen=True)
class Filters:
    counties: tuple[str, ...]  # unit keys of the focus (adcode, or unit name without one)
    years: tuple[int, ...]
    stage: str | None  # None = both
    unit: str
    image_format: str
    focus_labels: tuple[str, ...] = ()
    peer_mode: str = "all"
    peer_zh: str = PEER_MODE_ZH["all"]
    picked: tuple[str, ...] = ()
    cmp_year: int | None = None  # the year comparisons are made in
    cmp_stage: str = "budget"  # comparisons are like with like: one stage

    @property
    def factor(self) -> Decimal:
        return UNITS[self.unit]

    @property
    def stage_zh(self) -> str:
        return STAGE_ZH.get(self.stage, ALL_STAGES) if self.stage else ALL_STAGES

    @property
    def cmp_zh(self) -> str:
        return f"{self.cmp_year}年{STAGE_ZH[self.cmp_stage]}"


def _leave_pages_directory_mode() -> None:
    """A shared link opened before app.py has ever run makes Streamlit route by the pages/ folder
    (its v1 multipage mode): the page runs without app.py's st.navigation. Switch the server to
    app.py's navigation and rerun, keeping the URL's page and query parameters."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def default_focus(u: pl.DataFrame) -> str | None:
    """The county with the most loaded years (then most disclosed totals, most documents): a
    sensible first view."""
    counties = u.filter(pl.col("unit_level") == "county")
    pool = counties if counties.height else u
    if pool.is_empty():
        return None
    order = ["years_loaded", "totals_disclosed", "docs", "unit_label"]
    return pool.sort(order, descending=[True, True, True, False])["unit_label"][0]


def limited_multiselect(where, label: str, options: list, *, key: str, limit: int, notes=None, **kw) -> list:
    """A multiselect of at most `limit` choices. Streamlit's own max_selections says so in English
    in the dropdown ("You can only select up to 5 options. Remove an option first."), so the limit
    is kept here: a choice beyond it is taken back and a line in Chinese says why. A link naming
    more shows the first `limit`. The note goes to `notes` (default: where the widget is)."""

    def cap() -> None:
        chosen = st.session_state.get(key) or []
        if len(chosen) > limit:
            st.session_state[key] = chosen[:limit]
            st.session_state[f"_{key}_capped"] = True

    chosen = where.multiselect(label, options, key=key, on_change=cap, **kw)
    if st.session_state.pop(f"_{key}_capped", False) or len(chosen) > limit:
        (notes or where).warning(f"最多可选 {limit} 个，请先移除一个再添加。", icon="⚠️")
    return list(chosen[:limit])


def _focus(sb, u: pl.DataFrame) -> tuple[list[str], bool]:
    chosen = limited_multiselect(
        sb,
        f"焦点县（区）（最多 {MAX_FOCUS} 个并排）",
        u["unit_label"].to_list(),
        key="county",
        limit=MAX_FOCUS,
        placeholder="选择县（区）",
        bind="query-params",
    )
    if chosen:
        return chosen, False
    default = default_focus(u)
    if default:
        sb.info(f"未选择焦点，默认显示 {default}（已载入年度最多）。", icon=":material/info:")
    return ([default] if default else []), True


def _peers(sb, u: pl.DataFrame) -> tuple[str, str, tuple[str, ...]]:
    zh = sb.radio(
        "对比组",
        list(PEER_MODE_FROM_ZH),
        key="peers",
        horizontal=True,
        bind="query-params",
        help="规模相近：本年支出合计处于同一十分位的县；省、地级市、市县级以外的单位不计入县级对比",
    )
    picked: tuple[str, ...] = ()
    if PEER_MODE_FROM_ZH[zh] == "list":
        labels = sb.multiselect(
            "手选对比县", u["unit_label"].to_list(), key="peer_list", placeholder="选择对比县", bind="query-params"
        )
        picked = _keys(u, labels)
    return PEER_MODE_FROM_ZH[zh], zh, picked


def _keys(u: pl.DataFrame, labels) -> tuple[str, ...]:
    by_label = dict(zip(u["unit_label"], u["unit_key"]))
    return tuple(by_label[x] for x in labels if x in by_label)


def _comparison_point(u: pl.DataFrame, keys, years, stage) -> tuple[int | None, str]:
    """Comparisons are made in one year and one stage: the latest chosen year, else the latest
    year the focus has; the chosen stage, else 决算 when the focus has one that year."""
    mine = u.filter(pl.col("unit_key").is_in(list(keys)))
    year = max(years) if years else (mine["last_year"].max() if mine.height else None)
    if stage or year is None:
        return year, stage or "budget"
    return year, "final" if _has_final(keys, year) else "budget"


@st.cache_data(show_spinner=False, max_entries=256)
def _focus_stages(path: str, keys: tuple, year: int) -> pl.DataFrame:
    return queries.run(_connection(path).cursor(), "focus_stages", focus=list(keys), year=year)


def _has_final(keys, year) -> bool:
    df = _focus_stages(str(warehouse_path()), tuple(keys), int(year))
    return bool(df.height and df["has_final"][0])


def filters(cur: duckdb.DuckDBPyConnection) -> Filters:
    """Sidebar controls, each mirrored in the URL (?county=…&peers=…&year=…&stage=…&unit=…)."""
    _leave_pages_directory_mode()
    u = units()
    years_all = sorted({y for a, b in zip(u["first_year"], u["last_year"]) for y in range(a, b + 1)})
    sb = st.sidebar
    sb.header("焦点与对比组")
    focus, _defaulted = _focus(sb, u)
    mode, zh, picked = _peers(sb, u)
    sb.header("筛选")
    chosen_years = sb.multiselect("年度", years_all, key="year", placeholder="全部年度", bind="query-params")
    stage = sb.radio("阶段", ["全部", *STAGE_ZH.values()], key="stage", horizontal=True, bind="query-params")
    unit = sb.radio(
        "金额单位",
        list(UNITS),
        index=list(UNITS).index(DEFAULT_DISPLAY_UNIT),
        key="unit",
        horizontal=True,
        bind="query-params",
    )
    fmt = sb.radio(
        "图片导出格式",
        ["PNG", "SVG"],
        key="img",
        horizontal=True,
        bind="query-params",
        help="图表右上角工具栏“下载”按钮导出的格式",
    )
    keys = _keys(u, focus)
    years = tuple(int(y) for y in chosen_years)
    stage_key = STAGE_FROM_ZH.get(stage)
    cmp_year, cmp_stage = _comparison_point(u, keys, years, stage_key)
    sb.caption("筛选条件已写入网址，复制链接即可分享当前视图。")
    copy_link(sb)
    return Filters(
        counties=keys,
        years=years,
        stage=stage_key,
        unit=unit,
        image_format=fmt.lower(),
        focus_labels=tuple(focus),
        peer_mode=mode,
        peer_zh=zh,
        picked=picked,
        cmp_year=cmp_year,
        cmp_stage=cmp_stage,
    )


def permalink() -> str | None:
    """The address of the current view with its query string: st.context.url is the page's address
    without it (Streamlit drops the query), so the parameters the widgets wrote are added back."""
    try:
        base = st.context.url
    except Exception:  # AppTest has no browser URL
        return None
    return with_query(base, query_items()) if base else None


def query_items() -> list[tuple[str, str]]:
    """The current query parameters, repeated keys kept (?county=a&county=b), in URL order."""
    return [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]


def with_query(base: str, items: list[tuple[str, str]]) -> str:
    """A page address with the given parameters (percent-encoded, so Chinese values survive chat
    clients that cut a link at the first non-ASCII character)."""
    from urllib.parse import urlencode

    base = base.split("?", 1)[0].split("#", 1)[0]
    return f"{base}?{urlencode(items)}" if items else base


def build_date() -> str:
    """The day the warehouse in use was built (its file is written once, by the build)."""
    import datetime as dt

    return dt.date.fromtimestamp(warehouse_path().stat().st_mtime).isoformat()


def view_about(title: str) -> list[tuple[str, str]]:
    """What a table's XLSX says about itself: title, the view's full link, the build date."""
    import datetime as dt

    return [
        ("标题", title),
        ("链接", permalink() or ""),
        ("数据仓库构建", build_date()),
        ("导出时间", dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        ("说明", "空白表示文件未公开该数，0 表示文件印明为 0；金额以文件所印为准。"),
    ]


def doc_line(unit, year, stage, source=None) -> str:
    """A document as a source line names it: unit, year and stage, then the file or place."""
    text = f"{unit or '未识别单位'} {year}年{STAGE_ZH.get(stage, stage or '')}"
    return f"{text}：{source}" if source else text


# The link box: the link as text that wraps, and a button that copies it (the Clipboard API where
# the page is a secure context, else a selected textarea and execCommand: an intranet http:// host
# has no navigator.clipboard). A code box did the same with its copy icon, but its syntax
# highlighter cost a full page load 0.3–0.8 s in chromium (CPU profile of 地图, interleaved A/B runs).
# The link goes in as escaped text and attribute (html.escape), never into the script.
LINK_HTML = """<div class="shebao-link" style="font-size:0.8rem;line-height:1.35;word-break:break-all;
 background:rgba(128,128,128,0.08);border-radius:0.5rem;padding:0.4rem 0.6rem">{text}</div>
<button type="button" class="shebao-copy" data-link="{attr}" style="margin-top:0.3rem;font-size:0.85rem;
 padding:0.2rem 0.7rem;border:1px solid rgba(49,51,63,0.3);border-radius:0.5rem;background:white;cursor:pointer"
>复制链接</button>
<script>
if (!window.shebaoCopy) {{
  window.shebaoCopy = true;
  document.addEventListener("click", (e) => {{
    const b = e.target.closest && e.target.closest("button.shebao-copy");
    if (!b) return;
    const t = b.dataset.link;
    const ok = () => {{ b.textContent = "已复制"; setTimeout(() => {{ b.textContent = "复制链接"; }}, 1500); }};
    const old = () => {{
      const a = document.createElement("textarea");
      a.value = t; document.body.appendChild(a); a.select(); document.execCommand("copy"); a.remove(); ok();
    }};
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(t).then(ok, old);
    else old();
  }});
}}
</script>"""


def copy_link(sb) -> None:
    """The view's full link, and a button that puts it on the clipboard (LINK_HTML)."""
    import html

    link = permalink()
    if link:
        sb.caption("本视图链接：")
        sb.html(
            LINK_HTML.format(text=html.escape(link), attr=html.escape(link, quote=True)),
            unsafe_allow_javascript=True,
        )


def county_label(row: dict) -> str:
    return f"{row['county'] or row.get('unit_name')} {row['fiscal_year']}{STAGE_ZH.get(row['stage'], '')}"


def empty_state(what: str, why: str) -> None:
    st.info(f"{what}：{why}")
