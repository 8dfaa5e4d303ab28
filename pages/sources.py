"""来源文件: each document with its metadata; the provenance of any figure (file, page/line, table,
row) and the source text around it."""

import polars as pl
import streamlit as st

from pages._format import COLUMN_ZH, label, scaled, zh_stage, zh_warnings
from pages._shared import cursor, empty_state, filters, load
from pages._tables import rows_height, show_table
from warehouse import queries

cur = cursor()
f = filters(cur)
st.title("来源文件")
docs = load("documents", f)
if docs.is_empty():
    empty_state("没有文档", "当前筛选条件下没有已载入的文件。")
    st.stop()
docs = zh_warnings(docs)  # once: for the grid, its download and the full text below
W = st.column_config.Column  # widths in px: every shown column fits 564 px (1024 px beside the sidebar)
show_table(
    zh_stage(docs)
    .select(
        [
            "county",
            "prefecture",
            "province",
            "adcode",
            "unit_name",
            "fiscal_year",
            "stage",
            "page_count",
            "files",
            "warnings",
        ]
    )
    .rename(
        {
            "county": "县（区）",
            "prefecture": "地级市",
            "province": "省",
            "adcode": "行政区划代码",
            "unit_name": "单位",
            "fiscal_year": "年度",
            "stage": "阶段",
            "page_count": "页数",
            "files": "文件",
            "warnings": "读取警告",
        }
    ),
    "来源文档",
    key="sources-docs",
    # On screen the document and its files; 地级市, 省, 行政区划代码 and 单位 are in the download.
    column_order=["县（区）", "年度", "阶段", "页数", "文件", "读取警告"],
    column_config={
        "县（区）": W(width=90),
        "年度": W(width=50),
        "阶段": W(width=50),
        "页数": W(width=50),
        "文件": W(width=180),
        "读取警告": W(width=140),
    },
    height=rows_height(docs.height, 320),
)
docs = label(docs)
warned = docs.filter(pl.col("warnings").is_not_null())
if not warned.is_empty():
    # The grid cuts a long warning at 1024 px; here each is whole, as plain text (its table
    # titles are the document's words: never markdown).
    with st.expander(f"读取警告全文（{warned.height} 个文档）"):
        for row in warned.iter_rows(named=True):
            st.text(f"{row['label']}：{row['warnings']}")

st.subheader("数字出处")
choice = st.selectbox("文档", docs["label"].to_list(), key="source_doc", bind="query-params")
doc_id = docs.filter(pl.col("label") == choice)["doc_id"][0]
facts = queries.run(cur, "doc_facts", doc_id=doc_id)
tables = facts["table_title"].unique(maintain_order=True).drop_nulls().to_list()
if not tables:
    empty_state("表格数字", "该文件没有可识别的金额表（例如只有情况说明）。")
    st.stop()
table = st.selectbox("表格", tables, key="source_table", bind="query-params")
sel = facts.filter(pl.col("table_title") == table)
figures = (
    scaled(sel, ["amount_yuan"], f.factor)
    .with_columns(pl.col("measure").replace_strict(COLUMN_ZH, default=pl.col("measure")))
    .rename(
        {
            "table_title": "表",
            "row_label": "行",
            "function_code": "功能科目",
            "econ_code": "经济科目",
            "measure": "列",
            "amount_yuan": f"金额（{f.unit}）",
            "amount_printed": "原文",
            "printed_unit": "原文单位",
            "source_file": "文件",
            "page": "页",
            "line": "行号",
            "row_index": "表内行",
        }
    )
)
# On screen: the row, its code (功能 or 经济科目), the column, the amount, as printed, and where (the
# table and file are chosen above); the download has every column, each code on its own.
show_table(
    figures.with_columns(pl.coalesce("功能科目", "经济科目").alias("科目编码")),
    f"出处_{choice}_{table}",
    key="sources-facts",
    height=rows_height(sel.height, 320),
    column_order=["行", "科目编码", "列", f"金额（{f.unit}）", "原文", "页", "行号"],
    column_config={
        "行": W(width=130),
        "科目编码": W(width=80),
        "列": W(width=80),
        f"金额（{f.unit}）": W(width=100),
        "原文": W(width=80),
        "页": W(width=35),
        "行号": W(width=50),
    },
    export=figures,
)

st.subheader("原文上下文")
c1, c2 = st.columns(2)
page = c1.number_input("页", min_value=1, value=int(sel["page"][0]), key="ctx_page")
line_default = sel["line"][0]
line = c2.number_input(
    "行（文本文件）", min_value=0, value=int(line_default or 0), key="ctx_line", help="PDF 文件按页显示，行号填 0"
)
ctx = queries.run(cur, "source_context", doc_id=doc_id, page=int(page), line=int(line) or None, radius=6)
if ctx.is_empty():
    empty_state("原文", "该页（行）附近没有提取到文字。")
else:
    st.code("\n".join(f"{'' if ln is None else ln:>5}  {t}" for ln, t in ctx.iter_rows()), language=None)
