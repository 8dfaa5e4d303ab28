"""The same figure in different tables: 收支总表, 支出表, 财政拨款收支总表, 一般公共预算支出表, 收入表;
项目支出表 合计 = 项目支出; 基本支出表 合计 = 基本支出."""

from __future__ import annotations

import re
from decimal import Decimal

from etl.checks import ZERO, DocView, Result, check, compare, half_unit
from etl.normalize import UNIT_PATTERN
from rules.templates import FAMILY_NAMES_ZH, FISCAL_REVENUE_WORDS, NON_GPB_FISCAL_WORDS
from rules.units import UNIT_FACTORS, yuan_text

# Table names in messages: the template names, the 基本支出表 by its short name.
NAMES = dict(FAMILY_NAMES_ZH, basic_econ="基本支出表")


def same(name: str, item: str, a: dict | None, b: dict | None, *, severity="high", figure=None):
    if a is None or b is None:
        return None
    tol = max(half_unit(a), half_unit(b))
    na, nb = NAMES.get(a["table_family"], a["table_family"]), NAMES.get(b["table_family"], b["table_family"])
    return compare(
        name,
        "cross_table",
        severity,
        item,
        a["amount_yuan"],
        b["amount_yuan"],
        tol,
        f"两表同一数字应相等；容差为较粗印刷精度的半个单位 {yuan_text(tol) if tol else '0'}",
        f"{item}：{na}与{nb}一致（{yuan_text(a['amount_yuan'])}）",
        f"{item}：{na}印为 {yuan_text(a['amount_yuan'])}，{nb}印为 {yuan_text(b['amount_yuan'])}",
        figure=figure,
        src=a,
    )


# Which money a table covers: the 收支总表 and 支出表 all of the unit's money, the 财政拨款收支总表
# every 财政拨款, the 一般公共预算支出表 only 一般公共预算 拨款.
SCOPES = {"summary": "all", "expenditure": "all", "fiscal_summary": "fiscal", "gpb_expenditure": "gpb"}


def _nonzero(facts: list[dict]) -> bool:
    return any(f["amount_yuan"] not in (None, ZERO) for f in facts)


def _money_beyond(v: DocView, scope: str) -> bool:
    """Whether the document shows money in `scope` beyond the next narrower one (all > fiscal >
    gpb), so tables of the two scopes may differ:
    a 决算 spending last year's 结转 (收支总表 年初结转 112.88 万元, none of it 财政拨款) prints a
    支出表 合计 above its 一般公共预算支出表 合计 — both right (a real 上海 决算 failed 3 checks)."""
    if scope == "all":
        items = v.facts(table_family="summary", item_key="revenue_item", measure="total")
        if _nonzero([f for f in items if not any(w in f["row_label"] for w in FISCAL_REVENUE_WORDS)]):
            return True
        carry = ("carry_in", "surplus_use")
        outside = sum(
            f["amount_yuan"] or ZERO
            for k in carry
            for f in v.facts(table_family="summary", item_key=k, measure="total")
        )
        inside = sum(
            f["amount_yuan"] or ZERO
            for k in carry
            for f in v.facts(table_family="fiscal_summary", item_key=k, measure="total")
        )
        return outside > inside
    items = v.facts(table_family="fiscal_summary", item_key="revenue_item", measure="total")
    return _nonzero([f for f in items if any(w in f["row_label"] for w in NON_GPB_FISCAL_WORDS)])


def comparable(v: DocView, a: dict, b: dict) -> bool:
    """Two tables print the same 合计 when they cover the same money, or when the document shows
    no money in the wider scope beyond the narrower one."""
    order = ["gpb", "fiscal", "all"]
    lo, hi = sorted((order.index(SCOPES[a["table_family"]]), order.index(SCOPES[b["table_family"]])))
    return not any(_money_beyond(v, order[k]) for k in range(lo + 1, hi + 1))


