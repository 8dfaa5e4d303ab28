"""The focus against its peers for one measure, the same on every page: focus value, peer median
and p25–p75, rank "第 k / n" and percentile across years (all computed in SQL, warehouse/queries.py),
and charts whose size does not grow with the number of peers — a trend band, a distribution with
the focus marked, and top/bottom N with the focus always shown. No axis carries more than 40
labels whatever is loaded."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from exports.figures import COLORS, style
from pages._charts import show
from pages._format import chart_text, md
from pages._shared import Filters, build_date, doc_line, peer, warehouse_path
from pages._tables import downloads, grid
from rules.labels import STAGE_ZH
from rules.measures import (
    MONEY,
    PER_CAPITA,
    PER_CAPITA_UNIT,
    display_scale,
    display_unit,
    format_measure,
    measure_kind,
    measure_label,
    measure_note,
)

MAX_LABELS = 40
TOP_N = 10
VIEWS = {"trend": "历年走势", "dist": "对比组分布", "top": "排名前后"}  # tab label = URL value
FOCUS_COLORS = [COLORS[1], COLORS[3], COLORS[4], COLORS[2], COLORS[6]]


def scale(values, kind: str, f: Filters) -> list[float | None]:
    """Money into the chosen unit; per-resident figures in 元/人; shares and rates stay fractions
    (axes format them as %)."""
    div = display_scale(kind, f.factor)
    return [None if v is None else v / div for v in values]


def _unit(kind: str, f: Filters) -> str:
    """The unit a chart title names in brackets: （万元）, （元/人） or （%）."""
    return f"（{display_unit(kind, f.unit)}）"


def fmt(v, kind: str, f: Filters) -> str:
    return format_measure(v, kind, f.factor)


def _axis(fig: go.Figure, kind: str, f: Filters, axis: str = "y") -> None:
    upd = fig.update_yaxes if axis == "y" else fig.update_xaxes
    if kind == MONEY:
        upd(title_text=f"金额（{f.unit}）", exponentformat="none", separatethousands=True)
    elif kind == PER_CAPITA:
        upd(title_text=f"人均（{PER_CAPITA_UNIT}）", exponentformat="none", separatethousands=True)
    else:
        upd(title_text="比例（%）", tickformat=".1~%")


def pick_measure(measures: list[str], key: str, categories: dict | None = None) -> str:
    if len(measures) == 1:
        return measures[0]
    return st.selectbox(
        "对比指标",
        measures,
        format_func=lambda m: measure_label(m, categories),
        key=key,
        bind="query-params",
    )


def compare(f: Filters, measures: list[str], *, key: str, categories: dict | None = None) -> str:
    """The comparison block for the chosen measure; returns the measure key."""
    measure = pick_measure(measures, f"{key}_measure", categories)
    name, kind = measure_label(measure, categories), measure_kind(measure)
    stats = peer("peer_stats", f, measure=measure, stage=f.cmp_stage)
    values = peer("peer_values", f, measure=measure, stage=f.cmp_stage)
    st.subheader(f"{name}：与对比组（{f.peer_zh}）比较")
    if f.cmp_year is None or stats.is_empty():
        st.info(f"对比组在{f.cmp_zh if f.cmp_year else '所选年度'}没有已载入的文件。")
        return measure
    if stats.filter(pl.col("n") > 0).is_empty():  # nothing to draw: an empty chart said nothing
        st.info(f"对比组（{f.peer_zh}）的已载入文件在任何年度都没有公开“{name}”（{_stage(f)}），无从比较。")
        return measure
    held = peer("held_values", f, measure=measure, stage=f.cmp_stage)
    kpis(f, measure, name, kind, stats, values, held)
    figs = _figures(str(warehouse_path()), f, measure, tuple(sorted((categories or {}).items())))
    parts = [p for p in VIEWS if p in figs]
    # One chart at a time: plotly drawing is most of a page's time in the browser, so the hidden
    # views are not sent at all (tabs that rerun); the open view is in the URL (?<key>_view=…).
    tabs = st.tabs([VIEWS[p] for p in parts], key=f"{key}_view", bind="query-params")
    for tab, part in zip(tabs, parts):
        if tab.open:
            fig, filename, data = figs[part]
            with tab:
                show(
                    fig,
                    filename,
                    f.image_format,
                    key=f"{key}-{part}",
                    data=data,
                    sources=_sources(f, values, measure_note(measure)),
                )
    stats_table(f, name, kind, stats, values, key)
    return measure


@st.cache_resource(show_spinner=False, max_entries=256)
def _figures(path: str, f: Filters, measure: str, categories: tuple) -> dict:
    """The three comparison charts, built once per view and shared (never mutated afterwards):
    building and validating plotly figures costs more than every query of a page, and a cached
    Figure object (cache_resource, not pickled) is handed to st.plotly_chart without re-validation."""
    name, kind = measure_label(measure, dict(categories)), measure_kind(measure)
    stats = peer("peer_stats", f, measure=measure, stage=f.cmp_stage)
    values = peer("peer_values", f, measure=measure, stage=f.cmp_stage)
    note = measure_note(measure)
    out = {
        "trend": trend(f, name, kind, stats, values, note),
        "dist": distribution(f, name, kind, values, stats, note),
    }
    top = top_bottom(f, name, kind, values, note)
    if top is not None:
        out["top"] = top
    return out


def kpis(f: Filters, measure, name, kind, stats, values, held) -> None:
    year = stats.filter(pl.col("fiscal_year") == f.cmp_year)
    mine = values.filter(pl.col("is_focus") & (pl.col("fiscal_year") == f.cmp_year))
    doubted = held.filter(pl.col("fiscal_year") == f.cmp_year)
    cols = st.columns(len(f.focus_labels) + 1)
    for col, label in zip(cols, f.focus_labels):
        row = mine.filter(pl.col("unit_label") == label)
        with col.container(border=True):
            out = doubted.filter(pl.col("unit_label") == label)
            if row.is_empty() and out.height:
                st.metric(f"{md(label)} · {f.cmp_zh}", fmt(out["value"][0], kind, f))
                st.warning(
                    "数字存疑，不参与排名与对比组统计：所依据的汇总数核验未通过，且与文件另一处数字矛盾（见数据核验）",
                    icon="⚠️",
                )
                continue
            if row.is_empty():
                st.metric(f"{md(label)} · {f.cmp_zh}", "未公开")
                st.caption("该年度该口径无文件或文件未公开此数，不参与排名")
                continue
            r = row.row(0, named=True)
            st.metric(f"{md(label)} · {f.cmp_zh}", fmt(r["value"], kind, f))
            st.markdown(f"**第 {r['rank']} / {r['n']}** 名 · 百分位 **{r['percentile']:.0f}**")
    with cols[-1].container(border=True):
        if year.is_empty() or year["n"][0] == 0:
            st.metric(f"对比组中位数 · {f.cmp_zh}", "未公开")
            return
        s = year.row(0, named=True)
        st.metric(f"对比组中位数 · {f.cmp_zh}", fmt(s["median"], kind, f))
        st.caption(
            f"p25–p75：{fmt(s['p25'], kind, f)} – {fmt(s['p75'], kind, f)}；"
            f"{s['n']} 个县公开此数，{s['n_not_disclosed']} 个有文件但未公开（不计入，非 0）"
        )
    st.caption(
        "排名：第 1 = 最高；百分位 = 对比组中低于它的比例（0–100）。"
        + (f"金额单位：{f.unit}。" if kind == MONEY else "")
        + (f"人口：{measure_note(measure)}。" if measure_note(measure) else "")
    )


def trend(f: Filters, name, kind, stats, values, note: str | None = None):
    s = stats.filter(pl.col("n") > 0)
    years = s["fiscal_year"].to_list()
    fig = go.Figure()
    fig.add_scatter(
        x=years, y=scale(s["p75"], kind, f), mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip"
    )
    fig.add_scatter(
        x=years,
        y=scale(s["p25"], kind, f),
        mode="lines",
        line=dict(width=0),
        fill="tonexty",
        fillcolor="rgba(31,90,166,0.15)",
        name="对比组 p25–p75",
    )
    fig.add_scatter(
        x=years,
        y=scale(s["median"], kind, f),
        mode="lines+markers",
        name="对比组中位数",
        line=dict(color=COLORS[0], dash="dash"),
    )
    focus = values.filter(pl.col("is_focus"))
    for i, label in enumerate(f.focus_labels):
        mine = focus.filter(pl.col("unit_label") == label).sort("fiscal_year")
        fig.add_scatter(
            x=mine["fiscal_year"].to_list(),
            y=scale(mine["value"], kind, f),
            mode="lines+markers",
            name=chart_text(label),
            line=dict(color=FOCUS_COLORS[i % 5], width=3),
        )
    unit = _unit(kind, f)
    style(
        fig,
        title=f"{name}{unit}：历年走势（{f.peer_zh}，{_stage(f)}）",
        unit=f.unit,
        source=_source(f, note),
        y_is_amount=False,
        note="阴影为对比组 p25–p75；未公开的年度不画点（不当作 0）",
    )
    _axis(fig, kind, f)
    fig.update_xaxes(dtick=1, title_text=None)
    data = stats.join(_focus_wide(focus), on="fiscal_year", how="left")
    return fig, f"{name}_历年走势_{'_'.join(f.focus_labels)}", data


def distribution(f: Filters, name, kind, values, stats=None, note: str | None = None):
    """A histogram of the peer group (binned in the browser: one bar per bin whatever n is) with a
    line and label per focus county."""
    year = values.filter(pl.col("fiscal_year") == f.cmp_year)
    fig = go.Figure()
    fig.add_histogram(
        x=scale(year["value"], kind, f),
        nbinsx=30,
        name="对比组",
        marker_color="rgba(31,90,166,0.55)",
        hovertemplate="%{x}：%{y} 个县<extra></extra>",
    )
    for i, r in enumerate(year.filter(pl.col("is_focus")).iter_rows(named=True)):
        x = scale([r["value"]], kind, f)[0]
        fig.add_vline(x=x, line=dict(color=FOCUS_COLORS[i % 5], width=3))
        fig.add_annotation(
            x=x,
            yref="paper",
            y=1 - 0.09 * i,
            text=f"{chart_text(r['unit_label'])} 第{r['rank']}/{r['n']}",
            showarrow=False,
            xanchor="left",
            bgcolor="rgba(255,255,255,0.8)",
            font=dict(color=FOCUS_COLORS[i % 5], size=13),
        )
    med = None if stats is None else stats.filter(pl.col("fiscal_year") == f.cmp_year)["median"]
    if med is not None and med.len() and med[0] is not None:  # the peer median from SQL, dashed
        fig.add_vline(
            x=scale([med[0]], kind, f)[0],
            line=dict(color="#444", width=1.5, dash="dash"),
            annotation_text="中位数",
            annotation_position="bottom right",
        )
    unit = _unit(kind, f)
    style(
        fig,
        title=f"{name}{unit}：{f.cmp_zh} 对比组分布（{year.height} 个县）",
        unit=f.unit,
        source=_source(f, note),
        y_is_amount=False,
        note="柱为各区间的县数；彩色竖线为焦点县，虚线为对比组中位数；未公开的县不计入（不当作 0）",
    )
    _axis(fig, kind, f, axis="x")
    fig.update_xaxes(title_text=None)
    fig.update_yaxes(title_text="县数")
    fig.update_layout(showlegend=False, bargap=0.05)
    data = year.select(["unit_label", "province", "prefecture", "fiscal_year", "value", "rank", "n", "percentile"])
    return fig, f"{name}_分布_{f.cmp_year}", data


def top_bottom_rows(year: pl.DataFrame, n: int = TOP_N) -> pl.DataFrame:
    """All units when few; else the top n, the bottom n and the focus wherever it ranks."""
    year = year.sort("value", descending=True)
    if year.height <= 2 * n + 5:
        return year
    idx = pl.int_range(pl.len())
    return year.filter((idx < n) | (idx >= pl.len() - n) | pl.col("is_focus"))


def top_bottom(f: Filters, name, kind, values, note: str | None = None):
    year = values.filter(pl.col("fiscal_year") == f.cmp_year)
    rows = top_bottom_rows(year)
    if rows.is_empty():
        return None
    labels = [f"第{r} {chart_text(x)}" for r, x in zip(rows["rank"], rows["unit_label"])]
    colors = [FOCUS_COLORS[0] if foc else COLORS[0] for foc in rows["is_focus"]]
    y = scale(rows["value"], kind, f)
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=y,
            orientation="h",
            marker_color=colors,
            text=[fmt(v, kind, f) for v in rows["value"]],
            textposition="outside",
            cliponaxis=False,
        )
    )
    shown = "全部" if rows.height == year.height else f"前 {TOP_N} 与后 {TOP_N}，焦点县始终显示"
    unit = _unit(kind, f)
    style(
        fig,
        title=f"{name}{unit}：{f.cmp_zh} 排名（{shown}，共 {year.height} 个县）",
        unit=f.unit,
        source=_source(f, note),
        height=160 + 24 * rows.height,
        y_is_amount=False,
        note="橙色为焦点县",
    )
    _axis(fig, kind, f, axis="x")
    fig.update_xaxes(title_text=None)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(margin=dict(l=200), showlegend=False)
    data = rows.select(["rank", "unit_label", "province", "prefecture", "value", "n", "percentile"])
    return fig, f"{name}_排名_{f.cmp_year}", data


STATS_ZH = {"median": "中位数", "min": "最小值", "max": "最大值"}  # p25 and p75 keep their names


def stats_table(f: Filters, name, kind, stats, values, key) -> None:
    table = stats.join(_focus_wide(values.filter(pl.col("is_focus"))), on="fiscal_year", how="left")
    money_cols = ["median", "p25", "p75", "min", "max"] + [c for c in table.columns if c.startswith("值·")]
    if kind in (MONEY, PER_CAPITA):
        table = table.with_columns([(pl.col(c) / display_scale(kind, f.factor)).round(2) for c in money_cols])
        unit = _unit(kind, f)
    else:
        table = table.with_columns([(pl.col(c) * 100).round(2) for c in money_cols])
        unit = "（%）"
    table = table.rename({c: STATS_ZH.get(c, c) + unit for c in money_cols}).rename(
        {"fiscal_year": "年度", "n_loaded": "有文件的县", "n": "公开此数的县", "n_not_disclosed": "未公开"}
    )
    # Built only when opened (state in the URL, ?<key>_table=true): a table grid costs a chart page
    # 0.15–0.4 s in the browser even while its expander is closed.
    box = st.expander(f"{name}：逐年统计表（{f.peer_zh}，{_stage(f)}）", key=f"{key}_table", bind="query-params")
    if box.open:
        with box:
            _stats_grids(table, unit)
            downloads(table, f"{name}_对比统计_{f.peer_zh}", key=f"{key}-stats")


def _stats_grids(table: pl.DataFrame, unit: str) -> None:
    """The yearly statistics on screen, one grid per focus county (headed by it when several):
    年度, its value and rank, the peer median and p25/p75 — every column within 564 px (1024 px
    beside the sidebar). The download holds the whole table: 有文件的县, 未公开, 最小值, 最大值 and
    every county's percentile too."""
    W = st.column_config.Column
    peers = [f"中位数{unit}", f"p25{unit}", f"p75{unit}"]
    config = {"年度": W(width=50), **{c: W(c.removesuffix(unit), width=95, help=f"对比组{c}") for c in peers}}
    focus = [c.removeprefix("值·").removesuffix(unit) for c in table.columns if c.startswith("值·")]
    st.caption(
        f"单位：{unit.strip('（）')}；中位数、p25、p75 为对比组的；"
        "排名第 1 = 最高。有文件的县、未公开、最小值、最大值与百分位见下载的表格。"
    )
    if not focus:
        grid(
            table,
            column_order=["年度", "公开此数的县", *peers],
            column_config={**config, "公开此数的县": W("县数", width=60, help="公开此数的县")},
        )
    for label in focus:
        if len(focus) > 1:
            st.markdown(f"**{md(label)}**")
        value, rank = f"值·{label}{unit}", f"排名·{label}"
        grid(
            table,
            column_order=["年度", value, rank, *peers],
            column_config={**config, value: W("焦点值", width=95, help=f"{label}{unit}"), rank: W("排名", width=95)},
        )


