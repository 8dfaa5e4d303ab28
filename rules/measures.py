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

# The change a document states for its own headline figure ("收支总计增加606.99万元，增长11.57%"),
# a measure of its own beside the strict 本年支出合计 YoY (which needs a loaded or stated prior
# 本年支出合计): keyed `stated_yoy_pct:<figure>` by the figure the statement names
# (core_claims.figure), so peers are compared only with peers that state the same figure. Listed
# in the order the pages show them when a document states several.
STATED_CHANGE = "stated_yoy_pct"
STATED_CHANGE_FIGURES: dict[str, str] = {
    "grand_total": "收支总计",
    "fiscal_grand_total": "财政拨款收支总计",
    "gpb_expenditure": "一般公共预算支出",
    "total_expenditure": "本年支出合计",
}
STATED_CHANGE_ZH = "文件所述同比"

# A figure per person (元/人): per resident (census denominator) or per beneficiary.
PER_CAPITA = "per_capita"
PER_CAPITA_UNIT = "元/人"
# Where per-resident denominators come from (warehouse table ref_census_2020; etl/reference/census.py).
CENSUS_TABLE = "ref_census_2020"
CENSUS_NOTE = "2020年第七次全国人口普查（县级常住人口）"
# A beneficiary count a document states: a performance indicator (三级指标) naming a number of people
# (发放人数, 参保人数, 享受人数, 服务人数 …) with its target in 人 (core_performance_indicators).
BENEFICIARY_INDICATOR_WORD = "人数"
BENEFICIARY_UNIT = "人"
BENEFICIARY_NOTE = "受益人数取自文件绩效目标表所列指标值"


@dataclass(frozen=True)
class Measure:
    key: str
    zh: str
    kind: str  # money (元), share (fraction of a whole), rate (signed fraction), per_capita (元/人)
    numerator: str | None = None  # summary column (shares and ratios)
    denominator: str | None = None  # summary figure; for per_capita a population column of CENSUS_TABLE
    final_only: bool = False  # only a 决算 has it
    headline: bool = True  # listed beside the peer group on the overview and in the county brief
    # Source and year of a denominator that is not from the document: printed wherever it is shown.
    denominator_note: str | None = None


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
    Measure(STATED_CHANGE, STATED_CHANGE_ZH, RATE, headline=False),
    Measure(
        "total_per_resident",
        "人均本年支出合计（每位常住人口）",
        PER_CAPITA,
        "total_expenditure",
        "population",
        headline=False,
        denominator_note=CENSUS_NOTE,
    ),
    Measure(
        "pension_per_60plus",
        "养老补助（每位60岁及以上常住人口）",
        PER_CAPITA,
        "pension_subsidy",
        "population_60plus",
        headline=False,
        denominator_note=CENSUS_NOTE,
    ),
    Measure(
        "pension_per_65plus",
        "养老补助（每位65岁及以上常住人口）",
        PER_CAPITA,
        "pension_subsidy",
        "population_65plus",
        headline=False,
        denominator_note=CENSUS_NOTE,
    ),
)
MEASURES: dict[str, Measure] = {m.key: m for m in MEASURE_LIST}
# The headline measures, in order: the overview's peer table and the county brief list these.
HEADLINE_MEASURES: tuple[str, ...] = tuple(m.key for m in MEASURE_LIST if m.headline)
# Shares within one document (numerator and denominator from the same summary row).
DOC_SHARES: tuple[Measure, ...] = tuple(m for m in MEASURE_LIST if m.kind == SHARE and m.key != "execution_rate")
# Figures per resident: a summary figure over a population column of the census reference table.
PER_RESIDENT: tuple[Measure, ...] = tuple(m for m in MEASURE_LIST if m.kind == PER_CAPITA)


