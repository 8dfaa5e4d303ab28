"""三公经费: budget and actual by component across counties and years. A printed zero is drawn as a
zero with its label; a figure the document does not disclose is drawn as an empty hatched bar. The
total over each stack is the warehouse's (int_sangong: printed, else the sum of all four components),
the same figure the comparison above, the overview and the county report show."""

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from pages._charts import COLORS, NOT_DISCLOSED_PATTERN, short_ticks, show, style
from pages._compare import cap_docs, compare, focus_documents
from pages._format import chart_text, label, mapped, zh_stage
from pages._shared import cursor, doc_line, empty_state, filters, load
from pages._tables import show_table
from rules.labels import SANGONG_COMPONENTS, SANGONG_KIND_ZH
from rules.units import money_text

MAX_LABELLED_STACKS = 12  # beyond, the labels of neighbouring stacks would meet: hover and the table say it
ROW = {"budget": 0.04, "actual": 0.15}  # label rows above a stack (share of the axis): 预算 low, 决算 high


def stack_labels(part: pl.DataFrame, labels_: list[str], kind_zh: str) -> tuple[list, list]:
    """Per stack of one kind: its height (None = no document of this kind) and its label text."""
    totals, texts = [], []
    for lbl in labels_:
        rows = part.filter(pl.col("label") == lbl)
        total = rows.filter(pl.col("component") == "total")["amount_yuan"].drop_nulls()
        value = total[0] if total.len() else None
        if rows.is_empty():
            totals.append(None)
            texts.append("")
        else:
            totals.append(0 if value is None else float(value) / float(f.factor))
            texts.append(f"{kind_zh} {money_text(value, f.factor)}")
    return totals, texts


def add_stack_labels(fig: go.Figure, by_kind: dict, labels_: list[str], top: float) -> None:
    """Labels that never print over each other: the 预算 and 决算 labels of a document sit on two
    rows (so neighbours never share a row); when both say the same ("0.00", "未公开") one label says
    it for both; with more stacks than fit, no labels (hover and the table give every figure)."""
    if len(labels_) > MAX_LABELLED_STACKS:
        return
    if "budget" in by_kind and "actual" in by_kind:
        b_texts, a_texts = by_kind["budget"][1], by_kind["actual"][1]
        for i, (b, a) in enumerate(zip(b_texts, a_texts)):
            if b and a and b.split(" ", 1)[1] == a.split(" ", 1)[1]:
                b_texts[i], a_texts[i] = "预算、决算 " + b.split(" ", 1)[1], ""
    for kind, (totals, texts) in by_kind.items():
        fig.add_scatter(
            x=labels_,
            y=[None if t is None else t + top * ROW[kind] for t in totals],
            text=texts,
            mode="text",
            offsetgroup=kind,
            showlegend=False,
            hoverinfo="skip",
            textfont=dict(size=14),
            cliponaxis=False,  # the first stack's label may reach into the left margin
        )