@check(
    "total_expenditure_across_tables",
    "total_revenue_across_tables",
    "basic_across_tables",
    "project_across_tables",
)
def totals_agree(v: DocView):
    spent = [
        v.first(table_family="summary", item_key="expenditure_total", measure="total"),
        v.first(table_family="fiscal_summary", item_key="expenditure_total", measure="total"),
        v.first(table_family="expenditure", item_key="total", measure="total"),
        v.first(table_family="gpb_expenditure", item_key="total", measure="total"),
    ]
    spent = [f for f in spent if f]
    for i, other in enumerate(spent[1:], start=1):
        base = next((f for f in spent[:i] if comparable(v, f, other)), None)
        r = same("total_expenditure_across_tables", "本年支出合计", base, other, figure="total_expenditure")
        if r:
            yield r
    income = v.first(table_family="income", item_key="total", measure="total")
    revenue = v.first(table_family="summary", item_key="revenue_total", measure="total")
    if income and revenue:
        yield same("total_revenue_across_tables", "本年收入合计", revenue, income, figure="total_revenue")
    for measure, figure, label in (
        ("basic", "basic_expenditure", "基本支出"),
        ("project", "project_expenditure", "项目支出"),
    ):
        a = v.first(table_family="expenditure", item_key="total", measure=measure)
        b = v.first(table_family="gpb_expenditure", item_key="total", measure=measure)
        if a and b and comparable(v, a, b):
            yield same(f"{measure}_across_tables", label, a, b, figure=figure)


@check("class_in_detail_table", "class_across_tables")
def classes_agree(v: DocView):
    """Each 类 in the 收支总表 equals that 类 in the 支出表 (printed row or Σ of its 项)."""
    for summary_family, detail_family in (("summary", "expenditure"), ("fiscal_summary", "gpb_expenditure")):
        for f in v.facts(table_family=summary_family, item_key="function_class", measure="total"):
            code = f["function_code"]
            lines = [
                g
                for g in v.facts(table_family=detail_family, item_key="function", measure="total")
                if g["function_code"] and g["function_code"].startswith(code)
            ]
            if not lines:
                if f["amount_yuan"] not in (None, 0) and v.facts(table_family=detail_family):
                    yield Result(
                        "class_in_detail_table",
                        "cross_table",
                        "medium",
                        "fail",
                        f"功能分类 {code} {f['row_label']}",
                        f"{NAMES[summary_family]}列出 {code} {f['row_label']} {yuan_text(f['amount_yuan'])}，"
                        f"{NAMES[detail_family]}中没有该类科目",
                        f["amount_yuan"],
                        None,
                    ).at(f)
                continue
            printed = next((g for g in lines if g["function_code"] == code), None)
            if printed is None:
                deepest = max(len(g["function_code"]) for g in lines)
                parts = [g for g in lines if len(g["function_code"]) == deepest]
                printed = dict(
                    parts[0],
                    amount_yuan=sum(g["amount_yuan"] for g in parts),
                    printed_decimals=parts[0]["printed_decimals"],
                )
            yield same("class_across_tables", f"功能分类 {code} {f['row_label']}", f, printed)


@check("project_table_total_is_project_expenditure", "econ_total_is_basic_expenditure")
def projects_and_economic_totals(v: DocView):
    proj = v.first(table_family="projects", item_key="total", measure="total")
    exp_project = v.first(table_family="expenditure", item_key="total", measure="project")
    if proj and exp_project:
        yield same(
            "project_table_total_is_project_expenditure",
            "项目支出表合计 = 支出表项目支出",
            proj,
            exp_project,
            figure="project_expenditure",
        )
    econ = v.first(table_family="basic_econ", item_key="total", measure="total")
    gpb_basic = v.first(table_family="gpb_expenditure", item_key="total", measure="basic")
    if econ and gpb_basic:
        yield same(
            "econ_total_is_basic_expenditure",
            "基本支出表合计 = 一般公共预算基本支出",
            econ,
            gpb_basic,
            figure="basic_expenditure",
        )


