"""概览: one card per county-year, a sortable comparison table, and the documents behind it."""

import polars as pl
import streamlit as st

from pages._format import scaled, zh_stage
from pages._shared import county_label, cursor, empty_state, filters, load
from pages._tables import show_table
from warehouse import queries

MONEY = [
    "total_revenue",
    "total_expenditure",
    "basic_expenditure",
    "project_expenditure",
    "personnel_expenditure",
    "public_expenditure",
    "pension_subsidy",
    "sangong_budget",
    "sangong_actual",
    "prior_year_total",
    "yoy_change",
]

cur = cursor()
f = filters(cur)
st.title("县域社保预决算概览")
df = load("summary", f)
flags = load("figure_flags", f)
flagged = {(r["doc_id"], r["figure"]): r["messages"] for r in flags.iter_rows(named=True)}

if df.is_empty():
    empty_state("没有可显示的文档", "当前筛选条件下没有已载入的预决算公开文件，请调整左侧筛选。")
    st.stop()


def money(v, factor=f.factor) -> str:
    return "未公开" if v is None else f"{v / factor:,.2f}"


def flag(doc_id, figure) -> str:
    return " ⚠️" if (doc_id, figure) in flagged else ""


cols = st.columns(min(3, df.height))
for i, row in enumerate(df.iter_rows(named=True)):
    with cols[i % len(cols)].container(border=True):
        st.markdown(f"**{county_label(row)}** · {row['unit_name']}")
        delta = None
        if row["yoy_pct"] is not None:
            delta = f"{row['yoy_pct'] * 100:+.2f}% 同比"
        st.metric(
            f"本年支出合计（{f.unit}）" + flag(row["doc_id"], "total_expenditure"),
            money(row["total_expenditure"]),
            delta=delta,
            help=flagged.get((row["doc_id"], "total_expenditure")),
        )
        a, b = st.columns(2)
        a.metric(f"基本支出（{f.unit}）", money(row["basic_expenditure"]))
        b.metric(f"项目支出（{f.unit}）", money(row["project_expenditure"]))
        share = row["pension_subsidy_share"]
        a.metric(
            "养老补助占比",
            "未公开" if share is None else f"{share * 100:.2f}%",
            help="养老补助（不含单位自身缴费）÷ 本年支出合计",
        )
        sg = row["sangong_actual"] if row["stage"] == "final" else row["sangong_budget"]
        b.metric("三公" + ("决算" if row["stage"] == "final" else "预算") + f"（{f.unit}）", money(sg))
        if row["checks_failed"]:
            st.warning(f"{row['checks_failed']} 项勾稽核验未通过，见“数据核验”页", icon="⚠️")
        if row["yoy_pct"] is not None and (row["doc_id"], "yoy_pct") in flagged:
            st.caption("⚠️ 文件所印同比增长率与数字不符：" + flagged[(row["doc_id"], "yoy_pct")][:80])

st.subheader(f"对比表（金额单位：{f.unit}）")
table = (
    scaled(zh_stage(df), MONEY, f.factor)
    .with_columns(
        (pl.col("pension_subsidy_share").cast(pl.Float64) * 100).round(2).alias("pension_subsidy_share"),
        (pl.col("yoy_pct").cast(pl.Float64) * 100).round(2).alias("yoy_pct"),
        (pl.col("completeness_score").cast(pl.Float64) * 100).round(0).alias("completeness_score"),
    )
    .select(
        [
            "county",
            "unit_name",
            "fiscal_year",
            "stage",
            *MONEY,
            "pension_subsidy_share",
            "yoy_pct",
            "checks_failed",
            "completeness_score",
            "doc_file",
        ]
    )
)
names = {
    "county": "县（区）",
    "unit_name": "单位",
    "fiscal_year": "年度",
    "stage": "阶段",
    "total_revenue": "本年收入合计",
    "total_expenditure": "本年支出合计",
    "basic_expenditure": "基本支出",
    "project_expenditure": "项目支出",
    "personnel_expenditure": "人员经费",
    "public_expenditure": "公用经费",
    "pension_subsidy": "养老补助",
    "sangong_budget": "三公预算",
    "sangong_actual": "三公决算",
    "prior_year_total": "上年数",
    "yoy_change": "同比增减",
    "pension_subsidy_share": "养老补助占比(%)",
    "yoy_pct": "同比(%)",
    "checks_failed": "未通过核验",
    "completeness_score": "完整性(%)",
    "doc_file": "来源文件",
}
table = table.rename({k: (f"{v}（{f.unit}）" if k in MONEY else v) for k, v in names.items()})
show_table(table, f"县域社保预决算对比_{f.unit}", key="overview")
st.caption(
    "空白 = 文件未公开该数；0 = 文件印出 0。同比按数字计算（本年支出合计 − 上年数）÷ 上年数，不照抄文件所印比率。"
)

st.subheader("来源文档")
docs = (
    zh_stage(load("documents", f))
    .with_columns((pl.col("completeness_score").cast(pl.Float64) * 100).round(0))
    .select(
        [
            "county",
            "unit_name",
            "fiscal_year",
            "stage",
            "page_count",
            "files",
            "checks_failed",
            "checks_passed",
            "completeness_score",
        ]
    )
    .rename(
        {
            "county": "县（区）",
            "unit_name": "单位",
            "fiscal_year": "年度",
            "stage": "阶段",
            "page_count": "页数",
            "files": "文件",
            "checks_failed": "核验不符",
            "checks_passed": "核验通过",
            "completeness_score": "完整性(%)",
        }
    )
)
show_table(docs, "来源文档", key="overview-docs")
failed = queries.failed_files(cur)
if not failed.is_empty():
    st.warning("以下文件未能读取（其余文件已正常载入）：")
    st.dataframe(failed.rename({"file_name": "文件", "message": "原因"}), hide_index=True)