cur = cursor()
f = filters(cur)
W = st.column_config.Column  # widths in px: shown columns fit 1024 px beside the sidebar
st.title("“三公”经费")
measures = ["sangong_budget", "sangong_actual"] + [
    f"sangong_{k}:{c}" for k in SANGONG_KIND_ZH for c in SANGONG_COMPONENTS
]
compare(f, measures, key="sangong")
with focus_documents("焦点县各文件：“三公”经费预算与决算分项", key="sangong"):
    df = load("sangong", f)
    if df.is_empty():
        empty_state("没有可显示的文档", "当前筛选条件下没有已载入的文件。")
        st.stop()
    docs = cap_docs(df.select(["doc_id", "fiscal_year"]).unique(maintain_order=True))
    df = label(df.filter(pl.col("doc_id").is_in(docs["doc_id"].to_list())))
    df = df.with_columns(mapped(df, "label", chart_text))
    comps = df.filter(pl.col("component") != "total").select(["component", "zh", "ord"]).unique().sort("ord")
    labels_ = df["label"].unique(maintain_order=True).to_list()
    factor = float(f.factor)
    fig = go.Figure()
    top = max([float(v) for v in df["amount_yuan"].drop_nulls()] + [0]) / factor or 1.0
    labels_by_kind: dict[str, tuple[list, list]] = {}
    for (kind, kind_zh), opacity in zip(SANGONG_KIND_ZH.items(), (1.0, 0.5)):
        part = df.filter(pl.col("kind") == kind)
        if part.is_empty():
            continue
        for i, (comp, zh) in enumerate(zip(comps["component"], comps["zh"])):
            rows = {
                r["label"]: r["amount_yuan"] for r in part.filter(pl.col("component") == comp).iter_rows(named=True)
            }
            y = [None if rows.get(lbl) is None else float(rows[lbl]) / factor for lbl in labels_]
            fig.add_bar(
                x=labels_,
                y=y,
                name=zh,
                offsetgroup=kind,
                marker_color=COLORS[i],
                opacity=opacity,
                legendgroup=zh,
                showlegend=kind == "budget",
                hovertemplate="%{x}<br>" + zh + f"（{kind_zh}）：%{{y:,.2f}} {f.unit}<extra></extra>",
            )
        # One label per stack: the warehouse's total, or that the document gives none (no partial sums).
        labels_by_kind[kind] = stack_labels(part, labels_, kind_zh)
    add_stack_labels(fig, labels_by_kind, labels_, top)
    missing = [
        lbl for lbl in labels_ if df.filter((pl.col("label") == lbl) & pl.col("amount_yuan").is_not_null()).is_empty()
    ]
    if missing:
        fig.add_bar(
            x=missing,
            y=[top * 0.25] * len(missing),
            name="未公开",
            offsetgroup="budget",
            marker=dict(color="rgba(0,0,0,0)", pattern=NOT_DISCLOSED_PATTERN, line=dict(color="#9aa3ab", width=1)),
            hoverinfo="skip",
        )
    fig.update_layout(barmode="stack", scattermode="group")
    fig.update_yaxes(range=[0, top * 1.35])
    style(
        fig,
        title="“三公”经费：预算（实色）与决算（浅色）",
        unit=f.unit,
        source="各县 一般公共预算“三公”经费表；表为空时取情况说明所述金额；未印合计时合计为四项之和",
        note="标 0.00：文件印明为 0；虚线空柱：文件未公开（不当作 0）",
    )
    short_ticks(fig, labels_)
    show(
        fig,
        "三公经费_预算与决算",
        f.image_format,
        data=df.select(["county", "fiscal_year", "stage", "zh", "kind", "amount_yuan", "source", "page", "line"]),
        sources=sorted(
            {
                doc_line(r["county"], r["fiscal_year"], r["stage"], r["source"] or "未公开")
                for r in df.iter_rows(named=True)
            }
        ),
    )
    st.caption("标“0.00”：文件印明为 0；虚线空柱与“未公开”：文件没有给出该数（不当作 0）。")

    table = (
        zh_stage(df)
        .with_columns(
            pl.col("kind").replace_strict({k: f"{zh}数" for k, zh in SANGONG_KIND_ZH.items()}),
            pl.Series("amount_yuan", [money_text(v, f.factor) for v in df["amount_yuan"]], dtype=pl.Utf8),
        )
        .select(["county", "fiscal_year", "stage", "zh", "kind", "amount_yuan", "source", "page", "line"])
        .rename(
            {
                "county": "县（区）",
                "fiscal_year": "年度",
                "stage": "阶段",
                "zh": "项目",
                "kind": "口径",
                "amount_yuan": f"金额（{f.unit}）",
                "source": "来源",
                "page": "页",
                "line": "行",
            }
        )
    )
    show_table(
        table,
        f"三公经费_{f.unit}",
        key="sangong",
        # 528 px inside the section at 1024 px: 页 and 行 are in the download.
        column_order=["县（区）", "年度", "阶段", "项目", "口径", f"金额（{f.unit}）", "来源"],
        column_config={
            "县（区）": W(width=80),
            "年度": W(width=50),
            "阶段": W(width=45),
            "项目": W(width=95),
            "口径": W(width=60),
            f"金额（{f.unit}）": W(width=100),
            "来源": W(width=95),
        },
    )
