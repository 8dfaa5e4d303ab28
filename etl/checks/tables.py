"""Sums inside one table: 类 = Σ款 = Σ项, 合计 = Σ rows, 合计 = 基本 + 项目, 基本 = 人员 + 公用 (or its
economic columns), 人员经费 = 工资福利 + 对个人和家庭的补助, 三公 components, and the two sides of
the 收支总表 (本年收入合计 = 本年支出合计, 本年 + 结转 = 总计)."""

from __future__ import annotations

from decimal import Decimal

from etl.checks import DocView, Result, check, compare, half_unit, iter_rows
from rules.labels import MEASURE_COLUMN_ZH
from rules.units import yuan_text

ROW_IDENTITIES = [
    (
        "total_is_basic_plus_project",
        "total",
        ("basic", "project", "upper_remit", "business", "subsidiary"),
        "合计 = 基本支出 + 项目支出",
    ),
    ("basic_is_personnel_plus_public", "basic", ("personnel", "public"), "基本支出 = 人员经费 + 公用经费"),
    (
        "basic_is_economic_columns",
        "basic",
        ("wages", "family_subsidy", "goods_services", "capital"),
        "基本支出 = 工资福利 + 对个人和家庭的补助 + 商品和服务 + 资本性支出",
    ),
    (
        "personnel_is_wages_plus_family",
        "personnel",
        ("wages", "family_subsidy"),
        "人员经费 = 工资福利支出 + 对个人和家庭的补助",
    ),
    (
        "project_is_operating_plus_specific",
        "project",
        ("project_operating", "project_specific"),
        "项目支出 = 其他运转类 + 特定目标类",
    ),
]
ROW_IDENTITY_NAMES = tuple(name for name, _total, _parts, _rule in ROW_IDENTITIES)
FAMILIES = ("expenditure", "gpb_expenditure", "gov_fund", "soe_capital", "income")


def sum_check(name, item, total: dict, parts: list[dict], rule: str, *, severity="high", figure=None) -> Result:
    implied = sum((p["amount_yuan"] for p in parts), Decimal(0))
    tol = half_unit(total) + sum((half_unit(p) for p in parts), Decimal(0))
    return compare(
        name,
        "table_sum",
        severity,
        item,
        total["amount_yuan"],
        implied,
        tol,
        f"{rule}；容差 {yuan_text(tol) if tol else '0（元表精确到分）'}（各项按印刷精度四舍五入）",
        f"{item}：{rule} 成立（{yuan_text(total['amount_yuan'])}）",
        f"{item}：印为 {yuan_text(total['amount_yuan'])}，而各分项合计为 {yuan_text(implied)}，"
        f"相差 {yuan_text(total['amount_yuan'] - implied)}（{rule}）",
        figure=figure,
        src=total,
    )


@check(*ROW_IDENTITY_NAMES)
def row_identities(v: DocView):
    for family in FAMILIES:
        facts = [f for f in v.facts(table_family=family) if f["item_key"] in ("total", "function", "unit")]
        for _key, row in iter_rows(facts):
            for name, total, parts, rule in ROW_IDENTITIES:
                present = [row[p] for p in parts if p in row]
                # Two printed parts at least, or one when the other of a pair is printed blank.
                if total not in row or not present or (len(present) < 2 and len(parts) > 2):
                    continue
                label = row[total]["row_label"]
                item = f"{row[total]['table_title']}「{label}」"
                yield sum_check(
                    name,
                    item,
                    row[total],
                    present,
                    rule,
                    figure=TOTAL_FIGURES.get(total) if row[total]["item_key"] == "total" else None,
                )


TOTAL_FIGURES = {
    "total": "total_expenditure",
    "basic": "basic_expenditure",
    "project": "project_expenditure",
    "personnel": "personnel_expenditure",
}


