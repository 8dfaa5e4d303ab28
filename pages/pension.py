"""养老补助占比: pension subsidies as a share of total expenditure, stacked by category. The user
picks the categories; the definition shown is the one computed, and every item lists its source."""

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from etl.pension import CATEGORIES
from pages._charts import COLORS, show, style
from pages._format import label, scaled, where, zh_stage
from pages._shared import cursor, empty_state, filters, load
from pages._tables import show_table

cur = cursor()
f = filters(cur)
st.title("养老补助占比")
default = [k for k in CATEGORIES if k != "own_contribution"]
chosen = st.multiselect(
    "计入的类别", list(CATEGORIES), default=default, format_func=CATEGORIES.get, key="pension_cats", bind="query-params"
)
st.caption(
    "口径：所选类别的财政养老补助 ÷ 本年支出合计。决算取执行数；有项目金额时按项目计，否则按功能科目（如 2080507）。"
    "“单位自身养老缴费”是本单位为职工缴纳的养老保险，默认不计入补助。"
)

summary = label(load("summary", f))
items = load("pension_items", f)
if summary.is_empty():
    empty_state("没有可显示的文档", "当前筛选条件下没有已载入的文件。")
    st.stop()

# Same rule as the warehouse view: projects when the document gives project amounts, else function lines.
has_projects = items.filter((pl.col("item_kind") == "project") & pl.col("amount_yuan").is_not_null())["doc_id"].unique()
used = items.filter(
    pl.col("category").is_in(chosen)
    & pl.col("amount_yuan").is_not_null()
    & (
        (pl.col("doc_id").is_in(has_projects.implode()) & (pl.col("item_kind") == "project"))
        | (~pl.col("doc_id").is_in(has_projects.implode()) & (pl.col("item_kind") == "function_line"))
    )
)
by_cat = used.group_by(["doc_id", "category"]).agg(pl.col("amount_yuan").sum())
fig = go.Figure()
base = summary.select(["doc_id", "label", "total_expenditure"])
for i, cat in enumerate(chosen):
    part = base.join(by_cat.filter(pl.col("category") == cat), on="doc_id", how="left")
    y = [
        None if (a is None or t is None or not t) else float(a / t)
        for a, t in zip(part["amount_yuan"], part["total_expenditure"])
    ]
    fig.add_bar(
        x=part["label"],
        y=y,
        name=CATEGORIES[cat],
        marker_color=COLORS[i % len(COLORS)],
        text=["" if v is None or v < 0.05 else f"{v:.1%}" for v in y],
        textposition="inside",
        hovertemplate="%{x}<br>" + CATEGORIES[cat] + "：%{y:.2%}<extra></extra>",
    )
shares = base.join(by_cat.group_by("doc_id").agg(pl.col("amount_yuan").sum()), on="doc_id", how="left")
fig.add_scatter(
    x=shares["label"],
    y=[
        None if a is None or not t else float(a / t) + 0.04
        for a, t in zip(shares["amount_yuan"], shares["total_expenditure"])
    ],
    text=[
        "" if a is None or not t else f"合计 {float(a / t):.2%}"
        for a, t in zip(shares["amount_yuan"], shares["total_expenditure"])
    ],
    mode="text",
    showlegend=False,
    hoverinfo="skip",
)
no_total = [lbl for lbl, t in zip(base["label"], base["total_expenditure"]) if t is None]
fig.update_layout(barmode="stack")
style(
    fig,
    title="养老补助占本年支出合计的比例",
    unit=None,
    source="各县部门预决算公开 项目支出表、绩效目标/自评表、支出表",
    percent=True,
    note="计入类别：" + "、".join(CATEGORIES[c] for c in chosen) + "；空白 = 文件未公开金额或本年支出合计",
)
show(
    fig,
    "养老补助占比",
    f.image_format,
    data=used.select(
        [
            "county",
            "fiscal_year",
            "stage",
            "category_zh",
            "item_name",
            "amount_yuan",
            "rule",
            "table_title",
            "source_file",
            "page",
            "line",
        ]
    ),
    sources=sorted({f"{r['county']} {r['fiscal_year']}：{r['source_file']}" for r in used.iter_rows(named=True)}),
)
if no_total:
    st.info("以下文件未公开本年支出合计，无法计算占比（条形为空）：" + "、".join(no_total))
no_amounts = [
    lbl
    for d, lbl, t in zip(base["doc_id"], base["label"], base["total_expenditure"])
    if t is not None and d not in set(used["doc_id"].to_list())
]
if no_amounts:
    st.info("以下文件未公开养老类项目或科目的金额，无法计算（条形为空）：" + "、".join(no_amounts))

st.subheader(f"构成明细（金额单位：{f.unit}）")
if items.is_empty():
    empty_state("养老补助项目", "所选文件中没有识别出养老类项目或科目。")
else:
    detail = (
        scaled(zh_stage(items), ["amount_yuan"], f.factor)
        .with_columns(
            pl.when(pl.col("category").is_in(chosen))
            .then(pl.lit("计入"))
            .otherwise(pl.lit("未计入"))
            .alias("included"),
            pl.col("item_kind").replace_strict({"project": "项目", "function_line": "功能科目"}),
            pl.when(pl.col("rule").str.starts_with("name"))
            .then(pl.lit("按项目名称"))
            .otherwise(pl.lit("按") + pl.col("rule").str.replace("function_code", "功能科目"))
            .alias("rule"),
            where(False),
        )
        .select(
            [
                "county",
                "fiscal_year",
                "stage",
                "category_zh",
                "included",
                "item_kind",
                "item_name",
                "function_code",
                "amount_yuan",
                "rule",
                "table_title",
                "where",
            ]
        )
        .rename(
            {
                "county": "县（区）",
                "fiscal_year": "年度",
                "stage": "阶段",
                "category_zh": "类别",
                "included": "口径",
                "item_kind": "来源类型",
                "item_name": "项目/科目",
                "function_code": "功能科目",
                "amount_yuan": f"金额（{f.unit}）",
                "rule": "分类规则",
                "table_title": "表",
                "where": "出处",
            }
        )
    )
    show_table(detail, f"养老补助构成_{f.unit}", key="pension")
    st.caption("金额为空：文件列出了该项目但未公开金额（如只公开绩效目标表）。")
