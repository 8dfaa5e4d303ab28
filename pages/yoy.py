"""同比变化: year-over-year change of totals and components, computed from the figures, with the
document's own stated rate and reason beside each; a printed rate that disagrees is flagged."""

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from pages._charts import short_ticks, show, style
from pages._compare import cap_docs, compare, focus_documents
from pages._format import chart_text, label
from pages._shared import cursor, doc_line, empty_state, filters, load
from pages._tables import rows_height, show_table
from rules.labels import STAGE_ZH, TOPIC_ZH, place_text
from rules.measures import RATE, STATED_CHANGE_ZH, format_measure, stated_change_keys

cur = cursor()
f = filters(cur)
st.title("同比变化")
st.caption(
    "增减率一律按数字计算：增减额 ÷ 上年数（上年数 = 本年数 − 增减额，或上年文件所印数）。文件所印比率列在旁边，不一致时标出。"
)

W = st.column_config.Column
compare(f, ["yoy_pct", *stated_change_keys(), "total_expenditure", "total_per_resident"], key="yoy")


def stated_beside_strict() -> None:
    """The change each focus document states for its headline figures (收支总计 …) beside the strict
    本年支出合计 YoY: they answer different questions and may both be right while they differ."""
    said = load("stated_changes", f)
    if said.is_empty():
        return
    strict = {r["doc_id"]: r["yoy_frac"] for r in load("summary", f).iter_rows(named=True)}
    rows = [
        {
            "文件": doc_line(r["county"], r["fiscal_year"], r["stage"]),
            "文件所述对象": r["figure_zh"],
            STATED_CHANGE_ZH: format_measure(r["pct_signed_frac"], RATE),
            "本年支出合计同比（按数字计算）": format_measure(strict.get(r["doc_id"]), RATE)
            if strict.get(r["doc_id"]) is not None
            else "无上年数",
            "出处": place_text(r["source_file"], r["page"], r["line"]),
        }
        for r in said.iter_rows(named=True)
    ]
    st.subheader(f"{STATED_CHANGE_ZH}与按数字计算的同比")
    computed = "本年支出合计同比（按数字计算）"
    show_table(
        pl.DataFrame(rows),
        f"文件所述同比_{f.unit}",
        key="yoy-stated",
        height=rows_height(len(rows)),
        # Short headers so that every column fits 564 px (1024 px beside the sidebar); the download
        # keeps the long ones.
        column_config={
            "文件": W(width=125),
            "文件所述对象": W("所述对象", width=85, help="文件所述对象"),
            STATED_CHANGE_ZH: W("所述同比", width=80, help=STATED_CHANGE_ZH),
            computed: W("计算同比", width=80, help=computed),
            "出处": W(width=190),
        },
    )


stated_beside_strict()

