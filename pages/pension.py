"""养老补助占比: pension subsidies as a share of total expenditure, stacked by category. The user
picks the categories; the definition shown is the one computed, and every item lists its source."""

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from pages._charts import COLORS, short_ticks, show, style
from pages._compare import cap_docs, compare, focus_documents
from pages._format import chart_text, label, md, scaled, where, zh_stage
from pages._shared import cursor, doc_line, empty_state, filters, load
from pages._tables import show_table
from rules.labels import PENSION_ITEM_KIND_ZH
from warehouse import queries

cur = cursor()
f = filters(cur)
W = st.column_config.Column  # widths in px: shown columns fit 1024 px beside the sidebar
st.title("养老补助占比")
ref = queries.run(cur, "pension_categories")
CATEGORIES = dict(zip(ref["category"], ref["category_zh"]))
default = [c for c, sub in zip(ref["category"], ref["is_subsidy"]) if sub]
chosen = st.multiselect(
    "计入的类别", list(CATEGORIES), default=default, format_func=CATEGORIES.get, key="pension_cats", bind="query-params"
)
st.caption(
    "口径：所选类别的财政养老补助 ÷ 本年支出合计。决算取执行数；有项目金额时按项目计，否则按功能科目（如 2080507）。"
    "“单位自身养老缴费”是本单位为职工缴纳的养老保险，不计入补助。"
)
counted = [c for c in chosen if c in default]  # subsidy categories the user counts
compare(
    f,
    ["pension_share"] + [f"pension_share:{c}" for c in counted] + ["pension_per_60plus", "pension_per_65plus"],
    key="pension",
    categories=CATEGORIES,
)

with focus_documents("焦点县各文件的养老补助构成与明细", key="pension"):
    summary = label(load("summary", f))
    items = load("pension_items", f)
    if summary.is_empty():
        empty_state("没有可显示的文档", "当前筛选条件下没有已载入的文件。")
        st.stop()
    summary = cap_docs(summary)
    # Shares from the warehouse (named query pension_shares): each category's from
    # mart_measure_values, the chosen categories' together from int_pension_category.
    shares = load("pension_shares", f, categories=counted)
    used = items.filter(pl.col("counted") & pl.col("category").is_in(chosen))
    fig = go.Figure()
    base = summary.select(["doc_id", "label", "total_expenditure_yuan"])
    xs = [chart_text(x) for x in base["label"]]
    by_doc = {d: v for d, v in zip(shares["doc_id"], shares["chosen_share"]) if v is not None}
    for i, cat in enumerate(counted):
        part = base.join(shares.filter(pl.col("category") == cat).select(["doc_id", "share"]), on="doc_id", how="left")
        y = part["share"].to_list()
        fig.add_bar(
            x=xs,
            y=y,
            name=CATEGORIES[cat],
            marker_color=COLORS[i % len(COLORS)],
            text=["" if v is None or v < 0.05 else f"{v:.1%}" for v in y],
            textposition="inside",
            hovertemplate="%{x}<br>" + CATEGORIES[cat] + "：%{y:.2%}<extra></extra>",
        )
    totals = [by_doc.get(d) for d in base["doc_id"]]
    fig.add_scatter(
        x=xs,
        y=[None if v is None else v + 0.04 for v in totals],
        # Beyond eight bars "合计 49.16%" is wider than its bar and the labels ran into each other.
        text=["" if v is None else (f"合计 {v:.2%}" if len(xs) <= 8 else f"{v:.1%}") for v in totals],
        textfont=dict(size=14 if len(xs) <= 8 else 10),
        mode="text",
        showlegend=False,
        hoverinfo="skip",
    )
    no_total = [md(lbl) for lbl, t in zip(base["label"], base["total_expenditure_yuan"]) if t is None]
    fig.update_layout(barmode="stack")
    style(
        fig,
        title="养老补助占本年支出合计的比例",
        unit=None,
        source="各县部门预决算公开 项目支出表、绩效目标/自评表、支出表",
        percent=True,
        note="计入类别：" + "、".join(CATEGORIES[c] for c in chosen) + "；空白 = 文件未公开金额或本年支出合计",
    )
    short_ticks(fig, xs)
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
        sources=sorted(
            {doc_line(r["county"], r["fiscal_year"], r["stage"], r["source_file"]) for r in used.iter_rows(named=True)}
        ),
    )
    if no_total:
        st.info("以下文件未公开本年支出合计，无法计算占比（条形为空）：" + "、".join(no_total))
    no_amounts = [
        md(lbl)
        for d, lbl, t in zip(base["doc_id"], base["label"], base["total_expenditure_yuan"])
        if t is not None and d not in by_doc
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
                pl.when(pl.col("counted") & pl.col("category").is_in(chosen))
                .then(pl.lit("计入"))
                .otherwise(pl.lit("未计入"))
                .alias("included"),
                pl.col("item_kind").replace_strict(PENSION_ITEM_KIND_ZH),
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
        several = detail["县（区）"].n_unique() > 1
        show_table(
            detail,
            f"养老补助构成_{f.unit}",
            key="pension",
            # 528 px inside the section at 1024 px: 来源类型, 功能科目, 分类规则, 表 and 出处 are in the download.
            column_order=[*(["县（区）"] if several else []), "年度", "阶段", "类别", "口径", "项目/科目", f"金额（{f.unit}）"],
            column_config={
                "县（区）": W(width=80),
                "年度": W(width=50),
                "阶段": W(width=45),
                "类别": W(width=85),
                "口径": W(width=55),
                "项目/科目": W(width=110 if several else 190),
                f"金额（{f.unit}）": W(width=100),
            },
        )
        st.caption("金额为空：文件列出了该项目但未公开金额（如只公开绩效目标表）。")
