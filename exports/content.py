"""What a county brief says, for the meeting page and the printed report alike: the key figures
this year beside last year (and 决算 beside 预算 where both exist), the largest stated changes with
the agency's reasons, failed checks, pension share and 三公, and where each figure comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import plotly.graph_objects as go
import polars as pl

from exports.figures import COLORS, plain, style
from warehouse import queries
from warehouse.schema import TOPIC_ZH

FIGURES = [
    ("total_expenditure", "本年支出合计"),
    ("basic_expenditure", "基本支出"),
    ("project_expenditure", "项目支出"),
    ("personnel_expenditure", "人员经费"),
    ("public_expenditure", "公用经费"),
    ("pension_subsidy", "养老补助"),
    ("sangong_budget", "“三公”经费预算"),
    ("sangong_actual", "“三公”经费决算"),
]
STAGE_ZH = {"budget": "预算", "final": "决算"}


@dataclass
class Brief:
    county: str
    year: int
    unit_name: str | None
    stages: list[str]
    rows: list[dict]  # per figure: name, this (primary stage), other stage, prior year, change, source
    changes: list[dict]
    failed_checks: list[dict]
    pension: list[dict]
    pension_share: Decimal | None
    sangong: list[dict]
    sources: list[str] = field(default_factory=list)
    warehouse: str | None = None
    peers: list[dict] = field(default_factory=list)  # headline measures beside the peer group
    peer_zh: str = "全部已载入"

    @property
    def name(self) -> str:
        return self.county

    @property
    def primary_stage(self) -> str:
        return "final" if "final" in self.stages else self.stages[0]


def _prior_summary(cur, county: str, year: int, stage: str) -> dict | None:
    df = queries.filtered(cur, "summary", [county], [year - 1], stage)
    return df.row(0, named=True) if df.height else None  # county: a unit key here


PEER_MEASURES = ["total_expenditure", "yoy_pct", "basic_share", "personnel_share", "pension_share",
                 "sangong_budget", "sangong_actual", "execution_rate"]
PEER_ZH = {"all": "全部已载入", "province": "同省", "prefecture": "同地市", "size": "规模相近", "list": "手选"}


def format_measure(v, kind: str, factor) -> str:
    """A measure or peer statistic as every page, CSV caption and report prints it: money in the
    chosen unit, shares in %, rates signed; None (not disclosed) as 未公开, never 0."""
    if v is None:
        return "未公开"
    if kind == "money":
        return f"{v / float(factor):,.2f}"
    return f"{v * 100:+.2f}%" if kind == "rate" else f"{v * 100:.2f}%"


def peer_rows(cur, unit_key: str, year: int, stage: str, mode: str = "all", picked=()) -> list[dict]:
    """The focus's headline measures beside its peer group: the query the pages use."""
    df = queries.peer_query(cur, "focus_all_measures", [unit_key], mode, picked, stage=stage, year=year)
    order = {m: i for i, m in enumerate(PEER_MEASURES)}
    rows = [r for r in df.to_dicts() if r["measure"] in order]
    for r in rows:
        r["label"], r["kind"] = queries.measure_label(r["measure"]), queries.measure_kind(r["measure"])
    return sorted(rows, key=lambda r: order[r["measure"]])


