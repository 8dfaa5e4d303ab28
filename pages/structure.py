"""支出结构: function classes 类 → 款 → 项 as a sunburst, 基本 vs 项目 and 人员 vs 公用 across counties
(100% bars and amounts), and the economic classification of basic expenditure. Shares are the
warehouse's (mart_measure_values, of the printed whole; none where the whole is not disclosed) and a
pair that does not add up to its whole is flagged by the ETL's own check, at printed precision."""

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from pages._charts import COLORS, short_ticks, show, style
from pages._compare import cap_docs, compare, focus_documents
from pages._format import chart_text, label, mapped, scaled
from pages._shared import cursor, doc_line, empty_state, filters, load
from pages._tables import show_table
from rules.measures import FIGURE_ZH, MEASURES, yuan_column
from rules.units import money_text
from warehouse import queries

cur = cursor()
f = filters(cur)
W = st.column_config.Column  # widths in px: shown columns fit 1024 px beside the sidebar
st.title("支出结构")
compare(f, ["basic_share", "project_share", "personnel_share", "public_share"], key="structure")
with focus_documents("焦点县各文件的支出结构：基本/项目、人员/公用、功能分类、经济分类", key="structure"):
    summary = label(load("summary", f))
    if summary.is_empty():
        empty_state("没有可显示的文档", "当前筛选条件下没有已载入的文件。")
        st.stop()
    summary = cap_docs(summary)
    summary = summary.with_columns(mapped(summary, "label", chart_text))

    mode = st.radio("显示方式", ["占比（100%）", "金额"], horizontal=True, key="structure_mode", bind="query-params")
    # Shares are the warehouse's, of the printed whole (本年支出合计, 基本支出): none where the whole
    # is not disclosed. Whether the parts add up to it is the ETL's check (identity_flags).
    measures = load("doc_measures", f)
    share_of = {(d, m): v for d, m, v in measures.select(["doc_id", "measure", "value"]).iter_rows()}
    failed = load("identity_flags", f)
    pairs = [("basic_share", "project_share"), ("personnel_share", "public_share")]
    c1, c2 = st.columns(2)
    for col, (sa, sb) in zip((c1, c2), pairs):
        fa, fb, whole = MEASURES[sa].numerator, MEASURES[sb].numerator, MEASURES[sa].denominator
        a, b, za, zb = yuan_column(fa), yuan_column(fb), FIGURE_ZH[fa], FIGURE_ZH[fb]
        title = f"{za}与{zb}"
        part = summary.filter(pl.col(a).is_not_null() | pl.col(b).is_not_null())
        with col:
            if part.is_empty():
                empty_state(title, "所选文件未公开这两项。")
                continue
            fig = go.Figure()
            share = mode.startswith("占比")
            for key_, measure, zh, color in ((a, sa, za, COLORS[0]), (b, sb, zb, COLORS[1])):
                y = (
                    [share_of.get((d, measure)) for d in part["doc_id"]]
                    if share
                    else [None if v is None else float(v) / float(f.factor) for v in part[key_]]
                )
                big = max([v for v in y if v is not None] + [0])
                fig.add_bar(
                    x=part["label"],
                    y=y,
                    name=zh,
                    marker_color=color,
                    textposition="inside",
                    text=[
                        "未公开"
                        if v is None
                        else ("" if v < 0.06 * (1 if share else big) else (f"{v:.1%}" if share else money_text(v)))
                        for v in y
                    ],
                    hovertemplate="%{x}<br>" + zh + "：%{y:" + (".2%" if share else ",.2f") + "}<extra></extra>",
                )
            fig.update_layout(barmode="stack")
            style(
                fig,
                title=title,
                unit=f.unit,
                source="各县部门预决算公开 支出表、基本支出表",
                percent=share,
            )
            short_ticks(fig, part["label"].to_list())
            show(
                fig,
                f"{title}_{mode[:2]}",
                f.image_format,
                key=f"pair-{fa}",
                data=part.select(["county", "fiscal_year", "stage", a, b, yuan_column(whole), "doc_file"]),
                sources=[
                    doc_line(r["unit_name"], r["fiscal_year"], r["stage"], r["doc_file"])
                    for r in part.iter_rows(named=True)
                ],
            )
            off = set(failed.filter(pl.col("figure") == whole)["doc_id"])
            gaps = [lbl for d, lbl in zip(part["doc_id"], part["label"]) if d in off]
            if gaps:
                st.caption(
                    f"⚠️ {za}与{zb}之和不等于文件所印{FIGURE_ZH[whole]}：" + "、".join(gaps) + "（见“数据核验”页）"
                )

    st.subheader("功能分类：类 → 款 → 项")
    lines = load("function_lines", f).filter(pl.col("measure") == "total")
    docs = label(lines.select(["doc_id", "county", "fiscal_year", "stage"]).unique(maintain_order=True))
    if docs.is_empty():
        empty_state("功能分类", "所选文件没有按功能分类列示的支出表（例如只公开了绩效目标表或情况说明）。")
    else:
        choice = st.selectbox("文档", docs["label"].to_list(), key="structure_doc", bind="query-params")
        doc_id = docs.filter(pl.col("label") == choice)["doc_id"][0]
        d = lines.filter(pl.col("doc_id") == doc_id)
        codes = {c: v for c, v in zip(d["function_code"], d["amount_yuan"])}
        names = dict(zip(d["function_code"], d["row_label"]))
        ref = dict(queries.run(cur, "function_names").iter_rows())
        # Leaves are the deepest printed lines; parents are completed from the reference catalogue.
        leaves = [c for c in codes if not any(o != c and o.startswith(c) for o in codes)]
        ids, parents, values, labels_ = [], [], [], []
        for leaf in leaves:
            for depth in (3, 5, 7):
                code = leaf[:depth]
                if len(leaf) < depth or code in ids:
                    continue
                ids.append(code)
                parents.append("" if depth == 3 else leaf[: depth - 2])
                labels_.append(chart_text(f"{code} {names.get(code) or ref.get(code, '')}"))
                values.append(float(codes[leaf]) / float(f.factor) if code == leaf else 0)
        fig = go.Figure(
            go.Sunburst(
                ids=ids,
                parents=parents,
                values=values,
                labels=labels_,
                branchvalues="remainder",
                hovertemplate="%{label}<br>%{value:,.2f} " + f.unit + "<extra></extra>",
                insidetextorientation="horizontal",
            )
        )
        style(
            fig,
            title=f"{choice} 支出功能分类",
            unit=f.unit,
            source=f"{d['table_title'][0]}（{d['source_file'][0]}）",
            height=560,
            y_is_amount=False,
        )
        show(fig, f"功能分类_{choice}", f.image_format)
        show_table(
            scaled(
                d.select(["function_code", "row_label", "amount_yuan", "table_title", "page", "line"]),
                ["amount_yuan"],
                f.factor,
            ).rename(
                {
                    "function_code": "科目编码",
                    "row_label": "科目名称",
                    "amount_yuan": f"金额（{f.unit}）",
                    "table_title": "表",
                    "page": "页",
                    "line": "行",
                }
            ),
            f"功能分类_{choice}",
            key="structure-fn",
            column_order=["科目编码", "科目名称", f"金额（{f.unit}）", "页", "行"],  # 表 in the download
            column_config={
                "科目编码": W(width=80),
                "科目名称": W(width=230),
                f"金额（{f.unit}）": W(width=110),
                "页": W(width=45),
                "行": W(width=45),
            },
        )

    st.subheader("经济分类（基本支出）")
    econ = load("econ_lines", f).filter(pl.col("measure").is_in(["total", "personnel", "public"]))
    econ = econ.group_by(["county", "fiscal_year", "stage", "econ_code", "row_label"]).agg(pl.col("amount_yuan").max())
    if econ.is_empty():
        empty_state("经济分类", "所选文件没有基本支出经济分类表。")
    else:
        econ = label(econ)
        docs_all = (
            econ.select(["label", "fiscal_year"]).unique().sort(["fiscal_year", "label"], descending=[True, False])
        )
        kept = docs_all["label"].head(40).to_list()  # at most 40 labels on the axis, latest years first
        econ = econ.filter(pl.col("label").is_in(kept))
        econ = econ.with_columns(
            (pl.col("amount_yuan").cast(pl.Float64) / float(f.factor)).alias("amount"),
            mapped(econ, "label", chart_text),
            mapped(econ, "row_label", chart_text),
        )
        econ = econ.filter(pl.col("amount") > 0)
        docs_ = econ["label"].unique(maintain_order=True).to_list()
        order = econ.group_by("row_label").agg(pl.col("amount").sum()).sort("amount", descending=True)["row_label"]
        fig = go.Figure()
        for i, name in enumerate(order):
            part = dict(
                zip(
                    *econ.filter(pl.col("row_label") == name)
                    .select(["label", "amount"])
                    .to_dict(as_series=False)
                    .values()
                )
            )
            fig.add_bar(
                y=docs_,
                x=[part.get(d) for d in docs_],
                name=name,
                orientation="h",
                marker_color=COLORS[i % len(COLORS)] if i < len(COLORS) else None,
                hovertemplate="%{y}<br>" + name + "：%{x:,.2f} " + f.unit + "<extra></extra>",
            )
        fig.update_layout(barmode="stack")
        style(
            fig,
            title="基本支出经济分类",
            unit=f.unit,
            source="各县 一般公共预算基本支出表 / 基本支出决算明细表",
            height=380 + 30 * len(docs_),
            y_is_amount=False,
        )
        fig.update_xaxes(title_text=f"金额（{f.unit}）", exponentformat="none", separatethousands=True)
        fig.update_layout(
            margin=dict(r=260),
            legend=dict(
                orientation="v", x=1.02, y=1, xanchor="left", yanchor="top", title_text="经济分类", font=dict(size=12)
            ),
        )
        show(fig, "基本支出经济分类", f.image_format)