@check("class_is_sum_of_children", "total_row_is_sum")
def hierarchy_sums(v: DocView):
    """类 = Σ款 = Σ项 and 合计 = Σ top-level rows, per measure column."""
    for family in FAMILIES:
        facts = v.facts(table_family=family)
        tables = {f["table_id"] for f in facts}
        for table_id in sorted(tables):
            tf = [f for f in facts if f["table_id"] == table_id]
            measures = sorted({f["measure"] for f in tf})
            for measure in measures:
                lines = [
                    f for f in tf if f["measure"] == measure and f["item_key"] == "function" and f["function_code"]
                ]
                codes = {f["function_code"]: f for f in lines}
                for code, fact in sorted(codes.items()):
                    if len(code) not in (3, 5):
                        continue
                    children = [f for c, f in codes.items() if len(c) == len(code) + 2 and c.startswith(code)]
                    if not children:
                        continue
                    level = "类" if len(code) == 3 else "款"
                    yield sum_check(
                        "class_is_sum_of_children",
                        f"{fact['table_title']}「{code} {fact['row_label']}」{MEASURE_COLUMN_ZH.get(measure, measure)}",
                        fact,
                        children,
                        f"{level} = Σ下级科目",
                    )
                total = next((f for f in tf if f["measure"] == measure and f["item_key"] == "total"), None)
                if total is None or not codes:
                    continue
                top = min(len(c) for c in codes)
                tops = [f for c, f in codes.items() if len(c) == top]
                yield sum_check(
                    "total_row_is_sum",
                    f"{total['table_title']}「合计」{MEASURE_COLUMN_ZH.get(measure, measure)}",
                    total,
                    tops,
                    "合计 = Σ" + {3: "类", 5: "款", 7: "项"}.get(top, "下级科目"),
                    figure="total_expenditure" if measure == "total" and family == "expenditure" else None,
                )


CARRIED_IN, CARRIED_OUT = ("carry_in", "surplus_use"), ("carry_out", "surplus_allocation")


def _balance_parts(by_key: dict, a: str, b: str, rule: str) -> tuple[list[dict], str]:
    """本年收入合计 = 本年支出合计 holds only where as much is carried in as out: a 决算 spending
    12.88 万元 of last year's 结转 balances as 本年收入 + 年初结转 = 本年支出 + 年末结转 (a real 上海
    决算: 9746.50 + 112.88 = 9759.38 + 100.00), so the carried lines join the sides they are on."""
    if a != "revenue_total":
        return [by_key[b]], rule
    ins = [by_key[k] for k in CARRIED_IN if k in by_key and by_key[k]["amount_yuan"]]
    outs = [by_key[k] for k in CARRIED_OUT if k in by_key and by_key[k]["amount_yuan"]]
    if not ins and not outs:
        return [by_key[b]], rule
    negated = [dict(f, amount_yuan=-f["amount_yuan"]) for f in ins]
    return [by_key[b], *outs, *negated], "本年收入合计 + 年初结转 = 本年支出合计 + 年末结转"


@check(
    "revenue_equals_expenditure",
    "this_year_plus_carry_is_grand_total",
    "expenditure_total_is_sum_of_classes",
)
def summary_table_balances(v: DocView):
    for family in ("summary", "fiscal_summary"):
        facts = v.facts(table_family=family, measure="total")
        by_key = {}
        for f in facts:
            by_key.setdefault(f["item_key"], f)
        title = facts[0]["table_title"] if facts else family
        pairs = [
            ("revenue_total", "expenditure_total", "本年收入合计 = 本年支出合计"),
            ("revenue_grand_total", "expenditure_grand_total", "收入总计 = 支出总计"),
        ]
        for a, b, rule in pairs:
            if a in by_key and b in by_key:
                parts, rule = _balance_parts(by_key, a, b, rule)
                yield sum_check(
                    "revenue_equals_expenditure", f"{title}：{rule}", by_key[a], parts, rule, figure="total_revenue"
                )
        for total, parts, rule in (
            ("revenue_grand_total", ("revenue_total", "carry_in", "surplus_use"), "本年收入合计 + 上年结转 = 收入总计"),
            (
                "expenditure_grand_total",
                ("expenditure_total", "carry_out", "surplus_allocation"),
                "本年支出合计 + 年末结转 = 支出总计",
            ),
        ):
            present = [by_key[p] for p in parts if p in by_key]
            if total in by_key and present and parts[0] in by_key:
                yield sum_check("this_year_plus_carry_is_grand_total", f"{title}：{rule}", by_key[total], present, rule)
        classes = [f for f in facts if f["item_key"] == "function_class" and f["section"] == "expenditure"]
        if classes and "expenditure_total" in by_key:
            yield sum_check(
                "expenditure_total_is_sum_of_classes",
                f"{title}：本年支出合计 = Σ功能分类",
                by_key["expenditure_total"],
                classes,
                "本年支出合计 = Σ各功能分类(类)",
            )