@check("projects_within_project_expenditure")
def projects_within_project_expenditure(v: DocView):
    """A table that lists projects cannot list more money than the document's 项目支出: a list
    padded with rows that are not projects (or read twice) shows here. A table may list only
    some projects (key projects' 绩效目标), so only a sum above the total fails. Budgets only: a
    决算's self-evaluations list budgets, not the executed 项目支出."""
    if v.info.get("stage") != "budget":
        return
    whole = v.first(table_family="expenditure", item_key="total", measure="project") or v.first(
        table_family="gpb_expenditure", item_key="total", measure="project"
    )
    if whole is None or whole["amount_yuan"] is None:
        return
    lists: dict[str, list[dict]] = {}
    for p in v.rows.get("core_projects", []):
        if p["amount_yuan"] is not None and p["source_family"] in ("projects", "project_performance"):
            lists.setdefault(p["table_title"], []).append(p)
    for title, parts in lists.items():
        listed = sum((p["amount_yuan"] for p in parts), ZERO)
        tol = half_unit(whole) + sum((half_unit(dict(p, printed_decimals=2)) for p in parts), ZERO)
        excess = listed - whole["amount_yuan"]
        ok = excess <= tol
        yield Result(
            "projects_within_project_expenditure",
            "cross_table",
            "high",
            "pass" if ok else "fail",
            f"{title}：所列 {len(parts)} 个项目合计 ≤ 项目支出",
            f"{title}所列项目合计 {yuan_text(listed)}，未超过项目支出 {yuan_text(whole['amount_yuan'])}"
            if ok
            else f"{title}所列 {len(parts)} 个项目合计 {yuan_text(listed)}，超过项目支出 "
            f"{yuan_text(whole['amount_yuan'])} {yuan_text(excess)}：表中可能混入非项目行或重复行",
            listed,
            whole["amount_yuan"],
            tol,
            "Σ所列项目金额 ≤ 项目支出（表可只列部分项目）；容差为各项印刷精度的半个单位之和",
            figure="project_expenditure",
        ).at(dict(table_title=title, page=parts[0]["page"], line=parts[0]["line"], row_index=parts[0]["row_index"]))


# A cost target (成本指标) that is a total for the project, in a money unit, should be of the order
# of the project's amount; off by this factor or more, its unit (or the amount) is misprinted.
COST_TARGET_RATIO_LIMIT = Decimal(100)
_PER_UNIT = re.compile(r"单位成本|每|标准|人均|单价|/")
_MONEY_UNIT = re.compile(rf"({UNIT_PATTERN})$")


def _cost_target_yuan(ind: dict) -> tuple[Decimal, str] | None:
    """The target of a total-cost indicator in 元, with the unit it was printed in; None when it is
    not one (per-unit costs, dates, percentages, qualitative targets)."""
    text = "".join(x or "" for x in (ind.get("level1"), ind.get("level2"), ind.get("level3")))
    if "成本" not in text or ind.get("target_value") is None or _PER_UNIT.search(text):
        return None
    unit = ind.get("target_unit") or ""
    if not unit:  # "总成本万元 | ≤7.14": the unit printed in the indicator's name
        m = _MONEY_UNIT.search(ind.get("level3") or "")
        unit = m.group(1) if m else ""
    if unit not in UNIT_FACTORS or "/" in unit:
        return None
    return ind["target_value"] * UNIT_FACTORS[unit], unit


@check("cost_target_matches_project_amount")
def cost_targets_match_project_amounts(v: DocView):
    """孟津 prints "预算成本 ≤97元" for a 97 万元 project: a total-cost target orders of magnitude
    away from the project's own amount."""
    amounts: dict[str, Decimal] = {}
    for p in v.rows.get("core_projects", []):
        if p.get("project_id") and p["amount_yuan"]:
            amounts.setdefault(p["project_id"], p["amount_yuan"])
    for ind in v.rows.get("core_performance_indicators", []):
        amount = amounts.get(ind.get("project_id"))
        target = _cost_target_yuan(ind)
        if amount is None or target is None or target[0] <= 0:
            continue
        value, unit = target
        ratio = value / amount
        ok = 1 / COST_TARGET_RATIO_LIMIT < ratio < COST_TARGET_RATIO_LIMIT
        hint = ""
        if not ok:
            fits = [
                u
                for u, f in UNIT_FACTORS.items()
                if u != unit and Decimal("0.5") <= ind["target_value"] * f / amount <= 2
            ]
            hint = f"；按「{fits[0]}」计则与项目金额相当，单位可能印错" if fits else ""
        yield Result(
            "cost_target_matches_project_amount",
            "cross_table",
            "medium",
            "pass" if ok else "fail",
            f"「{ind['project_name']}」成本指标「{ind['level3']}」",
            f"成本指标 {ind['target_text']} 与项目金额 {yuan_text(amount)} 量级相符"
            if ok
            else f"成本指标印为 {ind['target_text']}（{yuan_text(value)}），而项目金额为 {yuan_text(amount)}，"
            f"{_ratio_text(ratio)}{hint}",
            value,
            amount,
            None,
            f"总成本指标（按印出的单位）应与项目金额同一量级：比值在 1/{COST_TARGET_RATIO_LIMIT} 与 "
            f"{COST_TARGET_RATIO_LIMIT} 倍之间",
        ).at(ind)


def _ratio_text(ratio: Decimal) -> str:
    return f"只有项目金额的 1/{1 / ratio:,.0f}" if ratio < 1 else f"是项目金额的 {ratio:,.0f} 倍"