changes = load("yoy_changes", f)
flagged = int(changes["rate_check_failed"].fill_null(False).sum())
with focus_documents("焦点县各文件：按数字计算与文件所印的增减率，各项增减的核对", key="yoy", flagged=flagged):
    if load("documents", f).is_empty():
        empty_state("没有可显示的文档", "当前筛选条件下没有已载入的文件。")
        st.stop()
    # The warehouse's year-over-year rate beside the rate the document prints for the same figure
    # (named query yoy_rates): documents without a prior year have no row.
    with_prior = cap_docs(label(load("yoy_rates", f)))
    if with_prior.is_empty():
        empty_state("无法计算同比", "所选文件既未载入上年文件，也未在情况说明中给出与上年的比较。")
    else:
        fig = go.Figure()
        fig.add_bar(
            x=[chart_text(x) for x in with_prior["label"]],
            y=[float(v) for v in with_prior["yoy_frac"]],
            name="按数字计算",
            text=[format_measure(v, RATE) for v in with_prior["yoy_frac"]],
            textposition="outside",
        )
        printed = [None if v is None else float(v) for v in with_prior["printed_frac"]]
        fig.add_scatter(
            x=[chart_text(x) for x in with_prior["label"]],
            y=printed,
            mode="markers",
            name="文件所印",
            marker=dict(symbol="diamond", size=14, color="#c23b3b"),
        )
        style(
            fig,
            title="本年支出合计同比增减率",
            unit=None,
            source="各县部门预决算公开文件 情况说明与收支总表；按数字计算",
            y_is_amount=False,
            note="柱：（本年数 − 上年数）÷ 上年数；菱形：文件所印增减率",
        )
        fig.update_yaxes(tickformat=".0%", title_text="增减率（%）")
        short_ticks(fig, [chart_text(x) for x in with_prior["label"]])
        bundle = with_prior.select(
            [
                "county",
                "fiscal_year",
                "stage",
                "total_expenditure_yuan",
                "prior_year_total_yuan",
                "yoy_change_yuan",
                "yoy_frac",
                pl.col("printed_frac").cast(pl.Float64),
                "doc_file",
            ]
        )
        show(
            fig,
            "同比增减率_本年支出合计",
            f.image_format,
            data=bundle,
            sources=[
                doc_line(r["unit_name"], r["fiscal_year"], r["stage"], r["doc_file"])
                for r in with_prior.iter_rows(named=True)
            ],
        )

    st.subheader("各项增减（文件陈述与计算复核）")
    if changes.is_empty():
        empty_state("没有同比陈述", "所选文件的情况说明未与上年比较。")
        st.stop()
    rows = []
    for r in changes.iter_rows(named=True):
        current, prior, change = r["current_amount_yuan"], r["prior_amount_yuan"], r["change_signed_yuan"]
        computed, printed = r["pct_computed"], r["pct_printed_signed"]
        rows.append(
            {
                "县（区）": r["county"],
                "年度": r["fiscal_year"],
                "阶段": STAGE_ZH.get(r["stage"], r["stage"]),  # a budget and a final of one year
                "项目": TOPIC_ZH.get(r["topic"], r["subject"] or r["topic"]),
                f"本年数（{f.unit}）": None if current is None else float(current / f.factor),
                f"上年数（{f.unit}）": None if prior is None else float(prior / f.factor),
                f"增减额（{f.unit}）": None if change is None else float(change / f.factor),
                "计算增减率(%)": None if computed is None else round(float(computed) * 100, 2),
                "文件所印(%)": None if printed is None else round(float(printed) * 100, 2),
                "核对": {True: "⚠️ 不一致", False: "✓"}.get(r["rate_check_failed"], ""),
                "文件所述原因": r["reason"],
                "出处": place_text(r["source_file"], r["page"], r["line"]),
            }
        )
    # On screen the change and its check (528 px inside the section at 1024 px); 本年数, 上年数 and 出处
    # are in the download, with the county when one is in focus.
    several = len({r["县（区）"] for r in rows}) > 1
    shown = [
        *(["县（区）"] if several else []),
        "年度",
        "阶段",
        "项目",
        f"增减额（{f.unit}）",
        "计算增减率(%)",
        "文件所印(%)",
        "核对",
    ]
    show_table(
        pl.DataFrame(rows, infer_schema_length=None),
        f"同比增减明细_{f.unit}",
        key="yoy",
        height=rows_height(len(rows)),
        column_order=[*shown, *([] if several else ["文件所述原因"])],
        column_config={
            "县（区）": W(width=80),
            "年度": W(width=45),
            "阶段": W(width=45),
            "项目": W(width=67 if several else 77),
            f"增减额（{f.unit}）": W(width=108),
            "计算增减率(%)": W("计算(%)", width=58, help="计算增减率(%)"),
            "文件所印(%)": W("所印(%)", width=58, help="文件所印(%)"),
            "核对": W(width=62),
            "文件所述原因": W("原因", width=70, help="文件所述原因"),
        },
    )
    st.caption(f"{'文件所述原因、' if several else ''}本年数、上年数与出处见下载的表格；点单元格可看全文。")
