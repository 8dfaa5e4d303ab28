"""The national templates (财预〔2016〕143号 and the 决算 公开 templates) as data maps: table titles,
column headers, row keys, the identities a template promises and the items the rules require.

Layout variants between counties live here as aliases, never as county branches in code: a new
county's disclosure parses without code changes when its titles and headers use these words. The
matching functions take normalised match keys (etl.normalize.key), so this module imports nothing
from the project.
"""

from __future__ import annotations

import re
from decimal import Decimal

# Checked in order: the first family whose any title keyword occurs in the title wins, so more
# specific titles come first ("财政拨款收入支出决算总表" before "收入支出决算总表").
TITLE_FAMILIES: list[tuple[str, tuple[str, ...]]] = [
    ("sangong", ("三公",)),  # also 财政拨款“三公”经费、会议费和培训费支出表 (会议费/培训费 kept apart)
    ("meeting_training", ("会议费和培训费", "会议费培训费", "会议培训费")),  # before 支出预算表
    ("gov_fund", ("政府性基金",)),
    ("soe_capital", ("国有资本经营",)),
    ("self_evaluation", ("绩效自评",)),
    ("dept_performance", ("整体绩效目标",)),
    ("project_performance", ("绩效目标",)),  # 项目绩效目标公开表, 对下转移支付项目绩效目标公开表 too
    ("basic_econ", ("基本支出表", "基本支出决算明细表", "基本支出决算表", "基本支出预算表", "基本支出情况表")),
    ("econ_summary", ("支出经济分类汇总表", "经济分类汇总")),
    ("fiscal_summary", ("财政拨款收支", "财政拨款收入支出")),
    ("summary", ("收支总体情况表", "收入支出决算总表", "收支预算表", "收支总表", "收支预算总表")),
    ("income", ("收入总体情况表", "收入预算表", "收入决算表")),
    ("gpb_expenditure", ("一般公共预算支出", "一般公共预算财政拨款支出")),
    ("projects", ("项目支出表", "项目支出预算表", "项目支出情况表")),
    ("expenditure", ("支出总体情况表", "支出决算表", "支出预算表")),
    ("operating_cost", ("机构运转经费", "机关运行经费")),
    ("procurement", ("政府采购",)),
    ("assets", ("固定资产", "资产占用")),
]

# Revenue lines of the 收支总表 that are 财政拨款 (the rest, 事业收入, 上级补助收入 …, are the unit's
# other money), and the 财政拨款 lines that are not 一般公共预算: the scopes the cross-table checks
# compare within.
FISCAL_REVENUE_WORDS = ("财政拨款", "一般公共预算", "政府性基金", "国有资本经营")
NON_GPB_FISCAL_WORDS = ("政府性基金", "国有资本经营")

# Header-only recognition for tables printed without a title.
HEADER_FAMILIES: list[tuple[str, tuple[str, ...]]] = [
    ("project_performance", ("一级指标", "三级指标")),
    ("sangong", ("因公出国", "公务接待")),
    ("expenditure", ("基本支出", "项目支出", "科目")),
]

# Names of the tables the national rules require, for the completeness list (issue: 勾稽核验).
FAMILY_NAMES_ZH = {
    "summary": "收支总表",
    "income": "收入表",
    "expenditure": "支出表",
    "fiscal_summary": "财政拨款收支总表",
    "gpb_expenditure": "一般公共预算支出表",
    "basic_econ": "一般公共预算基本支出表",
    "econ_summary": "支出经济分类汇总表",
    "sangong": "“三公”经费支出表",
    "meeting_training": "会议费和培训费支出表",
    "gov_fund": "政府性基金预算支出表",
    "soe_capital": "国有资本经营预算支出表",
    "projects": "项目支出表",
    "dept_performance": "部门整体绩效目标表",
    "project_performance": "项目绩效目标表",
    "self_evaluation": "项目支出绩效自评表",
    "operating_cost": "机构运转经费表",
    "procurement": "政府采购表",
    "assets": "资产情况表",
}


def family_of(title_key: str, header_key: str) -> str | None:
    """The family of a table from its title, else its header words. Both arguments are already
    normalised match keys (etl.normalize.key): this layer imports nothing from the project."""
    for family, words in TITLE_FAMILIES:
        if any(w in title_key for w in words):
            return family
    for family, words in HEADER_FAMILIES:
        if all(w in header_key for w in words):
            return family
    return None


# Measure columns per family, in template order. (name, aliases, parent group or None).
# A group with children present in the header is not a column of its own.
EXPENDITURE_MEASURES: list[tuple[str, tuple[str, ...], str | None]] = [
    ("carry_in", ("年初结转和结余",), None),
    ("income", ("本年收入",), None),
    ("total", ("合计", "本年支出合计", "支出合计", "本年支出"), None),
    ("basic", ("基本支出",), None),
    ("personnel", ("人员经费",), None),
    ("wages", ("工资福利支出",), "personnel"),
    ("family_subsidy", ("对个人和家庭的补助",), "personnel"),
    ("public", ("公用经费",), None),
    ("goods_services", ("商品和服务支出",), "public"),
    ("capital", ("资本性支出",), "public"),
    ("project", ("项目支出",), None),
    ("project_operating", ("其他运转类",), None),
    ("project_specific", ("特定目标类",), None),
    ("upper_remit", ("上缴上级支出",), None),
    ("business", ("经营支出",), None),
    ("subsidiary", ("对附属单位补助支出",), None),
    ("carry_out", ("年末结转和结余",), None),
]

