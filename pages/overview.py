"""概览: the focus against its peer group on every measure (value, peer median, p25–p75, rank,
percentile), a card per focus document of the comparison year, the comparison table of the
focus's documents, and the documents behind it. Nothing here grows with the number of peers."""

import polars as pl
import streamlit as st

from pages._compare import fmt
from pages._format import mapped, md, scaled, zh_stage
from pages._shared import county_label, cursor, empty_state, filters, load, peer
from pages._tables import downloads, no_none, show_table
from rules.labels import STAGE_ZH, reason_zh
from rules.measures import (
    HEADLINE_MEASURES,
    MONEY,
    RATE,
    SHARE,
    STATED_CHANGE_ZH,
    format_measure,
    measure_kind,
    measure_label,
    stated_change_keys,
)
from rules.units import money_text
from warehouse import queries
from warehouse.schema import COUNTY_YEAR_MONEY

cur = cursor()
f = filters(cur)
W = st.column_config.Column  # widths in px: shown columns fit 1024 px beside the sidebar
st.title("县域社保预决算概览")
df = load("summary", f)
flags = load("figure_flags", f)
flagged = {(r["doc_id"], r["figure"]): r["messages"] for r in flags.iter_rows(named=True)}
stated = load("stated_changes", f)

if df.is_empty():
    empty_state("没有可显示的文档", "当前筛选条件下没有已载入的预决算公开文件，请调整左侧筛选。")
    st.stop()

# The strict 本年支出合计 YoY is a headline measure; the changes documents state for their own
# headline figures (收支总计 …) follow, each compared only among peers stating the same figure.
OVERVIEW_MEASURES = list(HEADLINE_MEASURES) + stated_change_keys()


def rank_text(r: dict) -> str:
    """第 k / n, or why the value has no rank (held out: a figure it rests on is doubted)."""
    if r["rank"] is None:
        return "不参与排名（数字存疑，见数据核验）" if r.get("held_out") else "—"
    return f"第 {r['rank']} / {r['n']}"


PEER_COLUMNS = ["指标", "焦点值", "排名", "对比组中位数", "p25–p75"]  # on screen; the download has all


def peer_summary() -> None:
    """Every headline measure of the focus in the comparison year beside its peer group."""
    if f.cmp_year is None:
        return
    allm = peer("focus_all_measures", f, stage=f.cmp_stage, year=f.cmp_year)
    allm = allm.filter(pl.col("measure").is_in(OVERVIEW_MEASURES))
    st.subheader(f"与对比组比较：{f.cmp_zh}，对比组 = {f.peer_zh}")
    if allm.is_empty():
        st.info("焦点县在该年度该口径没有可比较的数。")
        return
    order = {m: i for i, m in enumerate(OVERVIEW_MEASURES)}
    rows = [
        {
            "县（区）": r["unit_label"],
            "指标": measure_label(r["measure"]) + (f"（{f.unit}）" if measure_kind(r["measure"]) == MONEY else ""),
            "焦点值": fmt(r["value"], measure_kind(r["measure"]), f),
            "排名": rank_text(r),
            "百分位": None if r["percentile"] is None else round(r["percentile"], 1),
            "对比组中位数": fmt(r["median"], measure_kind(r["measure"]), f),
            "p25–p75": f"{fmt(r['p25'], measure_kind(r['measure']), f)}–{fmt(r['p75'], measure_kind(r['measure']), f)}",
            "_o": order[r["measure"]],
        }
        for r in allm.iter_rows(named=True)
    ]
    table = pl.DataFrame(rows).sort(["县（区）", "_o"]).drop("_o")
    # One table per focus county without a county column (the county is the table's heading), the
    # peer median headed 中位数 and the percentile left to the download: so every column fits the
    # main area of a 1024 px screen beside the sidebar (564 px). One download holds all of it.
    counties = table["县（区）"].unique(maintain_order=True).to_list()
    for county in counties:
        if len(counties) > 1 or len(f.focus_labels) > 1:  # whose table it is, when several are in focus
            st.markdown(f"**{md(county)}**")
        st.dataframe(
            no_none(table.filter(pl.col("县（区）") == county)),
            hide_index=True,
            width="stretch",
            column_order=PEER_COLUMNS,
            column_config={"对比组中位数": st.column_config.TextColumn("中位数", help="对比组中位数")},
        )
    downloads(table, f"焦点与对比组_{f.cmp_year}_{f.peer_zh}", key="overview-peers")
    st.caption(
        "排名第 1 = 最高；中位数、p25–p75 为对比组的；百分位（对比组中低于它的比例）见下载的表格。"
        "未公开的数不参与统计（不当作 0）。"
    )


peer_summary()
# Cards: the focus documents of the comparison year (at most five counties x two stages).
cards = df.filter(pl.col("fiscal_year") == f.cmp_year) if f.cmp_year is not None else df
st.subheader(f"焦点县 {f.cmp_year or ''} 年文件")


def money(v, factor=f.factor) -> str:
    return money_text(v, factor)


def flag(doc_id, figure) -> str:
    return " ⚠️" if (doc_id, figure) in flagged else ""


