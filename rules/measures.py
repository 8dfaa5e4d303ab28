"""The figures a disclosure yields and the measures pages compare, each defined once.

A *figure* is a column of the summary (本年支出合计, 基本支出 …, in 元). A *measure* is what the
peer comparison ranks: a figure, a share of one figure in another, or a rate. Shares and rates are
defined here as numerator/denominator pairs; warehouse/views.sql is expanded with the SQL generated
from them, and pages, exports and the report read labels, kinds and formatting from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.labels import SANGONG_COMPONENT_ZH
from rules.units import money_text

# A figure's key (check_results.figure, int_doc_figures.figure, these maps) names the figure; the
# warehouse column holding it in 元 is the key with this suffix (total_expenditure ->
# total_expenditure_yuan), and a column holding a fraction (0.1157 for 11.57 %) ends in _frac.
YUAN_SUFFIX = "_yuan"
FRACTION_SUFFIX = "_frac"


def yuan_column(figure: str) -> str:
    """The column that holds a money figure in 元."""
    return figure + YUAN_SUFFIX


# Summary figures (keys; in 元) and their Chinese names, in display order. The compatibility view
# county_year_summary still carries them as column names.
FIGURE_ZH: dict[str, str] = {
    "total_revenue": "本年收入合计",
    "total_expenditure": "本年支出合计",
    "basic_expenditure": "基本支出",
    "project_expenditure": "项目支出",
    "personnel_expenditure": "人员经费",
    "public_expenditure": "公用经费",
    "pension_subsidy": "养老补助",
    "sangong_budget": "“三公”经费预算",
    "sangong_actual": "“三公”经费决算",
    "prior_year_total": "上年本年支出合计",
    "yoy_change": "本年支出合计同比增减额",
}

MONEY, SHARE, RATE = "money", "share", "rate"


@dataclass(frozen=True)
class Measure:
    key: str
    zh: str
    kind: str  # money (元), share (fraction of a whole), rate (signed fraction)
    numerator: str | None = None  # summary column (shares and ratios)
    denominator: str | None = None
    final_only: bool = False  # only a 决算 has it
    headline: bool = True  # listed beside the peer group on the overview and in the county brief


# The headline measures, in the order pages and the report list them.
MEASURE_LIST: tuple[Measure, ...] = (
    Measure("total_expenditure", "本年支出合计", MONEY),
    Measure("yoy_pct", "本年支出合计同比", RATE),
    Measure("basic_share", "基本支出占比", SHARE, "basic_expenditure", "total_expenditure"),
    Measure("project_share", "项目支出占比", SHARE, "project_expenditure", "total_expenditure", headline=False),
    Measure("personnel_share", "人员经费占基本支出", SHARE, "personnel_expenditure", "basic_expenditure"),
    Measure("public_share", "公用经费占基本支出", SHARE, "public_expenditure", "basic_expenditure", headline=False),
    Measure("pension_share", "养老补助占比", SHARE, "pension_subsidy", "total_expenditure"),
    Measure("sangong_budget", "三公经费预算", MONEY),
    Measure("sangong_actual", "三公经费决算", MONEY, final_only=True),
    Measure("execution_rate", "预算执行率（决算÷预算）", SHARE, "total_expenditure", "total_expenditure", True),
)
MEASURES: dict[str, Measure] = {m.key: m for m in MEASURE_LIST}
# The headline measures, in order: the overview's peer table and the county brief list these.
HEADLINE_MEASURES: tuple[str, ...] = tuple(m.key for m in MEASURE_LIST if m.headline)
# Shares within one document (numerator and denominator from the same summary row).
DOC_SHARES: tuple[Measure, ...] = tuple(m for m in MEASURE_LIST if m.kind == SHARE and m.key != "execution_rate")


def measure_label(key: str, categories: dict[str, str] | None = None) -> str:
    """Chinese label of a measure key, including per-category (`pension_share:x`) and per-component
    (`sangong_budget:reception`) keys."""
    if key in MEASURES:
        return MEASURES[key].zh
    base, _, part = key.partition(":")
    if base == "pension_share":
        return f"养老补助占比·{(categories or {}).get(part, part)}"
    if base in ("sangong_budget", "sangong_actual"):
        return f"{MEASURES[base].zh}·{SANGONG_COMPONENT_ZH.get(part, part)}"
    return key


def measure_kind(key: str) -> str:
    m = MEASURES.get(key.partition(":")[0])
    return m.kind if m else SHARE


def format_measure(v, kind: str, unit_factor=1) -> str:
    """A measure or peer statistic as every page, CSV caption and report prints it: money in the
    chosen unit, shares in %, rates signed; None (not disclosed) as 未公开, never 0."""
    if v is None:
        return "未公开"
    if kind == MONEY:
        return money_text(v, unit_factor)
    return f"{float(v) * 100:+.2f}%" if kind == RATE else f"{float(v) * 100:.2f}%"


def sql_share(numerator: str, denominator: str) -> str:
    """A share as DOUBLE, NULL when the denominator is 0 or missing (never a division error)."""
    return f"CAST({numerator} AS DOUBLE) / nullif(CAST({denominator} AS DOUBLE), 0)"


def sql_doc_share_rows(source: str = "s") -> str:
    """`UNION ALL SELECT doc_id, '<key>', <share> FROM s` for every document share (views.sql), over
    a source whose money figures are in `<figure>_yuan` columns."""
    return "\n".join(
        f"  UNION ALL SELECT doc_id, '{m.key}', "
        f"{sql_share(yuan_column(m.numerator), yuan_column(m.denominator))} FROM {source}"
        for m in DOC_SHARES
    )
