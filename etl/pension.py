"""Pension items: which lines and projects are fiscal money for pensions, and of which kind.

Rules are data: function codes first, then project names. Each item stores the rule that matched,
so a researcher can see and dispute the classification. 单位自身养老缴费 (the agency's employer
contributions for its own staff) is recorded but is not a subsidy.
"""

from __future__ import annotations

import re

CATEGORIES = {
    "institution_pension_subsidy": "机关事业单位养老保险基金补助",
    "resident_pension_subsidy": "城乡居民养老保险补助",
    "occupational_annuity": "职业年金",
    "enterprise_retiree_subsidy": "企业退休人员补助",
    "hardship_contribution": "代缴困难群众养老保险",
    "own_contribution": "单位自身养老缴费",
}
SUBSIDY_CATEGORIES = tuple(c for c in CATEGORIES if c != "own_contribution")

# (function code, measure or None for any) -> category. Basic-expenditure lines under 2080505 /
# 2080506 are the agency's own contributions; the same codes under 项目支出 are not decided by
# code (a county may book a fund subsidy there) and fall through to the project names.
FUNCTION_RULES: list[tuple[str, str | None, str]] = [
    ("2080507", None, "institution_pension_subsidy"),
    ("2080508", None, "occupational_annuity"),
    ("2082602", None, "resident_pension_subsidy"),
    ("2082601", None, "enterprise_retiree_subsidy"),
    ("2080505", "basic", "own_contribution"),
    ("2080506", "basic", "own_contribution"),
]

# Names of administration budgets that mention pensions but are running costs, not pensions.
NAME_EXCLUDE = re.compile(r"(办公|工作经费|管理经费|宣传|档案|网络|系统|经办|认证服务|社会化管理|稽核|邮寄)")
NAME_RULES: list[tuple[str, str]] = [
    ("hardship_contribution", r"代缴.{0,12}(困难|贫困)|(困难|贫困).{0,12}代缴"),
    ("occupational_annuity", r"职业年金"),
    ("resident_pension_subsidy", r"城乡居民.{0,8}养老|居民基本养老|基础养老金"),
    ("institution_pension_subsidy", r"机关事业单位.{0,12}养老|机关养老保险"),
    (
        "enterprise_retiree_subsidy",
        r"企业.{0,6}(退休|职工养老)|取暖费|民族团结奖|调待|(退休|军龄|待遇).{0,6}补差|补差.{0,4}(退休|待遇)|老工人",
    ),
]


def classify_function(code: str | None, measure: str) -> tuple[str, str] | None:
    for rule_code, rule_measure, category in FUNCTION_RULES:
        if code == rule_code and (rule_measure is None or rule_measure == measure):
            return category, f"function_code {rule_code}" + (f" ({rule_measure})" if rule_measure else "")
    return None


def classify_name(name: str) -> tuple[str, str] | None:
    if NAME_EXCLUDE.search(name):
        return None
    for category, pattern in NAME_RULES:
        if re.search(pattern, name):
            return category, f"name /{pattern}/"
    return None
