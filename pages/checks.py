"""数据核验: the 勾稽 check results, filterable, each with its source location; completeness."""

import polars as pl
import streamlit as st

from pages._format import label, mapped, md, where, zh_stage
from pages._shared import cursor, empty_state, filters, load
from pages._tables import rows_height, show_table
from rules.labels import (
    CHECK_GROUP_ZH,
    CHECK_NAME_ZH,
    CHECK_STATUS_ZH,
    COMPLETENESS_STATUS_ZH,
    SEVERITY_ZH,
    STAGE_ZH,
    keys_to_zh,
)

cur = cursor()
f = filters(cur)
st.title("数据核验（勾稽关系）")
st.caption(
    "每项核验都写明规则与容差：以元印到分的数必须精确相等；以万元印出的数允许各项四舍五入的误差；百分比按其印出的位数比较。"
)
df = load("checks", f)
if df.is_empty():
    empty_state("没有核验结果", "当前筛选条件下没有已载入的文件。")
    st.stop()

c1, c2, c3 = st.columns(3)
status = c1.multiselect(
    "结果",
    list(CHECK_STATUS_ZH),
    default=["fail"],
    format_func=CHECK_STATUS_ZH.get,
    key="check_status",
    bind="query-params",
)
severity = c2.multiselect(
    "严重程度",
    list(SEVERITY_ZH),
    format_func=SEVERITY_ZH.get,
    key="check_severity",
    placeholder="全部",
    bind="query-params",
)
group = c3.multiselect(
    "类别",
    list(CHECK_GROUP_ZH),
    format_func=CHECK_GROUP_ZH.get,
    key="check_group",
    placeholder="全部",
    bind="query-params",
)
sel = df
if status:
    sel = sel.filter(pl.col("status").is_in(status))
if severity:
    sel = sel.filter(pl.col("severity").is_in(severity))
if group:
    sel = sel.filter(pl.col("check_group").is_in(group))

counts = df.group_by("status").len()
m = dict(zip(counts["status"], counts["len"]))
a, b, c = st.columns(3)
a.metric("不符", m.get("fail", 0))
b.metric("通过", m.get("pass", 0))
c.metric("不适用", m.get("not_applicable", 0))

if sel.is_empty():
    empty_state("没有符合条件的核验", "所选文件在这些条件下没有核验结果（例如没有不符项）。")
else:
    table = (
        zh_stage(sel)
        .with_columns(
            pl.col("status").replace_strict(CHECK_STATUS_ZH),
            pl.col("severity").replace_strict(SEVERITY_ZH),
            pl.col("check_group").replace_strict(CHECK_GROUP_ZH, default=pl.col("check_group")),
            pl.col("check_name").replace_strict(CHECK_NAME_ZH, default=pl.col("check_name")),
            mapped(sel, "item", keys_to_zh),
            mapped(sel, "message", keys_to_zh),
            where(True),
        )
        .select(
            [
                "county",
                "fiscal_year",
                "stage",
                "status",
                "severity",
                "check_group",
                "check_name",
                "item",
                "message",
                "printed_value",
                "implied_value",
                "difference",
                "value_unit",
                "tolerance_rule",
                "where",
                "evidence",
            ]
        )
        .rename(
            {
                "county": "县（区）",
                "fiscal_year": "年度",
                "stage": "阶段",
                "status": "结果",
                "severity": "严重程度",
                "check_group": "类别",
                "check_name": "核验规则",
                "item": "核验项",
                "message": "说明",
                "printed_value": "印出数",
                "implied_value": "推算数",
                "difference": "差额",
                "value_unit": "单位",
                "tolerance_rule": "规则与容差",
                "where": "出处",
                "evidence": "原文",
            }
        )
    )
    # On screen (1024 px beside the sidebar: 564 px): the document, how severe, the rule, what it
    # found and where — 结果 only when more than one result is shown; the figures, the tolerance and
    # the source text are in the download, with every other column.
    W = st.column_config.Column
    places = sel.select(
        label(sel)["label"].alias("文件"),
        (
            "第"
            + pl.col("page").cast(pl.Utf8)
            + "页"
            + pl.when(pl.col("line").is_not_null())
            .then("第" + pl.col("line").cast(pl.Utf8) + "行")
            .otherwise(pl.lit(""))
        ).alias("位置"),
    )
    shown = ["文件", *(["结果"] if sel["status"].n_unique() > 1 else []), "严重程度", "核验规则", "说明", "位置"]
    show_table(
        pl.concat([table, places], how="horizontal"),
        "勾稽核验结果",
        key="checks",
        height=rows_height(table.height),
        column_order=shown,
        column_config={
            "文件": W(width=110),
            "结果": W(width=45),
            "严重程度": W("程度", width=45, help="严重程度"),
            "核验规则": W(width=130),
            "说明": W(width=185 if len(shown) == 5 else 140),
            "位置": W(width=90),
        },
        export=table,
    )
    st.caption(
        "点单元格可看全文；印出数、推算数、差额、规则与容差和原文见下载的表格。出处可在“来源文件”页按文件、页、行查看原文。"
    )

st.subheader("公开完整性（财预〔2016〕143号）")
comp = load("completeness", f)
docs = load("documents", f)
recent = docs.sort("fiscal_year", descending=True).head(10)  # the latest ten; all in the table below
# Metrics as wide as their labels, wrapping onto further rows: five fixed columns cut
# "七星关区 2024预算" to "七星关区 2024…" at 1024 px.
scores = st.container(horizontal=True, gap="medium")
for r in recent.iter_rows(named=True):
    score = r["completeness_score"]
    scores.metric(
        f"{md(r['county'] or r['unit_name'])} {r['fiscal_year']}{STAGE_ZH.get(r['stage'], '')}",
        "—" if score is None else f"{float(score) * 100:.0f}%",
        width="content",
    )
show_table(
    zh_stage(comp)
    .with_columns(pl.col("status").replace_strict(COMPLETENESS_STATUS_ZH))
    .rename(
        {
            "county": "县（区）",
            "fiscal_year": "年度",
            "stage": "阶段",
            "item_zh": "要求项",
            "status": "状态",
            "evidence": "依据",
        }
    ),
    "公开完整性",
    key="completeness",
    height=360,
    column_config={
        "县（区）": st.column_config.Column(width=90),
        "年度": st.column_config.Column(width=50),
        "阶段": st.column_config.Column(width=50),
        "要求项": st.column_config.Column(width=170),
        "状态": st.column_config.Column(width=60),
        "依据": st.column_config.Column(width=140),
    },
)
