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
from rules.labels import PEER_MODE_ZH, STAGE_ZH, TOPIC_ZH, place_text
from rules.measures import (
    FIGURE_ZH,
    HEADLINE_MEASURES,
    measure_kind,
    measure_label,
    stated_change_keys,
    yuan_column,
)
from rules.units import DEFAULT_DISPLAY_UNIT, UNIT_FACTORS, money_text
from warehouse import queries

# The figures a brief lists, in order (names from rules.measures.FIGURE_ZH; the summary holds each
# in the column yuan_column(key)).
BRIEF_FIGURES = (
    "total_expenditure",
    "basic_expenditure",
    "project_expenditure",
    "personnel_expenditure",
    "public_expenditure",
    "pension_subsidy",
    "sangong_budget",
    "sangong_actual",
)
# The figures the brief's chart draws.
CHART_FIGURES = BRIEF_FIGURES[:6]


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
    peer_zh: str = PEER_MODE_ZH["all"]
    # The changes the document states for its headline figures (收支总计 +11.57 % …), beside the
    # strict 本年支出合计 YoY of `rows`: figure_zh, pct_signed_frac, change_signed_yuan, where.
    stated: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.county

    @property
    def primary_stage(self) -> str:
        return "final" if "final" in self.stages else self.stages[0]


def _prior_summary(cur, county: str, year: int, stage: str) -> dict | None:
    df = queries.filtered(cur, "summary", [county], [year - 1], stage)
    return df.row(0, named=True) if df.height else None  # county: a unit key here


