"""Every check on a small inline input, once consistent and once not.

Inputs go through the real recognisers and claim extractor (inline tables and sentences), so a
check is tested on the same facts a document would give it.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from etl.checks import run_checks
from etl.checks.completeness import completeness, score
from etl.facts import Facts, assign_project_ids
from etl.layout import LogicalTable
from etl.model import Document, Paragraph, Row
from etl.narrative import extract_claims
from etl.tables import RECOGNISERS
from etl.tables.common import family_of


def facts_from(tables=(), text=(), info=None):
    info = {"fiscal_year": 2024, "stage": "budget", "unit_name": "某县社会保险中心", **(info or {})}
    facts = Facts()
    for title, rows, unit in tables:
        t = LogicalTable(
            title=title,
            rows=[Row(cells=r, page=1, line=i + 1, index=i) for i, r in enumerate(rows)],
            unit=unit,
            unit_source="unit line",
            page=1,
            line=1,
        )
        t.family = family_of(title, "".join(c for r in rows[:4] for c in r))
        RECOGNISERS[t.family](t, facts, {})
    assign_project_ids(facts.rows)
    if text:
        doc = Document(
            path="x",
            file_name="x.txt",
            fmt="text",
            page_count=1,
            blocks=[Paragraph(text=s, page=1, line=i + 1) for i, s in enumerate(text)],
        )
        claims, _ = extract_claims(doc, info["fiscal_year"], info["stage"])
        facts.rows["core_claims"] = claims
        facts.rows["raw_paragraphs"] = [dict(text=p.text, page=1, line=p.line) for p in doc.paragraphs()]
    return facts.rows, info


def results(name, **kw):
    rows, info = facts_from(**kw)
    return [r for r in run_checks(rows, info) if r["check_name"] == name]


def statuses(name, **kw):
    return sorted(r["status"] for r in results(name, **kw))


EXP_HEAD = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"], ["类", "款", "项"]]


def exp(rows, title="2024年部门支出总体情况表", unit="万元"):
    return [(title, EXP_HEAD + rows, unit)]


def test_total_is_basic_plus_project():
    ok = statuses(
        "total_is_basic_plus_project", tables=exp([["2080109", "社会保险经办机构", "84.12", "50.16", "33.96"]])
    )
    bad = statuses(
        "total_is_basic_plus_project", tables=exp([["2080109", "社会保险经办机构", "84.12", "50.16", "33.00"]])
    )
    assert ok == ["pass"] and bad == ["fail"]


def test_rounding_tolerance_for_wan_yuan_but_not_for_yuan():
    # 10.01 + 20.01 vs 30.01: one fen of 万元 off, within two half-units of rounding.
    wan = statuses(
        "total_is_basic_plus_project", tables=exp([["2080109", "社会保险经办机构", "30.01", "10.01", "20.01"]])
    )
    yuan = statuses(
        "total_is_basic_plus_project",
        tables=exp([["2080109", "社会保险经办机构", "30.01", "10.01", "20.01"]], unit="元"),
    )
    assert wan == ["pass"] and yuan == ["fail"]
    (r,) = results(
        "total_is_basic_plus_project", tables=exp([["2080109", "社会保险经办机构", "30.01", "10.01", "20.01"]])
    )
    assert r["tolerance"] == D("150.00") and "容差" in r["tolerance_rule"]  # half of 0.01 万元 per term


def test_class_is_sum_of_children_and_total_row():
    rows = [
        ["", "", "合计", "100.00", "60.00", "40.00"],
        ["208", "社会保障和就业支出", "100.00", "60.00", "40.00"],
        ["20801", "人力资源和社会保障管理事务", "100.00", "60.00", "40.00"],
        ["2080109", "社会保险经办机构", "90.00", "60.00", "30.00"],
    ]
    got = {(r["item"][-20:], r["status"]) for r in results("class_is_sum_of_children", tables=exp(rows, unit="元"))}
    assert {s for _i, s in got} == {"pass", "fail"}  # 208 = Σ款 holds; 20801 ≠ its 项 (90.00)
    fixed = [r[:] for r in rows]
    fixed[3][2:] = ["100.00", "60.00", "40.00"]
    assert {r["status"] for r in results("class_is_sum_of_children", tables=exp(fixed, unit="元"))} == {"pass"}
    assert statuses("total_row_is_sum", tables=exp(rows, unit="元")) == ["pass", "pass", "pass"]


def test_basic_is_economic_columns():
    head = [
        ["科目编码", "", "", "单位代码", "单位（科目名称）", "合计", "基本支出", "", "", "", "项目支出"],
        ["", "", "", "", "", "", "小计", "人员经费", "", "公用经费", ""],
        ["类", "款", "项", "工资福利支出", "对个人和家庭的补助", "商品和服务支出", "", "资本性支出"],
    ]
    good = ["208", "01", "09", "", "社会保险经办机构", "84.12", "50.16", "49.08", "", "1.08", "", "33.96"]
    bad = good[:7] + ["48.08"] + good[8:]
    t = "2024年部门支出总体情况表"
    assert statuses("basic_is_economic_columns", tables=[(t, head + [good], "万元")]) == ["pass"]
    assert statuses("basic_is_economic_columns", tables=[(t, head + [bad], "万元")]) == ["fail"]


SUMMARY_HEAD = [["收入", "", "支出", ""], ["项目", "金额", "项目", "金额"]]


def test_summary_sides_balance_and_carry():
    def table(rev_total, grand):
        return [
            (
                "2024年部门收支总体情况表",
                SUMMARY_HEAD
                + [
                    ["一、一般公共预算", rev_total, "八、社会保障和就业", rev_total],
                    ["本年收入合计", rev_total, "本年支出合计", "100.00"],
                    ["上年结转结余", "5.00", "年终结转结余", "5.00"],
                    ["收入总计", grand, "支出总计", "105.00"],
                ],
                "万元",
            )
        ]

    assert statuses("revenue_equals_expenditure", tables=table("100.00", "105.00")) == ["pass", "pass"]
    assert statuses("revenue_equals_expenditure", tables=table("99.00", "105.00")) == ["fail", "pass"]
    assert statuses("this_year_plus_carry_is_grand_total", tables=table("100.00", "106.00")) == ["fail", "pass"]
    assert statuses("expenditure_total_is_sum_of_classes", tables=table("100.00", "105.00")) == ["pass"]


def test_summary_balances_through_unequal_carry():
    """A 决算 spending part of last year's 结转: 本年收入 9746.50 + 年初结转 112.88 = 本年支出 9759.38 +
    年末结转 100.00 (a real 上海 决算), so 本年收入 ≠ 本年支出 is no failure; 0.10 万元 off is."""

    def table(spent):
        return [
            (
                "收入支出决算总表",
                SUMMARY_HEAD
                + [
                    ["一、一般公共预算财政拨款收入", "9746.50", "八、社会保障和就业支出", spent],
                    ["本年收入合计", "9746.50", "本年支出合计", spent],
                    ["年初结转和结余", "112.88", "年末结转和结余", "100.00"],
                    ["总计", "9859.38", "总计", "9859.38"],
                ],
                "万元",
            )
        ]

    assert statuses("revenue_equals_expenditure", tables=table("9759.38")) == ["pass", "pass"]
    assert statuses("revenue_equals_expenditure", tables=table("9759.48")) == ["fail", "pass"]


SANGONG = [
    ["“三公”经费合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
    ["", "", "小计", "公务用车购置费", "公务用车运行费", ""],
]


def test_sangong_components():
    good = [
        ("2024年一般公共预算“三公”经费支出情况表", SANGONG + [["3.00", "0.00", "2.00", "0.00", "2.00", "1.00"]], "万元")
    ]
    bad = [
        ("2024年一般公共预算“三公”经费支出情况表", SANGONG + [["3.50", "0.00", "2.00", "0.50", "2.00", "1.00"]], "万元")
    ]
    assert statuses("sangong_total_is_sum", tables=good) == ["pass"]
    assert statuses("sangong_total_is_sum", tables=bad) == ["fail"]
    assert statuses("sangong_vehicle_is_sum", tables=bad) == ["fail"]


def test_economic_totals():
    head = [
        ["部门预算支出经济分类科目", "", "政府预算支出经济分类科目编码", "", "本年一般公共预算基本支出"],
        ["科目编码", "科目名称", "科目编码", "科目名称", "合计", "人员经费", "公用经费"],
    ]
    lines = [
        ["30101", "基本工资", "50501", "工资福利支出", "34.44", "34.44", ""],
        ["30201", "办公费", "50502", "商品和服务支出", "1.08", "", "1.08"],
    ]
    t = "2024年一般公共预算基本支出表"
    good = [(t, head + [["合计", "", "", "", "35.52", "34.44", "1.08"]] + lines, "万元")]
    bad = [(t, head + [["合计", "", "", "", "35.52", "35.44", "1.08"]] + lines, "万元")]
    assert statuses("econ_total_is_personnel_plus_public", tables=good) == ["pass"]
    assert statuses("econ_total_is_personnel_plus_public", tables=bad) == ["fail"]
    assert statuses("econ_personnel_is_sum_of_lines", tables=bad) == ["fail"]
    assert statuses("econ_personnel_is_sum_of_lines", tables=good) == ["pass"]


def test_econ_summary_total():
    head = [
        ["部门预算经济分类", "", "", "政府预算经济分类", "", "", "总计"],
        ["类", "款", "科目名称", "类", "款", "科目名称"],
    ]
    rows = [
        ["", "", "合计", "", "", "", "10.00"],
        ["301", "01", "基本工资", "505", "01", "工资福利支出", "6.00"],
        ["302", "01", "办公费", "505", "02", "商品和服务支出", "4.00"],
    ]
    t = "2024年支出经济分类汇总表"
    assert statuses("econ_summary_total_is_sum", tables=[(t, head + rows, "万元")]) == ["pass"]
    rows[0][-1] = "11.00"
    assert statuses("econ_summary_total_is_sum", tables=[(t, head + rows, "万元")]) == ["fail"]


def test_cross_table_totals_and_classes():
    summary = [
        (
            "2024年部门收支总体情况表",
            SUMMARY_HEAD
            + [
                ["一、一般公共预算", "84.12", "八、社会保障和就业", "84.12"],
                ["本年收入合计", "84.12", "本年支出合计", "84.12"],
            ],
            "万元",
        )
    ]
    detail = exp(
        [["", "", "合计", "84.12", "50.16", "33.96"], ["2080109", "社会保险经办机构", "84.12", "50.16", "33.96"]]
    )
    assert statuses("total_expenditure_across_tables", tables=summary + detail) == ["pass"]
    assert statuses("class_across_tables", tables=summary + detail) == ["pass"]
    other = exp(
        [["", "", "合计", "84.02", "50.06", "33.96"], ["2080109", "社会保险经办机构", "84.02", "50.06", "33.96"]]
    )
    assert statuses("total_expenditure_across_tables", tables=summary + other) == ["fail"]
    assert statuses("class_across_tables", tables=summary + other) == ["fail"]


def test_project_table_and_econ_total_against_expenditure():
    projects = [
        (
            "2024年项目支出表",
            [
                ["类型", "项目名称", "项目单位", "合计"],
                ["", "", "", "33.96"],
                ["其他运转类", "工作经费", "某县社会保险中心", "33.96"],
            ],
            "万元",
        )
    ]
    detail = exp([["", "", "合计", "84.12", "50.16", "33.96"]])
    assert statuses("project_table_total_is_project_expenditure", tables=projects + detail) == ["pass"]
    detail_bad = exp([["", "", "合计", "84.12", "50.16", "33.90"]])
    assert statuses("project_table_total_is_project_expenditure", tables=projects + detail_bad) == ["fail"]
    assert statuses("project_table_total_is_sum", tables=projects) == ["pass"]
    short = [(projects[0][0], projects[0][1] + [["其他运转类", "会议费", "某县社会保险中心", "0.50"]], "万元")]
    (bad,) = results("project_table_total_is_sum", tables=short)
    assert (bad["status"], bad["printed_value"], bad["implied_value"]) == ("fail", D("339600"), D("344600"))


def test_projects_within_project_expenditure():
    def projects(*amounts):
        rows = [["类型", "项目名称", "项目单位", "合计"]]
        rows += [["其他运转类", f"项目{i}", "某县社会保险中心", a] for i, a in enumerate(amounts)]
        return [("2024年项目支出表", rows, "万元")]

    detail = exp([["", "", "合计", "84.12", "50.16", "33.96"]])
    # A table may list fewer projects than 项目支出 (only some), never more.
    assert statuses("projects_within_project_expenditure", tables=projects("13.50", "20.46") + detail) == ["pass"]
    assert statuses("projects_within_project_expenditure", tables=projects("13.50") + detail) == ["pass"]
    (bad,) = results("projects_within_project_expenditure", tables=projects("13.50", "20.46", "1.00") + detail)
    assert (bad["status"], bad["printed_value"], bad["implied_value"]) == ("fail", D("349600"), D("339600"))
    # Within the rounding of three 万元 terms and the total (4 x 50 元).
    assert statuses("projects_within_project_expenditure", tables=projects("13.50", "20.47") + detail) == ["pass"]
    final = results("projects_within_project_expenditure", tables=projects("99") + detail, info={"stage": "final"})
    assert final == []


def test_cost_target_against_project_amount():
    head = [["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值"]]
    head[0] += ["度量单位", "权重", "指标方向性"]

    def table(level3, value, unit):
        rows = [["", "年检经费", "111,451.00", "年检", "成本指标", "经济成本指标", level3, "≤", value, unit, "50", ""]]
        return [("部门预算项目绩效目标表（2024年度）", head + rows, "元")]

    assert statuses("cost_target_matches_project_amount", tables=table("年检成本", "11.15", "万元")) == ["pass"]
    assert statuses("cost_target_matches_project_amount", tables=table("年检成本", "111451", "元")) == ["pass"]
    # The unit printed in the indicator's name when the unit column is empty.
    assert statuses("cost_target_matches_project_amount", tables=table("年检成本万元", "11.15", "")) == ["pass"]
    (bad,) = results("cost_target_matches_project_amount", tables=table("年检成本", "11.15", "元"))
    assert bad["status"] == "fail" and (bad["printed_value"], bad["implied_value"]) == (D("11.15"), D("111451.00"))
    assert "按「万元」计则与项目金额相当" in bad["message"]
    (big,) = results("cost_target_matches_project_amount", tables=table("年检成本", "111451", "万元"))
    assert big["status"] == "fail" and "是项目金额的 10,000 倍" in big["message"]
    # Per-unit costs are not totals: not compared.
    assert results("cost_target_matches_project_amount", tables=table("单位成本", "11", "元/人")) == []
    assert results("cost_target_matches_project_amount", tables=table("每户成本", "11", "元")) == []


SENT = "某县社会保险中心 2024 年支出合计 5854.76 万元，其中：基本支出 70.8 万元，占 {b}%；项目支出 5783.96 万元，占 98.79%。"


def test_share_at_printed_precision():
    # 70.8 / 5854.76 = 1.2093%: 1.21% is right at two decimals; 1.2% at one; 1.25% is wrong.
    assert statuses("share_matches_figures", text=[SENT.format(b="1.21")]) == ["pass", "pass"]
    assert statuses("share_matches_figures", text=[SENT.format(b="1.2")]) == ["pass", "pass"]
    assert statuses("share_matches_figures", text=[SENT.format(b="1.25")]) == ["fail", "pass"]


def test_named_share_base_that_the_document_does_not_give_is_not_applicable():
    text = ["共涉及资金 1097.29 万元，占一般公共预算项目支出总额的 100.00%。"]
    assert statuses("share_matches_figures", text=text) == ["not_applicable"]


YOY = "2024 年收入总计 18786.35 万元，支出总计 18786.35 万元，与 2023 年预算相比，收支总计各增加 15074.42 万元，增长 {r}%。"


def test_yoy_rate_on_prior_year_and_wrong_base_named():
    assert statuses("yoy_rate_on_prior_year", text=[YOY.format(r="406.11")]) == ["pass"]
    (bad,) = results("yoy_rate_on_prior_year", text=[YOY.format(r="80.24")])
    assert bad["status"] == "fail" and "基数用错" in bad["message"] and bad["implied_value"] == D("4.061073")


def test_one_rate_per_change():
    one = "2024 年度收、支总计 13,060,802.17 元。与 2023 年度相比，收、支总计各增加 1,578,669.08 元，增长 {a}%。"
    two = "2024 年度财政拨款收、支总计 13,060,802.17 元，与 2023 年度相比，财政拨款收、支总计各增加 1,578,669.08 元，增长 {b}%。"
    assert statuses("one_rate_per_change", text=[one.format(a="13.75"), two.format(b="13.75")]) == ["pass"]
    assert statuses("one_rate_per_change", text=[one.format(a="13.75"), two.format(b="13.84")]) == ["fail"]


def test_execution_rate():
    s = "社会保险经办机构(项)年初预算为 1,632,021.24 元，支出决算为 1,801,947.97 元，完成年初预算的 {r}%。"
    info = {"stage": "final"}
    assert statuses("execution_rate_matches", text=[s.format(r="110.41")], info=info) == ["pass"]
    assert statuses("execution_rate_matches", text=[s.format(r="101.41")], info=info) == ["fail"]


def test_stated_amount_against_table():
    detail = exp([["", "", "合计", "5,854.76", "70.80", "5,783.96"]])
    ok = "2024 年支出合计 5854.76 万元，其中：基本支出 70.8 万元，占 1.21%；项目支出 5783.96 万元，占 98.79%。"
    assert statuses("stated_amount_matches_table", tables=detail, text=[ok]) == ["pass", "pass", "pass"]
    bad = ok.replace("70.8 万元", "70.5 万元")
    assert "fail" in statuses("stated_amount_matches_table", tables=detail, text=[bad])


def test_stated_parts_add_up_and_change_parts():
    text = [
        "2023年支出预算33891.90万元，其中基本支出1603.76万元，包括人员类项目经费1555.02万元和运转类公用项目经费48.74万元；"
        "运转类其他及特定目标类项目支出{p}万元。",
        "2023年预算收支安排33891.90万元，较2022年预算减少1940.12万元，其中：基本支出增加610.95万元；项目支出减少2551.06万元。",
    ]
    got = {r["item"]: r["status"] for r in results("stated_parts_add_up", text=[text[0].format(p="3228.14")])}
    assert got == {
        "情况说明：支出合计 = 基本支出 + 项目支出": "fail",
        "情况说明：基本支出 = 人员经费 + 公用经费": "pass",
    }
    fixed = {r["item"]: r["status"] for r in results("stated_parts_add_up", text=[text[0].format(p="32288.14")])}
    assert set(fixed.values()) == {"pass"}
    # −1940.12 vs 610.95 − 2551.06 = −1940.11: one fen of 万元, within the rounding of three printed terms.
    assert statuses("stated_change_parts_add_up", text=[text[0].format(p="32288.14"), text[1]]) == ["pass"]
    worse = text[1].replace("610.95", "600.95")
    assert statuses("stated_change_parts_add_up", text=[text[0].format(p="32288.14"), worse]) == ["fail"]


def test_flat_claims():
    s = "2023年，我局财政拨款“三公”经费预算安排0万元。公务接待费0万元，与{y}年相比持平，无增减变化。"
    info = {"fiscal_year": 2023}
    assert statuses("flat_claim_compares_prior_year", text=[s.format(y="2022")], info=info) == []
    assert statuses("flat_claim_compares_prior_year", text=[s.format(y="2021")], info=info) == ["fail"]


def test_identity_checks():
    assert statuses("stated_year_consistent", text=["第二部分 某县社会保险中心 2022 年部门预算情况 说明"]) == ["fail"]
    assert statuses("stated_year_consistent", text=["第二部分 某县社会保险中心 2024 年部门预算情况说明"]) == []
    assert statuses("unit_name_consistent", text=["编制单位：某县就业服务中心"]) == ["fail"]
    assert statuses("unit_name_consistent", text=["部门名称：某县社会保险中心"]) == []


SELF_EVAL = [
    ["项目名称", "", "企业退休人员取暖费", ""],
    ["项目资金 (万元)", "", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["", "", "", "年度资金总额:", "417.94", "417.94", "391.51", "10", "{rate}", "9.37"],
    ["", "产出指标 (40 分)", "数量指标 (10 分)", "指标 1: 取暖费发放人数", "894 人", "858 人", "10", "9.6", "", ""],
    ["", "", "质量指标 (10 分)", "指标 1: 合规性", "合规", "合规", "{w}", "10", "", ""],
    ["", "", "", "", "", "", "", "", "", ""],
    ["总 分", "", "", "", "", "", "100", "{total}", ""],
]


def self_eval(rate="0.9368", w="10", total="28.97"):
    rows = [[c.format(rate=rate, w=w, total=total) for c in r] for r in SELF_EVAL]
    return [("盐池县本级部门项目支出绩效自评表", rows, None)]


def test_self_evaluation_checks():
    assert statuses("self_eval_execution_rate", tables=self_eval()) == ["pass"]
    assert statuses("self_eval_execution_rate", tables=self_eval(rate="0.9468")) == ["fail"]
    assert statuses("self_eval_total_score", tables=self_eval()) == ["pass"]
    assert statuses("self_eval_total_score", tables=self_eval(total="29.97")) == ["fail"]
    assert statuses("self_eval_weights", tables=self_eval()) == ["fail"]  # 10 + 10 + 10 = 30, not 100
    assert statuses("self_eval_group_points", tables=self_eval()) == ["pass", "pass"]
    assert statuses("self_eval_group_points", tables=self_eval(w="8")) == ["fail", "pass"]


def test_performance_table_total():
    head = [
        [
            "单位名称",
            "项目名称",
            "预算数",
            "年度目标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "权重",
            "指标方向性",
        ]
    ]
    rows = [
        ["307-县人社局部门", "", "{t}", "", "", "", "", "", "", "", "", ""],
        ["", "年检经费", "111,451.00", "年检", "产出指标", "数量指标", "年检", "≥", "100", "%", "50", ""],
        ["", "档案整理费", "100,000.00", "整理", "产出指标", "数量指标", "整理", "≥", "100", "%", "50", ""],
    ]

    def table(total):
        return [("部门预算项目绩效目标表（2024年度）", head + [[c.format(t=total) for c in r] for r in rows], "元")]

    assert statuses("performance_total_is_sum_of_projects", tables=table("211,451.00")) == ["pass"]
    assert statuses("performance_total_is_sum_of_projects", tables=table("211,450.00")) == ["fail"]


def test_line_final_and_sangong_within_budget():
    s = (
        "1. 社会保障和就业支出(类)人力资源和社会保障管理事务(款)社会保险经办机构(项)年初预算为 1,632,021.24 元，"
        "支出决算为 {v} 元，完成年初预算的 110.41%。"
    )
    detail = [
        (
            "支出决算表",
            [
                ["项目", "", "", "本年支出合计", "基本支出", "项目支出"],
                ["功能分类科目编码", "科目名称"],
                ["类", "款", "项", "1", "2", "3"],
                ["2080109", "", "", "社会保险经办机构", "1,801,947.97", "1,678,227.97", "123,720.00"],
            ],
            "元",
        )
    ]
    info = {"stage": "final"}
    assert statuses("stated_line_final_matches_table", tables=detail, text=[s.format(v="1,801,947.97")], info=info) == [
        "pass"
    ]
    assert statuses("stated_line_final_matches_table", tables=detail, text=[s.format(v="1,801,974.97")], info=info) == [
        "fail"
    ]
    sg = [["2024 年度预算数", "", "", "", "", "", "2024 年度决算数"]] + [r + r for r in SANGONG]
    within = [
        (
            "财政拨款“三公”经费支出决算表",
            sg + [["3.00", "0", "3.00", "0", "3.00", "0", "2.00", "0", "2.00", "0", "2.00", "0"]],
            "万元",
        )
    ]
    over = [
        (
            "财政拨款“三公”经费支出决算表",
            sg + [["3.00", "0", "3.00", "0", "3.00", "0", "4.00", "0", "4.00", "0", "4.00", "0"]],
            "万元",
        )
    ]
    assert statuses("sangong_actual_within_budget", tables=within) == ["pass"]
    assert statuses("sangong_actual_within_budget", tables=over) == ["fail"]


def test_completeness_score():
    rows, info = facts_from(
        tables=exp([["2080109", "社会保险经办机构", "84.12", "50.16", "33.96"]]),
        text=["2024年政府采购预算安排0万元。", "2023年期末共有车辆0辆。"],
    )
    rows["core_table_status"] = [
        dict(table_family="expenditure", status="present", table_title="支出表", note=None),
        dict(table_family="sangong", status="disclosed_empty", table_title="三公", note="故本表无数据"),
        dict(table_family="gov_fund", status="empty_unexplained", table_title="基金", note=None),
    ]
    items = {i["item"]: i["status"] for i in completeness(rows, info)}
    assert items["table:expenditure"] == "present" and items["table:sangong"] == "present_empty_explained"
    assert items["table:gov_fund"] == "present_empty_unexplained" and items["table:summary"] == "missing"
    assert items["statement:procurement"] == "present" and items["statement:assets"] == "present"
    assert items["detail:function_xiang"] == "present" and items["statement:operating_cost"] == "missing"
    s = score(completeness(rows, info))
    assert s == (D(5) + D("0.5")) / 15


@pytest.mark.parametrize("stage", ["budget", "final"])
def test_every_check_reports_status_values(stage):
    rows, info = facts_from(
        tables=exp([["2080109", "社会保险经办机构", "84.12", "50.16", "33.96"]]), info={"stage": stage}
    )
    for r in run_checks(rows, info):
        assert r["status"] in ("pass", "fail", "not_applicable") and r["severity"] in ("high", "medium", "low")
        assert r["message"]


def test_says_budget():
    from etl.checks.narrative import says_budget

    assert not says_budget("2024年度一般公共预算财政拨款支出")  # an actual, in a 决算
    assert says_budget("2024年度一般公共预算财政拨款支出年初预算为")
    assert says_budget("“三公”经费预算为") and not says_budget("支出决算为") and not says_budget(None)
