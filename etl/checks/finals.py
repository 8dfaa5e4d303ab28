"""决算 checks: the per-line 年初预算/决算 statements against the 支出决算表, 三公 budget vs actual,
and the 绩效自评表 arithmetic (执行率 = 执行数 ÷ 全年预算数, 总分 = Σ指标得分 + 资金得分, Σ分值 = 90)."""

from __future__ import annotations

import re
from decimal import Decimal

from etl.checks import DocView, Result, check, compare, half_unit
from etl.checks.narrative import claim_half_unit
from etl.normalize import key
from rules.units import half_unit as half_unit_of
from rules.units import pct_text, yuan_text


@check("stated_line_final_matches_table")
def stated_line_finals_match_table(v: DocView):
    """ "…社会保险经办机构(项)年初预算为 X 元，支出决算为 Y 元": Y against that 项 in the 支出决算表."""
    lines = v.facts(table_family="expenditure", item_key="function", measure="total")
    for c in v.claims(claim_type="amount"):
        m = re.search(r"\(款\)(.+?)\(项\)", c["sentence"])
        if not m or "决算" not in (c["subject"] or ""):
            continue
        name = key(m.group(1))
        fact = next((f for f in lines if key(f["row_label"]) == name and len(f["function_code"] or "") == 7), None)
        if fact is None:
            continue
        tol = max(claim_half_unit(c), half_unit(fact))
        yield compare(
            "stated_line_final_matches_table",
            "final_vs_budget",
            "medium",
            f"「{m.group(1)}」决算数",
            c["amount_yuan"],
            fact["amount_yuan"],
            tol,
            "文中决算数应等于支出决算表该项",
            f"「{m.group(1)}」决算数 {yuan_text(c['amount_yuan'])} 与支出决算表一致",
            f"「{m.group(1)}」文中决算数 {yuan_text(c['amount_yuan'])}，支出决算表为 {yuan_text(fact['amount_yuan'])}",
            src=c,
        )


@check("sangong_actual_within_budget")
def sangong_budget_vs_actual(v: DocView):
    budget = v.first(table_family="sangong", item_key="sangong_total", measure="budget")
    actual = v.first(table_family="sangong", item_key="sangong_total", measure="actual")
    if budget is None or actual is None:
        return
    over = actual["amount_yuan"] > budget["amount_yuan"]
    yield Result(
        "sangong_actual_within_budget",
        "final_vs_budget",
        "low",
        "fail" if over else "pass",
        "“三公”经费决算数与预算数",
        (
            f"“三公”经费决算 {yuan_text(actual['amount_yuan'])} 超出预算 {yuan_text(budget['amount_yuan'])}"
            if over
            else f"“三公”经费决算 {yuan_text(actual['amount_yuan'])} 未超预算 {yuan_text(budget['amount_yuan'])}"
            f"（执行 {pct_text(actual['amount_yuan'] / budget['amount_yuan']) if budget['amount_yuan'] else '—'}）"
        ),
        actual["amount_yuan"],
        budget["amount_yuan"],
        Decimal(0),
        "决算数不应超过预算数",
        figure="sangong_actual",
    ).at(actual)


@check("self_eval_execution_rate", "self_eval_total_score", "self_eval_weights")
def self_evaluations(v: DocView):
    inds = v.rows.get("core_performance_indicators", [])
    for ev in v.rows.get("core_self_evaluations", []):
        name = ev["project_name"]
        if ev["execution_rate_printed"] is not None and ev["budget_full_year_yuan"]:
            implied = ev["executed_yuan"] / ev["budget_full_year_yuan"]
            rate = ev["execution_rate_printed"]
            # Rate printed as a fraction (0.979): half its last digit, plus the effect of amounts
            # printed in 万元 to two decimals (±50 元 each), the template's unit.
            fen = half_unit_of("万元", 2)
            tol = Decimal("0.5") * Decimal(1).scaleb(rate.normalize().as_tuple().exponent) + implied * (
                fen / ev["executed_yuan"] + fen / ev["budget_full_year_yuan"]
            )
            yield compare(
                "self_eval_execution_rate",
                "self_evaluation",
                "low",
                f"「{name}」执行率",
                rate,
                implied.quantize(Decimal("0.000001")),
                tol.quantize(Decimal("0.000001")),
                "执行率 = 全年执行数 ÷ 全年预算数（按印刷精度）",
                f"「{name}」执行率 {rate} 与 执行数 ÷ 预算数 一致",
                f"「{name}」执行率印为 {rate}，按 {yuan_text(ev['executed_yuan'])} ÷ "
                f"{yuan_text(ev['budget_full_year_yuan'])} 应为 {implied:.4f}",
                unit="比率",
                src=ev,
            )
        own = [i for i in inds if i["scope"] == "self_evaluation" and i["project_name"] == name]
        scores = [i["score"] for i in own if i["score"] is not None]
        weights = [i["weight"] for i in own if i["weight"] is not None]
        if ev["total_score"] is not None and scores and ev["funds_score"] is not None:
            implied = sum(scores) + ev["funds_score"]
            yield compare(
                "self_eval_total_score",
                "self_evaluation",
                "medium",
                f"「{name}」总分",
                ev["total_score"],
                implied,
                Decimal("0.05"),
                "总分 = Σ绩效指标得分 + 资金执行得分（容差0.05分）",
                f"「{name}」总分 {ev['total_score']} = 指标得分 + 资金得分",
                f"「{name}」总分印为 {ev['total_score']}，指标得分 {sum(scores)} + 资金得分 {ev['funds_score']} = {implied}",
                unit="分",
                src=ev,
            )
        if weights and ev["funds_weight"] is not None:
            yield compare(
                "self_eval_weights",
                "self_evaluation",
                "low",
                f"「{name}」分值合计",
                sum(weights) + ev["funds_weight"],
                Decimal(100),
                Decimal(0),
                "指标分值 + 资金分值 = 100",
                f"「{name}」分值合计为 100",
                f"「{name}」分值合计为 {sum(weights) + ev['funds_weight']}，应为 100",
                unit="分",
                src=ev,
            )


@check("self_eval_group_points")
def self_eval_group_points(v: DocView):
    """ "经济效益指标（10 分）" above indicators worth 13 points: the stated points of a 二级指标
    against the sum of its indicators' 分值."""
    groups: dict[tuple, list[dict]] = {}
    for i in v.rows.get("core_performance_indicators", []):
        if i["scope"] == "self_evaluation" and i["weight"] is not None and i["level2"]:
            groups.setdefault((i["project_name"], i["level2"]), []).append(i)
    for (project, level2), inds in groups.items():
        m = re.search(r"[(（]\s*(\d+)\s*分", level2)
        if not m:
            continue
        stated, total = Decimal(m.group(1)), sum(i["weight"] for i in inds)
        yield compare(
            "self_eval_group_points",
            "self_evaluation",
            "low",
            f"「{project}」{re.sub(r'[(（].*', '', level2)}",
            stated,
            total,
            Decimal(0),
            "二级指标标注分值 = 所属三级指标分值之和",
            f"{level2} 与所属指标分值合计 {total} 分一致",
            f"{level2} 标注 {stated} 分，所属指标分值合计 {total} 分",
            unit="分",
            src=inds[0],
        )
