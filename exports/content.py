"""What a county brief says, for the meeting page and the printed report alike: the key figures
this year beside last year (and 决算 beside 预算 where both exist), the largest stated changes with
the agency's reasons, failed checks, pension share and 三公, and where each figure comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import plotly.graph_objects as go
import polars as pl

from exports.figures import COLORS, style
from warehouse import queries

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
TOPIC_ZH = {
    "total_grand": "收支总计",
    "expenditure": "支出合计",
    "revenue": "收入合计",
    "gpb_expenditure": "一般公共预算支出",
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "sangong_total": "“三公”经费",
    "econ_wages": "工资福利支出",
    "econ_goods_services": "商品和服务支出",
    "econ_family_subsidy": "对个人和家庭的补助",
    "operating_cost": "机关运行经费",
    "sangong_abroad": "因公出国（境）费",
    "sangong_reception": "公务接待费",
    "sangong_vehicle_total": "公务用车购置及运行费",
    "sangong_vehicle_purchase": "公务用车购置费",
    "sangong_vehicle_operation": "公务用车运行维护费",
    "gov_fund": "政府性基金",
    "econ_capital": "资本性支出",
    "econ_debt_interest": "债务利息及费用支出",
    "econ_other": "其他支出",
}
DECREASE = ("减少", "下降", "降低")


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

    @property
    def primary_stage(self) -> str:
        return "final" if "final" in self.stages else self.stages[0]


def _prior_summary(cur, county: str, year: int, stage: str) -> dict | None:
    df = queries.filtered(cur, "summary", [county], [year - 1], stage)
    return df.row(0, named=True) if df.height else None


def county_brief(cur: duckdb.DuckDBPyConnection, county: str, year: int, warehouse: str | None = None) -> Brief:
    summary = queries.filtered(cur, "summary", [county], [year], None)
    if summary.is_empty():
        raise LookupError(f"no disclosure for {county} {year} in the warehouse")
    by_stage = {r["stage"]: r for r in summary.iter_rows(named=True)}
    primary = by_stage.get("final") or by_stage["budget"]
    other = by_stage.get("budget") if "final" in by_stage and "budget" in by_stage else None
    prior = _prior_summary(cur, county, year, primary["stage"])
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
        rows.append(
            dict(
                key=key,
                name=name,
                this=this,
                other=other.get(key) if other else None,
                prior=last,
                prior_source=last_source,
                change=change,
                pct=None if change is None or not last else change / last,
                source=source_of.get(key),
            )
        )
    changes = queries.filtered(cur, "yoy_changes", [county], [year], None)
    top = []
    for r in changes.iter_rows(named=True):
        if r["change_yuan"] in (None, 0):
            continue
        signed = -r["change_yuan"] if r["direction"] in DECREASE else r["change_yuan"]
        pct = (
            None
            if r["pct_printed"] is None
            else (-r["pct_printed"] if r["direction"] in DECREASE else r["pct_printed"])
        )
        top.append(
            dict(
                subject=TOPIC_ZH.get(r["topic"]) or r["subject"],
                change=signed,
                pct=pct,
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
    checks = queries.filtered(cur, "checks", [county], [year], None).filter(pl.col("status") == "fail")
    pension = queries.filtered(cur, "pension_items", [county], [year], primary["stage"])
    pension_tables = sorted({t for t in pension["table_title"].drop_nulls()})
    for r in rows:
        if r["key"] == "pension_subsidy" and pension_tables:
            r["source"] = "、".join(pension_tables) + f"（{primary['doc_file']}）"
    sangong = queries.filtered(cur, "sangong", [county], [year], primary["stage"])
    docs = queries.filtered(cur, "documents", [county], [year], None)
    return Brief(
        county=county,
        year=year,
        unit_name=primary["unit_name"],
        stages=list(by_stage),
        rows=rows,
        changes=unique[:6],
        failed_checks=checks.to_dicts(),
        pension=_counted_pension(pension.to_dicts()),
        pension_share=primary["pension_subsidy_share"],
        sangong=sangong.to_dicts(),
        sources=[
            f"{d['unit_name']} {d['fiscal_year']}年{STAGE_ZH.get(d['stage'], '')}：{d['files']}"
            for d in docs.to_dicts()
        ],
        warehouse=warehouse,
    )


def _counted_pension(items: list[dict]) -> list[dict]:
    """The items the pension figure counts: projects when the document gives project amounts,
    else function lines (the rule of the warehouse view int_pension)."""
    projects = [i for i in items if i["item_kind"] == "project" and i["amount_yuan"] is not None]
    return projects if projects else [i for i in items if i["item_kind"] == "function_line"]


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
    names = [r["name"] for r in shown]
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