INCOME_MEASURES: list[tuple[str, tuple[str, ...], str | None]] = [
    ("total", ("本年收入合计",), None),
    ("fiscal", ("财政拨款收入",), None),
    ("upper_subsidy", ("上级补助收入",), None),
    ("business_income", ("事业收入",), None),
    ("education_fee", ("教育收费",), None),
    ("operating_income", ("经营收入",), None),
    ("subsidiary_income", ("附属单位上缴收入",), None),
    ("other_income", ("其他收入",), None),
]

FISCAL_MEASURES: list[tuple[str, tuple[str, ...], str | None]] = [
    ("total", ("合计", "决算数", "预算数", "金额"), None),
    ("gpb", ("一般公共预算",), None),
    ("gpb_fiscal", ("其中财政拨款",), None),
    ("gov_fund", ("政府性基金",), None),
    ("soe_capital", ("国有资本经营",), None),
]

BASIC_ECON_MEASURES: list[tuple[str, tuple[str, ...], str | None]] = [
    ("total", ("合计", "总计"), None),
    ("personnel", ("人员经费",), None),
    ("public", ("公用经费",), None),
]

# The 决算 detail table printed as side-by-side (code, name, amount) groups: its header repeats a
# code heading and an amount heading once per group (全国 template: 科目代码 … 金额; 上海: 经济分类科目编码
# … 决算数).
ECON_TRIPLE_CODE_HEADERS = ("科目代码", "科目编码", "经济分类科目编码")
ECON_TRIPLE_AMOUNT_HEADERS = ("金额", "决算数")

ECON_SUMMARY_MEASURES: list[tuple[str, tuple[str, ...], str | None]] = [
    ("total", ("总计", "合计"), None),
    ("gpb", ("一般公共预算",), None),
    ("gpb_fiscal", ("其中财政拨款",), None),
]

# Identities the template promises; used to pick a column alignment when extraction dropped a
# column (e.g. an empty 资本性支出 cell missing from every data row).
EXPENDITURE_IDENTITIES: list[tuple[str, tuple[str, ...]]] = [
    ("total", ("basic", "project", "upper_remit", "business", "subsidiary")),
    ("basic", ("wages", "family_subsidy", "goods_services", "capital")),
    ("basic", ("personnel", "public")),
    ("personnel", ("wages", "family_subsidy")),
    ("project", ("project_operating", "project_specific")),
]

SANGONG_COMPONENTS: list[tuple[str, tuple[str, ...]]] = [
    ("total", ("三公经费合计", "合计")),
    ("abroad", ("因公出国",)),
    ("vehicle_total", ("公务用车购置及运行",)),
    ("vehicle_purchase", ("公务用车购置费",)),
    ("vehicle_operation", ("公务用车运行",)),
    ("reception", ("公务接待",)),
    # Columns of the 三公、会议费和培训费 variant: their own figures, never part of the 三公 total.
    ("meeting", ("会议费",)),
    ("training", ("培训费",)),
]
# Header names of a total that is the 三公 total by its print. A plain 合计 beside 会议费/培训费
# columns may include them: the table's own arithmetic decides (etl/tables/sangong.py).
SANGONG_TOTAL_NAMES = ("三公经费合计", "三公合计", "三公经费小计", "三公小计")
SANGONG_EXTRA_COMPONENTS = ("meeting", "training")

# 三公 tables printing the components as rows (#17): the 决算数对比情况表 (上年决算数 / 本年决算数 /
# 增减额 / 增减幅度) and 预决算对比 tables (预算数 / 决算数). Column roles by header words, the first
# match wins (上年决算数 before 决算数); columns named by years (2022年决算数 / 2023年决算数) are
# ordered by their years instead.
SANGONG_COMPARISON_COLUMNS: list[tuple[str, tuple[str, ...]]] = [
    ("change_rate", ("增减幅度", "增减率", "增减比例", "增长率", "增幅")),
    ("change", ("增减额", "增减数", "增减金额", "增减变动", "比上年增减")),
    ("prior_actual", ("上年决算数", "上年决算", "上年实际")),
    ("prior_budget", ("上年预算数", "上年预算")),
    ("actual", ("本年决算数", "本年决算", "本年实际", "决算数")),
    ("budget", ("本年预算数", "年初预算数", "全年预算数", "预算数")),
]

# Summary-table rows with a fixed meaning (left: revenue side, right: expenditure side).
SUMMARY_ROW_KEYS: list[tuple[str, tuple[str, ...]]] = [
    ("revenue_total", ("本年收入合计", "本年收入", "收入合计")),
    ("revenue_grand_total", ("收入总计",)),
    ("expenditure_total", ("本年支出合计", "本年支出", "支出合计")),
    ("expenditure_grand_total", ("支出总计",)),
    ("carry_in", ("上年结转结余", "年初结转和结余", "上年结转", "年初财政拨款结转和结余")),
    ("carry_out", ("年终结转结余", "年末结转和结余", "年末财政拨款结转和结余")),
    ("surplus_use", ("使用非财政拨款结余",)),
    ("surplus_allocation", ("结余分配",)),
]