@check("sangong_total_is_sum", "sangong_vehicle_is_sum")
def sangong_components(v: DocView):
    for stage in ("budget", "actual"):
        rows = {f["item_key"].removeprefix("sangong_"): f for f in v.facts(table_family="sangong", measure=stage)}
        label = "预算数" if stage == "budget" else "决算数"
        if "total" in rows:
            parts = [rows[p] for p in ("abroad", "vehicle_total", "reception") if p in rows]
            if parts:
                yield sum_check(
                    "sangong_total_is_sum",
                    f"“三公”经费{label}合计",
                    rows["total"],
                    parts,
                    "合计 = 因公出国(境) + 公务用车购置及运行 + 公务接待",
                    figure="sangong_budget" if stage == "budget" else "sangong_actual",
                )
        if "vehicle_total" in rows:
            parts = [rows[p] for p in ("vehicle_purchase", "vehicle_operation") if p in rows]
            if parts:
                yield sum_check(
                    "sangong_vehicle_is_sum",
                    f"“三公”经费{label}公务用车",
                    rows["vehicle_total"],
                    parts,
                    "公务用车购置及运行 = 购置 + 运行维护",
                )


@check(
    "econ_total_is_personnel_plus_public",
    "econ_personnel_is_sum_of_lines",
    "econ_public_is_sum_of_lines",
    "econ_class_is_sum_of_items",
)
def economic_totals(v: DocView):
    """基本支出表: 合计 = 人员经费 + 公用经费 and each = Σ its economic lines."""
    for family in ("basic_econ",):
        facts = v.facts(table_family=family)
        totals = {f["measure"]: f for f in facts if f["item_key"] == "total"}
        if {"total", "personnel", "public"} <= totals.keys():
            yield sum_check(
                "econ_total_is_personnel_plus_public",
                "基本支出表：合计 = 人员经费 + 公用经费",
                totals["total"],
                [totals["personnel"], totals["public"]],
                "合计 = 人员经费 + 公用经费",
                figure="basic_expenditure",
            )
        lines = [f for f in facts if f["item_key"] == "econ" and f["econ_code"]]
        classes = {f["econ_code"] for f in lines if len(f["econ_code"]) == 3}
        for measure in ("personnel", "public"):
            if measure not in totals:
                continue
            ms = [f for f in lines if f["measure"] == measure]
            # With class rows printed (决算 明细表), the total is Σ classes; else Σ lines.
            parts = [f for f in ms if len(f["econ_code"]) == 3] if classes else ms
            if parts:
                name = "人员经费" if measure == "personnel" else "公用经费"
                yield sum_check(
                    f"econ_{measure}_is_sum_of_lines",
                    f"基本支出表：{name}合计",
                    totals[measure],
                    parts,
                    f"{name}合计 = Σ经济分类" + ("类" if classes else "科目"),
                    figure=f"{measure}_expenditure",
                )
        for cls in sorted(classes):
            parent = next(f for f in lines if f["econ_code"] == cls)
            children = [
                f
                for f in lines
                if len(f["econ_code"]) == 5 and f["econ_code"].startswith(cls) and f["measure"] == parent["measure"]
            ]
            if children:
                yield sum_check(
                    "econ_class_is_sum_of_items",
                    f"基本支出表「{cls} {parent['row_label']}」",
                    parent,
                    children,
                    "经济分类类 = Σ款",
                )


@check("performance_total_is_sum_of_projects")
def performance_table_total(v: DocView):
    """A 绩效目标表 that prints the department's total: it should be the sum of its projects."""
    for total in v.facts(item_key="performance_table_total"):
        parts = [
            p
            for p in v.rows.get("core_projects", [])
            if p["table_title"] == total["table_title"] and p["amount_yuan"] is not None
        ]
        if parts:
            yield sum_check(
                "performance_total_is_sum_of_projects",
                f"{total['table_title']}「{total['row_label']}」",
                total,
                [dict(p, printed_decimals=2) for p in parts],
                "合计 = Σ项目预算数",
            )


@check("econ_summary_total_is_sum")
def econ_summary_total(v: DocView):
    facts = v.facts(table_family="econ_summary", measure="total")
    total = next((f for f in facts if f["item_key"] == "total"), None)
    items = [f for f in facts if f["item_key"] == "econ"]
    if total and items:
        yield sum_check("econ_summary_total_is_sum", "支出经济分类汇总表「合计」", total, items, "合计 = Σ经济分类科目")


@check("project_table_total_is_sum")
def project_table_total(v: DocView):
    """项目支出表 合计 = Σ its projects (a project row lost from a copy, or one too many, shows here)."""
    total = v.first(table_family="projects", item_key="total", measure="total")
    if total is None or total["amount_yuan"] is None:
        return
    parts = [
        f
        for f in v.facts(table_family="projects", item_key="project", measure="total")
        if f["table_id"] == total["table_id"] and f["amount_yuan"] is not None
    ]
    if parts:
        yield sum_check("project_table_total_is_sum", f"{total['table_title']}「合计」", total, parts, "合计 = Σ项目")