def focus_documents(title: str, *, key: str, flagged: int = 0):
    """The focus's per-document section that ends a comparison page, in an expander whose content
    runs only when it is open (state in the URL, ?<key>_docs=true). Closed, it stops the script:
    the comparison above is what a page shows first, and each per-document chart it does not draw
    saves 0.1–0.3 s of a page's time in the browser at national scale. `flagged` inconsistencies
    inside are named on the closed label, so nobody has to open it to learn they are there."""
    if flagged:
        title = f"{title}（{flagged} 处不一致）"
    icon = ":material/warning:" if flagged else ":material/description:"
    box = st.expander(title, key=f"{key}_docs", bind="query-params", icon=icon)
    if not box.open:
        st.stop()
    return box


def _focus_wide(focus: pl.DataFrame) -> pl.DataFrame:
    """Per year, one column per focus unit: value, rank and percentile."""
    out = pl.DataFrame({"fiscal_year": sorted(set(focus["fiscal_year"].to_list()))}, schema={"fiscal_year": pl.Int32})
    for label in focus["unit_label"].unique(maintain_order=True):
        mine = focus.filter(pl.col("unit_label") == label).select(
            "fiscal_year",
            pl.col("value").alias(f"值·{label}"),
            (pl.lit("第") + pl.col("rank").cast(pl.Utf8) + "/" + pl.col("n").cast(pl.Utf8)).alias(f"排名·{label}"),
            pl.col("percentile").round(1).alias(f"百分位·{label}"),
        )
        out = out.join(mine, on="fiscal_year", how="left")
    return out


