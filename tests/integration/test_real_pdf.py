"""A complete real 部门决算 of another province (上海市普陀区规划和自然资源局 2024, 30 pages; see
tests/fixtures/real_pdf/SOURCE.md): every figure asserted here was read by hand from its pages.

It differs from the national templates the samples follow: a six-column 支出决算表 whose 合计 is
printed across the code and name columns, a 基本支出决算表 in side-by-side (code, name, 决算数)
groups under 经济分类科目编码 headings, and a 决算 that spends last year's 结转, so its all-funds
tables print more than its 财政拨款 tables.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from etl.checks import run_checks
from etl.pipeline import parse_file
from tests.conftest import ROOT

PDF = ROOT / "tests" / "fixtures" / "real_pdf" / "shanghai_putuo_planning_2024_final.pdf"
WAN = D(10000)


@pytest.fixture(scope="module")
def parsed():
    return parse_file(PDF)


def amount(parsed, family, item_key, measure, row_label=None):
    hits = [
        f["amount_yuan"]
        for f in parsed.facts.rows["core_table_facts"]
        if f["table_family"] == family
        and f["item_key"] == item_key
        and f["measure"] == measure
        and (row_label is None or f["row_label"] == row_label)
    ]
    assert len(hits) == 1, (family, item_key, measure, row_label, hits)
    return hits[0]


def test_identity(parsed):
    info = parsed.info
    assert (info["unit_name"], info["fiscal_year"], info["stage"]) == ("上海市普陀区规划和自然资源局", 2024, "final")
    assert (info["province"], info["county"], info["adcode"]) == ("上海市", "普陀区", "310107")


def test_six_column_expenditure_total_row_is_not_shifted(parsed):
    # p10: 合计 | 9759.38 | 5377.64 | 4381.74 under 本年支出合计 | 基本支出 | 项目支出 (合计 spans 编码 + 名称).
    assert amount(parsed, "expenditure", "total", "total") == D("9759.38") * WAN
    assert amount(parsed, "expenditure", "total", "basic") == D("5377.64") * WAN
    assert amount(parsed, "expenditure", "total", "project") == D("4381.74") * WAN
    assert not [
        f
        for f in parsed.facts.rows["core_table_facts"]
        if f["table_family"] == "expenditure" and f["measure"] == "upper_remit"
    ]
    # p11: 212 城乡社区支出 3845.24 | 1585.59 | 2259.65
    assert amount(parsed, "expenditure", "function", "project", "城乡社区支出") == D("2259.65") * WAN


def test_fiscal_tables(parsed):
    # p13: 本年收入合计 9746.50 / 本年支出合计 9746.50; p14-15 一般公共预算财政拨款支出决算表 合计 9746.50.
    assert amount(parsed, "gpb_expenditure", "total", "total") == D("9746.50") * WAN
    assert amount(parsed, "summary", "carry_in", "total") == D("112.88") * WAN
    assert amount(parsed, "summary", "expenditure_total", "total") == D("9759.38") * WAN


def test_side_by_side_basic_econ_table(parsed):
    # p16: 经济分类科目编码 | 科目名称 | 决算数, twice across the page.
    assert amount(parsed, "basic_econ", "total", "personnel") == D("4884.09") * WAN
    assert amount(parsed, "basic_econ", "total", "public") == D("480.66") * WAN
    assert amount(parsed, "basic_econ", "econ", "personnel", "工资福利支出") == D("4816.14") * WAN
    assert amount(parsed, "basic_econ", "econ", "public", "公务接待费") == D("0.39") * WAN


def test_checks_flag_the_documents_own_differences_and_not_its_scopes(parsed):
    failed = {(r["check_name"], r["item"]) for r in run_checks(parsed.facts.rows, parsed.info) if r["status"] == "fail"}
    # Its own arithmetic: 卫生健康 236.63 (收支总表) vs 236.64 (支出决算表); 城乡社区 3845.25 vs 3845.24;
    # 情况说明 人员经费 4896.98 万元 vs the table's 4884.09.
    assert ("class_across_tables", "功能分类 210 卫生健康支出") in failed
    assert ("class_across_tables", "功能分类 212 城乡社区支出") in failed
    assert ("stated_amount_matches_table", "情况说明「人员经费」") in failed
    # Not failures: 支出决算表 (all money, 9759.38) vs 一般公共预算 (9746.50) differ by the 结转 spent,
    # and 本年收入 9746.50 + 年初结转 112.88 = 本年支出 9759.38 + 年末结转 100.00 balances through 总计.
    names = {name for name, _item in failed}
    assert not names & {"total_expenditure_across_tables", "basic_across_tables", "revenue_equals_expenditure"}


def test_sangong_pairs_of_budget_and_actual_per_component(parsed):
    # p17: 合计 | 因公出国（境）费 | 公务用车购置及运行维护费 (小计, 购置费, 运行维护费) | 公务接待费, each
    # with 预算数 | 决算数 under it: 2.85 0.39 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 2.85 0.39.
    assert amount(parsed, "sangong", "sangong_total", "budget") == D("2.85") * WAN
    assert amount(parsed, "sangong", "sangong_total", "actual") == D("0.39") * WAN
    assert amount(parsed, "sangong", "sangong_reception", "actual") == D("0.39") * WAN
    assert amount(parsed, "sangong", "sangong_abroad", "budget") == 0
    failed = {r["check_name"] for r in run_checks(parsed.facts.rows, parsed.info) if r["status"] == "fail"}
    assert not failed & {"sangong_total_is_sum", "sangong_vehicle_is_sum"}


def test_a_budget_figure_after_a_final_heading_is_not_compared_with_the_final(parsed):
    # p20: "（三）一般公共预算财政拨款支出决算具体情况一般公共预算财政拨款支出年初预算为 10210.34 万元，支出决算为
    # 9746.50 万元": the 10,210.34 is the 年初预算, not the 决算 table's 9,746.50.
    failed = [
        r["item"]
        for r in run_checks(parsed.facts.rows, parsed.info)
        if r["status"] == "fail" and r["check_name"] == "stated_amount_matches_table"
    ]
    assert not [item for item in failed if "年初预算" in item]
    assert "情况说明「人员经费」" in failed  # 4,896.98 万元 printed against the table's 4,884.09: the document's own


def test_reception_statement_in_wan_without_yuan(parsed):
    # p20: "其中：国内公务接待支出0.39万(含外宾接待支出0.00万元)": 0.39 万 is the reception actual and
    # agrees with the 三公 table; the 外宾 0.00 is no reception figure.
    reception = [
        (c["subject"], c["amount_yuan"])
        for c in parsed.facts.rows["core_claims"]
        if c["claim_type"] == "amount" and c["topic"] == "sangong_reception" and "外宾" in c["sentence"]
    ]
    assert reception == [("国内公务接待支出", D("0.39") * WAN)]
    failed = {r["item"] for r in run_checks(parsed.facts.rows, parsed.info) if r["status"] == "fail"}
    assert not [item for item in failed if "接待" in item]
