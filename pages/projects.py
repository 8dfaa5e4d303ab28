"""项目与绩效: projects with amounts and their performance targets; the 决算 self-evaluation scores
and execution rates."""

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from pages._charts import show, style
from pages._compare import compare
from pages._format import chart_text, label, scaled, zh_stage
from pages._shared import cursor, empty_state, filters, load
from pages._tables import show_table
from rules.units import money_text

cur = cursor()
f = filters(cur)
W = st.column_config.Column  # widths in px: shown columns fit 1024 px beside the sidebar
st.title("项目与绩效目标")
compare(f, ["execution_rate"], key="projects")
st.subheader("焦点县的项目")
projects = load("projects", f)
if projects.is_empty():
    empty_state("没有项目", "所选文件没有项目支出表、绩效目标表或自评表。")
    st.stop()
kinds = ["全部", "养老补助类", "其他"]
kind = st.radio("项目类别", kinds, horizontal=True, key="project_kind", bind="query-params")
if kind == "养老补助类":
    projects = projects.filter(pl.col("pension_category").is_not_null())
elif kind == "其他":
    projects = projects.filter(pl.col("pension_category").is_null())

top = label(projects.filter(pl.col("amount_yuan").is_not_null())).sort("amount_yuan", descending=True).head(15)
if not top.is_empty():
    fig = go.Figure(
        go.Bar(
            y=[
                chart_text(f"{n[:18]}… ({c})" if len(n) > 18 else f"{n} ({c})")
                for n, c in zip(top["project_name"], top["county"])
            ],
            x=[float(v) / float(f.factor) for v in top["amount_yuan"]],
            orientation="h",
            marker_color="#1f5aa6",
            text=[money_text(v, f.factor) for v in top["amount_yuan"]],
            textposition="outside",
        )
    )
    style(
        fig,
        title="金额最大的项目（前15）",
        unit=f.unit,
        source="项目支出表 / 项目绩效目标表 / 绩效自评表（全年预算数）",
        height=160 + 32 * top.height,
        y_is_amount=False,
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(
        title_text=f"金额（{f.unit}）",
        exponentformat="none",
        separatethousands=True,
        range=[0, float(top["amount_yuan"].max()) / float(f.factor) * 1.18],
    )
    fig.update_layout(margin=dict(l=330))
    show(fig, "项目金额排行", f.image_format)

table = (
    scaled(zh_stage(projects), ["amount_yuan", "executed_yuan"], f.factor)
    .select(
        [
            "county",
            "fiscal_year",
            "stage",
            "project_name",
            "project_type",
            "pension_category",
            "amount_yuan",
            "executed_yuan",
            "indicators",
            "table_title",
            "page",
            "line",
        ]
    )
    .rename(
        {
            "county": "县（区）",
            "fiscal_year": "年度",
            "stage": "阶段",
            "project_name": "项目",
            "project_type": "类型",
            "pension_category": "养老补助类别",
            "amount_yuan": f"预算数（{f.unit}）",
            "executed_yuan": f"执行数（{f.unit}）",
            "indicators": "绩效指标数",
            "table_title": "表",
            "page": "页",
            "line": "行",
        }
    )
)
several = table["县（区）"].n_unique() > 1
# On screen (564 px beside the sidebar at 1024 px) the project and its amounts; 养老补助类别, 绩效指标数,
# 表, 页 and 行 are in the download.
show_table(
    table,
    f"项目_{f.unit}",
    key="projects",
    column_order=[
        *(["县（区）"] if several else []),
        "年度",
        "阶段",
        "项目",
        "类型",
        f"预算数（{f.unit}）",
        f"执行数（{f.unit}）",
    ],
    column_config={
        "县（区）": W(width=80),
        "年度": W(width=50),
        "阶段": W(width=45),
        "项目": W(width=100 if several else 180),
        "类型": W(width=70),
        f"预算数（{f.unit}）": W(width=100),
        f"执行数（{f.unit}）": W(width=100),
    },
)
st.caption("预算数为空：该项目只在绩效目标表中列出，文件未公开金额。")

st.subheader("绩效目标")
ind = load("indicators", f)
names = sorted({n for n in ind["project_name"].drop_nulls()})
pick = st.selectbox("项目", ["（部门整体）"] + names, key="project_pick", bind="query-params")
sel = (
    ind.filter(pl.col("scope") == "department")
    if pick == "（部门整体）"
    else ind.filter(pl.col("project_name") == pick)
)
if sel.is_empty():
    empty_state("绩效目标", "该项目没有公开绩效指标。")
else:
    show_table(
        sel.select(
            [
                "county",
                "level1",
                "level2",
                "level3",
                "target_text",
                "operator",
                "target_value",
                "target_unit",
                "weight",
                "actual_text",
                "score",
                "page",
                "line",
            ]
        ).rename(
            {
                "county": "县（区）",
                "level1": "一级指标",
                "level2": "二级指标",
                "level3": "三级指标",
                "target_text": "指标值",
                "operator": "符号",
                "target_value": "数值",
                "target_unit": "单位",
                "weight": "权重/分值",
                "actual_text": "实际值",
                "score": "得分",
                "page": "页",
                "line": "行",
            }
        ),
        f"绩效指标_{pick}",
        key="indicators",
        column_order=["二级指标", "三级指标", "指标值", "实际值", "权重/分值", "得分"],
        column_config={
            "二级指标": W(width=90),
            "三级指标": W(width=160),
            "指标值": W(width=110),
            "实际值": W(width=90),
            "权重/分值": W("权重", width=55, help="权重/分值"),
            "得分": W(width=50),
        },
    )

st.subheader("决算绩效自评")
ev = load("self_evaluations", f).head(40)  # the chart's axis: at most 40 projects (highest scores first)
if ev.is_empty():
    empty_state("绩效自评", "所选文件中没有项目支出绩效自评表（通常随决算公开）。")
else:
    fig = go.Figure()
    fig.add_bar(
        x=[chart_text(x) for x in ev["project_name"]],
        y=[float(v) for v in ev["total_score"]],
        name="自评得分",
        text=[f"{float(v):.2f}" for v in ev["total_score"]],
        textposition="outside",
        marker_color="#3a9e6f",
    )
    fig.add_scatter(
        x=[chart_text(x) for x in ev["project_name"]],
        y=[None if v is None else float(v) * 100 for v in ev["execution_rate_printed"]],
        name="执行率（%）",
        mode="markers+text",
        text=["" if v is None else f"{float(v) * 100:.1f}%" for v in ev["execution_rate_printed"]],
        textposition="top center",
        marker=dict(size=12, color="#e07b39"),
    )
    style(
        fig,
        title="项目绩效自评得分与预算执行率",
        unit=None,
        source="、".join(sorted(set(ev["county"].drop_nulls()))) + " 项目支出绩效自评表",
        y_is_amount=False,
    )
    fig.update_yaxes(title_text="分 / %", range=[0, 110])
    show(fig, "绩效自评得分与执行率", f.image_format)
    show_table(
        scaled(ev, ["budget_initial_yuan", "budget_full_year_yuan", "executed_yuan"], f.factor).rename(
            {
                "county": "县（区）",
                "fiscal_year": "年度",
                "project_name": "项目",
                "budget_initial_yuan": f"年初预算（{f.unit}）",
                "budget_full_year_yuan": f"全年预算（{f.unit}）",
                "executed_yuan": f"执行数（{f.unit}）",
                "execution_rate_printed": "执行率",
                "total_score": "总分",
                "source_file": "文件",
                "page": "页",
                "line": "行",
            }
        ),
        "绩效自评",
        key="self-eval",
        column_order=["年度", "项目", f"全年预算（{f.unit}）", f"执行数（{f.unit}）", "执行率", "总分"],
        column_config={
            "年度": W(width=50),
            "项目": W(width=170),
            f"全年预算（{f.unit}）": W(width=100),
            f"执行数（{f.unit}）": W(width=100),
            "执行率": W(width=60),
            "总分": W(width=55),
        },
    )