def peer_rows(cur, unit_key: str, year: int, stage: str, mode: str = "all", picked=()) -> list[dict]:
    """The focus's headline measures beside its peer group: the query and the measures the overview uses."""
    df = queries.peer_query(cur, "focus_all_measures", [unit_key], mode, picked, stage=stage, year=year)
    order = {m: i for i, m in enumerate([*HEADLINE_MEASURES, *stated_change_keys()])}
    rows = [r for r in df.to_dicts() if r["measure"] in order]
    for r in rows:
        r["label"], r["kind"] = measure_label(r["measure"]), measure_kind(r["measure"])
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
    for key in BRIEF_FIGURES:
        col = yuan_column(key)
        this = primary.get(col)
        last = prior.get(col) if prior else None
        last_source = f"{year - 1}年{STAGE_ZH[primary['stage']]}文件" if last is not None else None
        if key == "total_expenditure" and last is None and primary["prior_year_total_yuan"] is not None:
            last, last_source = primary["prior_year_total_yuan"], "本文件所述上年数"
        if last is None and key in topic_of:
            hit = stated_priors.filter(pl.col("topic") == topic_of[key])
            if hit.height:
                last, last_source = hit["amount_yuan"][0], "本文件所述上年数"
        change = None if this is None or last is None else this - last
        pct = None if change is None or not last else change / last
        if key == "total_expenditure" and last is not None and last == primary["prior_year_total_yuan"]:
            pct = primary["yoy_frac"]  # the warehouse's YoY, as the pages and their CSV show it
        rows.append(
            dict(
                key=key,
                name=FIGURE_ZH[key],
                this=this,
                other=other.get(col) if other else None,
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
                where=place_text(r["source_file"], r["page"], r["line"]),
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
    stated = [
        dict(r, where=place_text(r["source_file"], r["page"], r["line"]))
        for r in queries.filtered(cur, "stated_changes", [unit_key], [year], primary["stage"]).to_dicts()
    ]
    return Brief(
        county=county,
        year=year,
        unit_name=primary["unit_name"],
        stages=list(by_stage),
        rows=rows,
        changes=unique[:6],
        failed_checks=checks.to_dicts(),
        pension=pension.filter(pl.col("counted")).to_dicts(),
        pension_share=primary["pension_share_frac"],
        sangong=sangong.to_dicts(),
        sources=[
            f"{d['unit_name']} {d['fiscal_year']}年{STAGE_ZH.get(d['stage'], '')}：{d['files']}"
            for d in docs.to_dicts()
        ],
        warehouse=warehouse,
        peers=peer_rows(cur, unit_key, year, primary["stage"], peer_mode, picked),
        peer_zh=PEER_MODE_ZH.get(peer_mode, peer_mode),
        stated=stated,
    )


def brief_chart(
    b: Brief, unit: str = DEFAULT_DISPLAY_UNIT, factor: Decimal = UNIT_FACTORS[DEFAULT_DISPLAY_UNIT]
) -> go.Figure:
    """Key figures this year beside last year (and the other stage where both exist)."""
    shown = [r for r in b.rows if r["key"] in CHART_FIGURES]
    names = [plain(r["name"]) for r in shown]
    fig = go.Figure()
    series = [(f"{b.year - 1}年", "prior", COLORS[7]), (f"{b.year}年{STAGE_ZH[b.primary_stage]}", "this", COLORS[0])]
    if any(r["other"] is not None for r in shown):
        series.insert(1, (f"{b.year}年预算", "other", COLORS[1]))
    peak = 0.0
    for label, key, color in series:
        vals = [None if r[key] is None else float(r[key]) / float(factor) for r in shown]
        peak = max([peak] + [abs(v) for v in vals if v is not None])
        # Labels stand upright above their bars: side by side, grouped bars' labels ran together
        # ("2,538.652,558.652,571.18"); upright, each is as wide as one line of text and no wider
        # than its bar.
        fig.add_bar(
            x=names,
            y=vals,
            name=label,
            marker_color=color,
            text=["" if r[key] is None else money_text(r[key], factor) for r in shown],
            textposition="outside",
            textangle=-90,
            textfont=dict(size=14),
            cliponaxis=False,
        )
    fig.update_layout(barmode="group", uniformtext=dict(minsize=14, mode="show"))
    if peak:
        fig.update_yaxes(range=[0, peak * 1.45])  # room above the tallest bar for its upright label
    style(
        fig,
        title=f"{b.county} {b.year}年 主要支出（{unit}）",
        unit=unit,
        source="；".join(b.sources)[:160],
        height=520,
        note="上年数取上年文件；无上年文件时取本文件情况说明所述数（本年数 − 增减额）",
    )
    return fig


def meeting_chart(
    briefs: list[Brief], unit: str = DEFAULT_DISPLAY_UNIT, factor: Decimal = UNIT_FACTORS[DEFAULT_DISPLAY_UNIT]
) -> go.Figure:
    """The counties of a meeting side by side on one y scale: each key figure, one bar per county
    (at the year and stage it is shown in), labels upright, every text at least 14 px."""
    fig = go.Figure()
    peak = 0.0
    for i, b in enumerate(briefs):
        shown = [r for r in b.rows if r["key"] in CHART_FIGURES]
        vals = [None if r["this"] is None else float(r["this"]) / float(factor) for r in shown]
        peak = max([peak] + [abs(v) for v in vals if v is not None])
        fig.add_bar(
            x=[plain(r["name"]) for r in shown],
            y=vals,
            name=plain(f"{b.county} {b.year}年{STAGE_ZH[b.primary_stage]}"),
            marker_color=COLORS[i % len(COLORS)],
            text=["未公开" if r["this"] is None else money_text(r["this"], factor) for r in shown],
            textposition="outside",
            textangle=-90,
            textfont=dict(size=14),
            cliponaxis=False,
        )
    fig.update_layout(barmode="group", uniformtext=dict(minsize=14, mode="show"))
    style(
        fig,
        title=f"主要支出（{unit}，同一纵轴）",
        unit=unit,
        source="各县部门预决算公开；每县取所示年度与阶段",
        height=560,
        note="未公开：文件没有给出该数（不画柱，不当作 0）",
    )
    fig.update_annotations(font=dict(size=14))
    fig.update_xaxes(tickfont=dict(size=16))
    if peak:
        fig.update_yaxes(range=[0, peak * 1.45])
    return fig