cols = st.columns(max(1, min(3, cards.height)))
for i, row in enumerate(cards.iter_rows(named=True)):
    with cols[i % len(cols)].container(border=True):
        st.markdown(f"**{md(county_label(row))}** · {md(row['unit_name'])}")
        delta = None
        if row["yoy_frac"] is not None:
            delta = f"{format_measure(row['yoy_frac'], RATE)} 同比"
        st.metric(
            f"本年支出合计（{f.unit}）" + flag(row["doc_id"], "total_expenditure"),
            money(row["total_expenditure_yuan"]),
            delta=delta,
            help=md(flagged.get((row["doc_id"], "total_expenditure"))) or None,
        )
        said = stated.filter(pl.col("doc_id") == row["doc_id"])
        if said.height:
            st.markdown(
                f"**{STATED_CHANGE_ZH}**："
                + "；".join(
                    f"{md(r['figure_zh'])} {format_measure(r['pct_signed_frac'], RATE)}"
                    for r in said.iter_rows(named=True)
                )
            )
        # Metrics as wide as their figures, wrapping onto the next line: two fixed half-columns of a
        # card cut "1,393.01" to "1,39…" at 1024 px.
        figs = st.container(horizontal=True, gap="medium")
        figs.metric(f"基本支出（{f.unit}）", money(row["basic_expenditure_yuan"]), width="content")
        figs.metric(f"项目支出（{f.unit}）", money(row["project_expenditure_yuan"]), width="content")
        figs.metric(
            "养老补助占比",
            format_measure(row["pension_share_frac"], SHARE),
            help="养老补助（不含单位自身缴费）÷ 本年支出合计",
            width="content",
        )
        sg = row["sangong_actual_yuan"] if row["stage"] == "final" else row["sangong_budget_yuan"]
        figs.metric(f"三公{STAGE_ZH.get(row['stage'], '')}（{f.unit}）", money(sg), width="content")
        if row["checks_failed"]:
            st.warning(f"{row['checks_failed']} 项勾稽核验未通过，见“数据核验”页", icon="⚠️")
        if row["yoy_frac"] is not None and (row["doc_id"], "yoy_pct") in flagged:
            st.caption("⚠️ 文件所印同比增长率与数字不符：" + md(flagged[(row["doc_id"], "yoy_pct")][:80]))

st.subheader(f"焦点县各年度对比表（金额单位：{f.unit}）")
table = (
    scaled(zh_stage(df), COUNTY_YEAR_MONEY, f.factor)
    .with_columns(
        (pl.col("pension_share_frac").cast(pl.Float64) * 100).round(2).alias("pension_share_frac"),
        (pl.col("yoy_frac").cast(pl.Float64) * 100).round(2).alias("yoy_frac"),
        (pl.col("completeness_score").cast(pl.Float64) * 100).round(0).alias("completeness_score"),
    )
    .select(
        [
            "county",
            "unit_name",
            "fiscal_year",
            "stage",
            *COUNTY_YEAR_MONEY,
            "pension_share_frac",
            "yoy_frac",
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
    # Short table headers (the full names are rules.measures.FIGURE_ZH); money in the chosen unit.
    "total_revenue_yuan": "本年收入合计",
    "total_expenditure_yuan": "本年支出合计",
    "basic_expenditure_yuan": "基本支出",
    "project_expenditure_yuan": "项目支出",
    "personnel_expenditure_yuan": "人员经费",
    "public_expenditure_yuan": "公用经费",
    "pension_subsidy_yuan": "养老补助",
    "sangong_budget_yuan": "三公预算",
    "sangong_actual_yuan": "三公决算",
    "prior_year_total_yuan": "上年数",
    "yoy_change_yuan": "同比增减",
    "pension_share_frac": "养老补助占比(%)",
    "yoy_frac": "同比(%)",
    "checks_failed": "未通过核验",
    "completeness_score": "完整性(%)",
    "doc_file": "来源文件",
}
table = table.rename({k: (f"{v}（{f.unit}）" if k in COUNTY_YEAR_MONEY else v) for k, v in names.items()})
money = f"（{f.unit}）"
# On screen the totals and the year-over-year change (1024 px beside the sidebar: 564 px); every
# other figure, the check count, completeness and the file are in the download.
show_table(
    table,
    f"县域社保预决算对比_{f.unit}",
    key="overview",
    column_order=["县（区）", "年度", "阶段", f"本年支出合计{money}", f"基本支出{money}", f"项目支出{money}", "同比(%)"],
    column_config={
        "县（区）": W(width=85),
        "年度": W(width=50),
        "阶段": W(width=50),
        f"本年支出合计{money}": W("支出合计", width=95, help=f"本年支出合计{money}"),
        f"基本支出{money}": W("基本支出", width=90, help=f"基本支出{money}"),
        f"项目支出{money}": W("项目支出", width=90, help=f"项目支出{money}"),
        "同比(%)": W(width=65),
    },
)
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
show_table(
    docs,
    "来源文档",
    key="overview-docs",
    column_order=["县（区）", "年度", "阶段", "页数", "核验不符", "核验通过", "完整性(%)", "文件"],
    column_config={
        "县（区）": W(width=85),
        "年度": W(width=50),
        "阶段": W(width=50),
        "页数": W(width=45),
        "核验不符": W(width=70),
        "核验通过": W(width=70),
        "完整性(%)": W(width=80),
        "文件": W(width=110),
    },
)
failed = queries.failed_files(cur)
if not failed.is_empty():
    st.warning("以下文件未能读取（其余文件已正常载入）：")
    reasons = failed.with_columns(mapped(failed, "message", reason_zh))
    st.dataframe(
        reasons.rename({"file_name": "文件", "message": "原因"}),
        hide_index=True,
        width="stretch",
        column_config={"文件": W(width=170), "原因": W(width=390)},  # a long reason is cut, not scrolled to
    )