def county_brief(
    cur: duckdb.DuckDBPyConnection,
    county: str,
    year: int,
    warehouse: str | None = None,
    peer_mode: str = "all",
    picked=(),
) -> Brief:
    """`county` is a county name or a unit key (adcode)."""
    summary = queries.filtered(cur, "summary", [county], [year], None)
    if summary.is_empty():
        raise LookupError(f"no disclosure for {county} {year} in the warehouse")
    by_stage = {r["stage"]: r for r in summary.iter_rows(named=True)}
    primary = by_stage.get("final") or by_stage["budget"]
    unit_key = primary["unit_key"]
    county = primary["county"] or primary["unit_name"]
    other = by_stage.get("budget") if "final" in by_stage and "budget" in by_stage else None
    prior = _prior_summary(cur, unit_key, year, primary["stage"])
    stated_priors = queries.run(cur, "stated_priors", doc_id=primary["doc_id"])
    sources_df = queries.run(cur, "figure_sources", doc_id=primary["doc_id"])
    source_of = dict(zip(sources_df["figure"], sources_df["source"]))
    topic_of = {
        "total_expenditure": "expenditure",
        "basic_expenditure": "basic",
        "project_expenditure": "project",
        "personnel_expenditure": "personnel",
        "public_expenditure": "public",
    }
    rows = []
    for key, name in FIGURES:
        this = primary.get(key)
        last = prior.get(key) if prior else None
        last_source = f"{year - 1}年{STAGE_ZH[primary['stage']]}文件" if last is not None else None
        if key == "total_expenditure" and last is None and primary["prior_year_total"] is not None:
            last, last_source = primary["prior_year_total"], "本文件所述上年数"
        if last is None and key in topic_of:
            hit = stated_priors.filter(pl.col("topic") == topic_of[key])
            if hit.height:
                last, last_source = hit["amount_yuan"][0], "本文件所述上年数"
        change = None if this is None or last is None else this - last
        pct = None if change is None or not last else change / last
        if key == "total_expenditure" and last is not None and last == primary["prior_year_total"]:
            pct = primary["yoy_pct"]  # the warehouse's YoY, as the pages and their CSV show it
        rows.append(
            dict(
                key=key,
                name=name,
                this=this,
                other=other.get(key) if other else None,
                prior=last,
                prior_source=last_source,
                change=change,
                pct=pct,
                source=source_of.get(key),
            )
        )
    changes = queries.filtered(cur, "yoy_changes", [unit_key], [year], None)
    top = []
    for r in changes.iter_rows(named=True):
        if r["change_yuan"] in (None, 0):
            continue
        top.append(
            dict(
                subject=TOPIC_ZH.get(r["topic"]) or r["subject"],
                change=r["change_signed_yuan"],
                pct=r["pct_printed_signed"],
                reason=r["reason"],
                where=f"{r['source_file']} 第{r['page']}页" + (f" 第{r['line']}行" if r["line"] else ""),
            )
        )
    top.sort(key=lambda c: abs(c["change"]), reverse=True)
    seen, unique = set(), []
    for c in top:
        if (c["subject"], c["change"]) not in seen:
            seen.add((c["subject"], c["change"]))
            unique.append(c)
    checks = queries.filtered(cur, "checks", [unit_key], [year], None).filter(pl.col("status") == "fail")
    pension = queries.filtered(cur, "pension_items", [unit_key], [year], primary["stage"])
    pension_tables = sorted({t for t in pension["table_title"].drop_nulls()})
    for r in rows:
        if r["key"] == "pension_subsidy" and pension_tables:
            r["source"] = "、".join(pension_tables) + f"（{primary['doc_file']}）"
    sangong = queries.filtered(cur, "sangong", [unit_key], [year], primary["stage"])
    docs = queries.filtered(cur, "documents", [unit_key], [year], None)
    return Brief(
        county=county,
        year=year,
        unit_name=primary["unit_name"],
        stages=list(by_stage),
        rows=rows,
        changes=unique[:6],
        failed_checks=checks.to_dicts(),
        pension=pension.filter(pl.col("counted")).to_dicts(),
        pension_share=primary["pension_subsidy_share"],
        sangong=sangong.to_dicts(),
        sources=[
            f"{d['unit_name']} {d['fiscal_year']}年{STAGE_ZH.get(d['stage'], '')}：{d['files']}"
            for d in docs.to_dicts()
        ],
        warehouse=warehouse,
        peers=peer_rows(cur, unit_key, year, primary["stage"], peer_mode, picked),
        peer_zh=PEER_ZH.get(peer_mode, peer_mode),
    )


def brief_chart(b: Brief, unit: str = "万元", factor: Decimal = Decimal(10000)) -> go.Figure:
    """Key figures this year beside last year (and the other stage where both exist)."""
    shown = [
        r
        for r in b.rows
        if r["key"]
        in (
            "total_expenditure",
            "basic_expenditure",
            "project_expenditure",
            "personnel_expenditure",
            "public_expenditure",
            "pension_subsidy",
        )
    ]
    names = [plain(r["name"]) for r in shown]
    fig = go.Figure()
    series = [(f"{b.year - 1}年", "prior", COLORS[7]), (f"{b.year}年{STAGE_ZH[b.primary_stage]}", "this", COLORS[0])]
    if any(r["other"] is not None for r in shown):
        series.insert(1, (f"{b.year}年预算", "other", COLORS[1]))
    for label, key, color in series:
        vals = [None if r[key] is None else float(r[key] / factor) for r in shown]
        fig.add_bar(
            x=names,
            y=vals,
            name=label,
            marker_color=color,
            text=["" if v is None else f"{v:,.2f}" for v in vals],
            textposition="outside",
        )
    fig.update_layout(barmode="group")
    style(
        fig,
        title=f"{b.county} {b.year}年 主要支出（{unit}）",
        unit=unit,
        source="；".join(b.sources)[:160],
        height=520,
        note="上年数取上年文件；无上年文件时取本文件情况说明所述数（本年数 − 增减额）",
    )
    return fig
