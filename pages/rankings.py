"""排名: every unit of the peer group on the chosen measure — value, rank, percentile and a
sparkline of its years — sortable and searchable, with the whole table as CSV/XLSX; then the rank
by year: a bump chart of the focus (and of every peer when few) and a table with one rank column
per year."""

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from pages._charts import COLORS, show, style
from pages._compare import FOCUS_COLORS, pick_measure
from pages._format import chart_text
from pages._shared import Filters, build_date, cursor, empty_state, filters, peer
from pages._tables import rows_height, show_table
from rules.labels import SANGONG_COMPONENTS, SANGONG_KIND_ZH, STAGE_ZH
from rules.measures import (
    MEASURES,
    MONEY,
    PER_CAPITA,
    display_scale,
    display_unit,
    measure_kind,
    measure_label,
    measure_note,
)
from warehouse import queries

BUMP_ALL = 12  # up to this many peers, every one is drawn in the bump chart; beyond, the focus only
# Rank columns the year table shows on screen (the latest years): 焦点, the county and six years
# fit 564 px (1024 px beside the sidebar); the download has every year, 地市 and 省.
YEARS_ON_SCREEN = 6
W = st.column_config.Column


def ranks_by_year(values: pl.DataFrame) -> pl.DataFrame:
    """One row per unit, one rank column per year ("2023年排名"), the latest year's order; a year
    the unit did not disclose is empty (never a rank)."""
    years = sorted(values["fiscal_year"].unique().to_list())
    wide = values.pivot(on="fiscal_year", index=["unit_label", "prefecture", "province", "is_focus"], values="rank")
    wide = wide.rename({str(y): f"{y}年排名" for y in years})
    wide = wide.with_columns(pl.col(f"{y}年排名").cast(pl.Int64) for y in years)
    order = [f"{y}年排名" for y in reversed(years)]
    return wide.sort(order, nulls_last=True).select(
        pl.when(pl.col("is_focus")).then(pl.lit("★")).otherwise(pl.lit("")).alias("焦点"),
        pl.col("unit_label").alias("县（区）"),
        pl.col("prefecture").alias("地市"),
        pl.col("province").alias("省"),
        *[pl.col(f"{y}年排名") for y in years],
    )


def bump(values: pl.DataFrame, name: str, f: Filters) -> go.Figure:
    """Rank (1 at the top) by year: the focus thick and coloured, other peers thin and grey."""
    units = values["unit_key"].n_unique()
    drawn = values if units <= BUMP_ALL else values.filter(pl.col("is_focus"))
    fig = go.Figure()
    focus = list(f.focus_labels)
    for label, part in drawn.sort("fiscal_year").group_by("unit_label", maintain_order=True):
        label = label[0]
        mine = label in focus
        color = FOCUS_COLORS[focus.index(label) % len(FOCUS_COLORS)] if mine else "#9aa3ab"
        fig.add_scatter(
            x=part["fiscal_year"].to_list(),
            y=part["rank"].to_list(),
            mode="lines+markers",
            name=chart_text(label),
            line=dict(color=color, width=3 if mine else 1.5),
            marker=dict(size=9 if mine else 6),
            customdata=part["n"].to_list(),
            hovertemplate=f"{chart_text(label)} %{{x}}：第 %{{y}} / %{{customdata}}<extra></extra>",
        )
    shown = "对比组全部县" if units <= BUMP_ALL else f"焦点县（对比组 {units} 个县）"
    # The title is short (a 1024 px screen cut "…（焦点县（对比组 2848 个县），全部已载入）" at its
    # right edge); who is drawn and the peer group go to the note, which wraps.
    style(
        fig,
        title=f"{name}：历年排名",
        unit=None,
        source=f"各县部门{STAGE_ZH[f.cmp_stage]}公开；排名由本看板数据仓库计算（{build_date()} 构建）",
        y_is_amount=False,
        note=f"图中为{shown}，对比组 = {f.peer_zh}；第 1 = 最高；某年未公开的县该年无点（不当作 0）",
    )
    n = int(values["n"].max())
    fig.update_yaxes(range=[n + 0.5, 0.5], title_text="排名", dtick=1 if n <= 20 else None)
    fig.update_xaxes(dtick=1, title_text=None)
    fig.update_layout(colorway=COLORS)
    return fig