def measure_label(key: str, categories: dict[str, str] | None = None) -> str:
    """Chinese label of a measure key, including per-category (`pension_share:x`) and per-component
    (`sangong_budget:reception`) keys."""
    if key in MEASURES:
        return MEASURES[key].zh
    base, _, part = key.partition(":")
    if base == "pension_share":
        return f"养老补助占比·{(categories or {}).get(part, part)}"
    if base == STATED_CHANGE:
        return f"{STATED_CHANGE_ZH}·{STATED_CHANGE_FIGURES.get(part, part)}"
    if base in ("sangong_budget", "sangong_actual"):
        return f"{MEASURES[base].zh}·{SANGONG_COMPONENT_ZH.get(part, part)}"
    return key


def measure_kind(key: str) -> str:
    m = MEASURES.get(key.partition(":")[0])
    return m.kind if m else SHARE


def measure_note(key: str) -> str | None:
    """Source and year of a measure's outside denominator ("2020年第七次全国人口普查…"), to print
    beside it on charts, tables and exports; None when numerator and denominator are the document's."""
    m = MEASURES.get(key.partition(":")[0])
    return m.denominator_note if m else None


def display_scale(kind: str, money_factor=1) -> float:
    """Divide a measure value by this to display it: money in the chosen unit (万元 …), per-person
    figures in 元/人 as they are, fractions as they are (pages format them as %)."""
    return float(money_factor) if kind == MONEY else 1.0


def display_unit(kind: str, money_unit: str) -> str:
    """The unit a measure of this kind is displayed in: the chosen money unit, 元/人, or %."""
    return money_unit if kind == MONEY else PER_CAPITA_UNIT if kind == PER_CAPITA else "%"


def format_measure(v, kind: str, unit_factor=1) -> str:
    """A measure or peer statistic as every page, CSV caption and report prints it: money in the
    chosen unit, shares in %, rates signed; None (not disclosed) as 未公开, never 0."""
    if v is None:
        return "未公开"
    if kind == MONEY:
        return money_text(v, unit_factor)
    if kind == PER_CAPITA:
        return f"{float(v):,.2f} {PER_CAPITA_UNIT}"
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


def sql_per_resident_rows(source: str = "s") -> str:
    """`UNION ALL SELECT doc_id, '<key>', <figure per person> FROM s JOIN ref_census_2020` for every
    per-resident measure (views.sql): NULL (no row) where the county has no census row or the figure
    is not disclosed; documents of units above county level have no county row."""
    return "\n".join(
        f"  UNION ALL SELECT {source}.doc_id, '{m.key}', "
        f"{sql_share(source + '.' + yuan_column(m.numerator), 'p.' + m.denominator)} "
        f"FROM {source} JOIN {CENSUS_TABLE} p ON p.adcode = {source}.adcode"
        for m in PER_RESIDENT
    )


def stated_change_keys() -> list[str]:
    """The measure keys of the stated headline changes, in display order."""
    return [f"{STATED_CHANGE}:{figure}" for figure in STATED_CHANGE_FIGURES]


def measure_figures(key: str) -> tuple[str, ...]:
    """The summary figures a measure is computed from: a figure held out of peer statistics holds
    out every measure built on it (a share through its numerator or its denominator)."""
    base = key.partition(":")[0]
    m = MEASURES.get(base)
    if base in FIGURE_ZH:
        return (base,)
    if m is None or base == STATED_CHANGE:
        return ()
    if base in ("yoy_pct", "execution_rate"):
        return ("total_expenditure",)
    if m.kind == PER_CAPITA:
        return (m.numerator,)
    return tuple(f for f in (m.numerator, m.denominator) if f)


def sql_measure_figures() -> str:
    """`CREATE VIEW int_measure_figures(measure_base, figure)`: measure_figures as SQL (views.sql
    joins a measure key's part before ':' to it)."""
    rows = [(m.key, f) for m in MEASURE_LIST for f in measure_figures(m.key)]
    values = ",\n  ".join(f"('{k}', '{f}')" for k, f in rows)
    return f"CREATE VIEW int_measure_figures(measure_base, figure) AS VALUES\n  {values};"