EMPTY_TABLE_NOTE = re.compile(r"(无数据|空表|无.{0,20}(收入|支出|经费|安排|项目)|本表无|此表无|没有)")

LEVEL1_INDICATORS = ("产出指标", "效益指标", "效果指标", "满意度指标", "成本指标", "投入管理指标")
OPERATORS = ("≥", "≤", "=", ">", "<", "定性")


def match_measures(header_keys: list[str], template: list[tuple[str, tuple[str, ...], str | None]]) -> list[str]:
    """The template measures whose aliases occur in the header, as leaf columns in order.
    `header_keys` are the header cells as normalised match keys (etl.normalize.key)."""
    keys = [k for k in header_keys if k]
    present: list[str] = []
    used: set[int] = set()
    for name, aliases, _parent in template:
        for i, k in enumerate(keys):
            if i in used:
                continue
            if any(k == a or (len(a) >= 3 and a in k) for a in aliases):
                present.append(name)
                used.add(i)
                break
    parents = {p for n, _a, p in template if p and n in present}
    return [m for m in present if m not in parents]


# Items the national disclosure rules require, per stage (core_completeness.item): tables, statements
# and details. The completeness score counts present (and empty-and-explained) items as 1 and partial
# (or empty without explanation) items as COMPLETENESS_PARTIAL_WEIGHT.
REQUIRED = {
    "budget": [
        ("table:summary", "部门收支总表"),
        ("table:income", "部门收入总表"),
        ("table:expenditure", "部门支出总表"),
        ("table:fiscal_summary", "财政拨款收支总表"),
        ("table:gpb_expenditure", "一般公共预算支出表"),
        ("table:basic_econ", "一般公共预算基本支出表"),
        ("table:sangong", "一般公共预算“三公”经费支出表"),
        ("table:gov_fund", "政府性基金预算支出表"),
        ("table:projects", "项目支出表"),
        ("table:project_performance", "项目绩效目标表"),
        ("statement:sangong_components", "“三公”经费分项说明（四项）"),
        ("statement:operating_cost", "机关运行经费说明"),
        ("statement:procurement", "政府采购说明"),
        ("statement:assets", "国有资产占用说明"),
        ("detail:function_xiang", "功能分类细化到项"),
    ],
    "final": [
        ("table:summary", "收入支出决算总表"),
        ("table:income", "收入决算表"),
        ("table:expenditure", "支出决算表"),
        ("table:fiscal_summary", "财政拨款收入支出决算总表"),
        ("table:gpb_expenditure", "一般公共预算财政拨款支出决算表"),
        ("table:basic_econ", "一般公共预算财政拨款基本支出决算明细表"),
        ("table:sangong", "财政拨款“三公”经费支出决算表"),
        ("table:gov_fund", "政府性基金预算财政拨款收入支出决算表"),
        ("table:soe_capital", "国有资本经营预算财政拨款支出决算表"),
        ("statement:sangong_components", "“三公”经费分项说明（四项）"),
        ("statement:operating_cost", "机关运行经费说明"),
        ("statement:procurement", "政府采购说明"),
        ("statement:assets", "国有资产占用说明"),
        ("statement:performance", "预算绩效管理说明"),
        ("detail:function_xiang", "功能分类细化到项"),
    ],
}
COMPLETENESS_FULL = ("present", "present_empty_explained")
COMPLETENESS_PARTIAL = ("partial", "present_empty_unexplained")
COMPLETENESS_PARTIAL_WEIGHT = "0.5"


def required_families(stage: str) -> tuple[str, ...]:
    """Table families the rules require for a stage ('table:summary' -> 'summary')."""
    return tuple(k.split(":", 1)[1] for k, _zh in REQUIRED[stage] if k.startswith("table:"))


def completeness_score(statuses: list[str]):
    """Share of required items present, partial ones at half weight; None without items."""
    if not statuses:
        return None
    full = sum(1 for s in statuses if s in COMPLETENESS_FULL)
    partial = sum(1 for s in statuses if s in COMPLETENESS_PARTIAL)
    return (Decimal(full) + Decimal(partial) * Decimal(COMPLETENESS_PARTIAL_WEIGHT)) / len(statuses)


def sql_completeness_score(status_col: str = "status") -> str:
    """The same score as a SQL aggregate over core_completeness rows."""
    full = ", ".join(f"'{s}'" for s in COMPLETENESS_FULL)
    partial = ", ".join(f"'{s}'" for s in COMPLETENESS_PARTIAL)
    return (
        f"CAST((count(*) FILTER (WHERE {status_col} IN ({full}))"
        f" + {COMPLETENESS_PARTIAL_WEIGHT} * count(*) FILTER (WHERE {status_col} IN ({partial})))"
        f" / count(*) AS DECIMAL(18,4))"
    )
