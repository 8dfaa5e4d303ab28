"""排名: every unit of the peer group on the chosen measure — value, rank, percentile and a
sparkline of its years — sortable and searchable, with the whole table as CSV/XLSX."""

import polars as pl
import streamlit as st

from pages._compare import pick_measure
from pages._shared import cursor, empty_state, filters, peer
from pages._tables import show_table
from rules.labels import SANGONG_COMPONENTS, SANGONG_KIND_ZH
from rules.measures import MEASURES, MONEY, measure_kind, measure_label
from warehouse import queries

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

scale = float(f.factor) if kind == MONEY else 0.01
unit = f.unit if kind == MONEY else "%"
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
    pl.col("prefecture").alias("地市"),
    pl.col("province").alias("省"),
    (pl.col("value") / scale).round(2).alias(f"{name}（{unit}）"),
    pl.col("percentile").round(1).alias("百分位"),
    pl.col("n").alias("公开此数的县"),
    pl.col("history").alias(f"{first}–{last} 走势"),
)
show_table(
    table,
    f"排名_{name}_{f.cmp_year}_{f.peer_zh}",
    key="rankings",
    height=560,
    column_config={f"{first}–{last} 走势": st.column_config.LineChartColumn(width="medium")},
)