def _stage(f: Filters) -> str:
    return STAGE_ZH[f.cmp_stage]


def _source(f: Filters, note: str | None = None) -> str:
    """The chart's source line; `note` names an outside denominator (the census) and its year."""
    return f"各县部门{_stage(f)}公开；对比组：{f.peer_zh}；统计由本看板数据仓库计算（{build_date()} 构建）" + (
        f"；人口：{note}" if note else ""
    )


def _sources(f: Filters, values: pl.DataFrame, note: str | None = None) -> list[str]:
    """The bundle's source lines: the statement of the chart, then every document it counts (unit,
    year, stage), latest year first."""
    docs = (
        values.select("unit_label", "fiscal_year")
        .unique()
        .sort(["fiscal_year", "unit_label"], descending=[True, False])
    )
    return [_source(f, note)] + [doc_line(u, y, f.cmp_stage) for u, y in docs.iter_rows()]


def cap_docs(df: pl.DataFrame, limit: int = MAX_LABELS) -> pl.DataFrame:
    """The focus documents a per-document chart draws: the latest years whose documents fit in
    `limit` labels (five counties x two stages x four years), and a caption saying what was left out."""
    if df.height <= limit or "fiscal_year" not in df.columns:
        return df
    per_year = df.group_by("fiscal_year").len().sort("fiscal_year", descending=True)
    keep, total = [], 0
    for year, n in per_year.iter_rows():
        if total + n > limit and keep:
            break
        keep.append(year)
        total += n
    st.caption(
        f"图中只画最近的 {len(keep)} 个年度（{min(keep)}–{max(keep)}），每轴不超过 {limit} 个标签；完整数据见下表或“排名”页。"
    )
    return df.filter(pl.col("fiscal_year").is_in(keep))