cur = cursor()
f = filters(cur)
st.title("排名")
cats = dict(queries.run(cur, "pension_categories").select(["category", "category_zh"]).iter_rows())
measures = list(MEASURES) + [f"pension_share:{c}" for c in cats if c != "own_contribution"]
measures += [f"sangong_{k}:{c}" for k in SANGONG_KIND_ZH for c in SANGONG_COMPONENTS]
measure = pick_measure(measures, "rank_measure", cats)
name, kind = measure_label(measure, cats), measure_kind(measure)
values = peer("peer_values", f, measure=measure, stage=f.cmp_stage)
if f.cmp_year is None or values.is_empty():
    empty_state("没有可排名的数", "对比组在所选年度与口径下没有公开此数的文件。")
    st.stop()

scale = display_scale(kind, f.factor) if kind in (MONEY, PER_CAPITA) else 0.01  # fractions shown in %
unit = display_unit(kind, f.unit)
if measure_note(measure):  # an outside denominator is named with its source and year
    st.caption(f"人口（分母）：{measure_note(measure)}")
history = (
    values.sort("fiscal_year")
    .group_by("unit_key", maintain_order=True)
    .agg((pl.col("value") / scale).round(2).alias("history"), pl.col("fiscal_year").alias("years"))
)
year = values.filter(pl.col("fiscal_year") == f.cmp_year).join(history, on="unit_key", how="left")
st.caption(
    f"{f.cmp_zh}，对比组 = {f.peer_zh}，共 {year.height} 个县公开此数；排名第 1 = 最高；"
    "百分位 = 对比组中低于它的比例。未公开的县不在表中（不当作 0）。★ = 焦点县。"
)
query = st.text_input("搜索县（区）、地市或省", key="rank_q", placeholder="输入名称的一部分", bind="query-params")
if query:
    needle = query.strip()
    year = year.filter(
        pl.col("unit_label").str.contains(needle, literal=True)
        | pl.col("prefecture").fill_null("").str.contains(needle, literal=True)
        | pl.col("province").fill_null("").str.contains(needle, literal=True)
    )
first, last = int(values["fiscal_year"].min()), int(values["fiscal_year"].max())
table = year.sort("rank").select(
    pl.col("rank").alias("排名"),
    pl.when(pl.col("is_focus")).then(pl.lit("★")).otherwise(pl.lit("")).alias("焦点"),
    pl.col("unit_label").alias("县（区）"),
    # The figure and its standing right after the county: at 1024 px the columns after 省 were
    # behind the table's sideways scrollbar, the measure itself among them.
    (pl.col("value") / scale).round(2).alias(f"{name}（{unit}）"),
    pl.col("percentile").round(1).alias("百分位"),
    pl.col("history").alias(f"{first}–{last} 走势"),
    pl.col("prefecture").alias("地市"),
    pl.col("province").alias("省"),
    pl.col("n").alias("公开此数的县"),
)
value = f"{name}（{unit}）"
show_table(
    table,
    f"排名_{name}_{f.cmp_year}_{f.peer_zh}",
    key="rankings",
    height=rows_height(table.height, 560),
    # 地市, 省 and the number of peers (said in the caption) are in the download: at 1024 px they
    # were behind the table's sideways scrollbar.
    column_order=["排名", "焦点", "县（区）", value, "百分位", f"{first}–{last} 走势"],
    column_config={
        "排名": W(width=50),
        "焦点": W(width=45),
        "县（区）": W(width=110),
        value: W(f"数值（{unit}）", width=105, help=value),
        "百分位": W(width=60),
        f"{first}–{last} 走势": st.column_config.LineChartColumn(width=185),
    },
)

st.subheader("历年排名")
st.caption(f"每个年度在对比组（{f.peer_zh}）中各自排名；{STAGE_ZH[f.cmp_stage]}口径；空白 = 该年未公开此数。")
show(bump(values, name, f), f"排名_{name}_历年_{f.peer_zh}", f.image_format, key="rank-bump")
by_year = ranks_by_year(values)
years = [c for c in by_year.columns if c.endswith("年排名")]
recent = years[-YEARS_ON_SCREEN:]
if len(years) > len(recent):
    st.caption(f"表中为最近 {len(recent)} 个年度的排名；全部 {len(years)} 个年度与地市、省见下载的表格。")
show_table(
    by_year,
    f"排名_{name}_历年_{f.peer_zh}",
    key="rankings-years",
    height=rows_height(by_year.height),
    column_order=["焦点", "县（区）", *recent],
    column_config={
        "焦点": W(width=45),
        "县（区）": W(width=110),
        **{c: W(c.removesuffix("排名"), width=67, help=c) for c in recent},
    },
)
