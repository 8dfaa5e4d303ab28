"""获嘉县社会保险中心 2024 部门预算 (000_…txt / .pdf), figures read from the document, 万元 -> 元."""

from decimal import Decimal as D

import pytest

from tests.conftest import one

DOC = "SELECT doc_id FROM core_documents WHERE county = '获嘉县'"


def test_identity(con):
    row = one(
        con,
        "SELECT unit_name, county, prefecture, province, adcode, fiscal_year, stage, source_count "
        "FROM core_documents WHERE county = '获嘉县'",
    )
    assert row == ("获嘉县社会保险中心", "获嘉县", "新乡市", "河南省", "410724", 2024, "budget", 2)


def test_summary_row(con):
    r = one(
        con,
        "SELECT total_revenue, total_expenditure, basic_expenditure, project_expenditure, "
        "personnel_expenditure, public_expenditure, pension_subsidy, pension_subsidy_share, "
        "sangong_budget, sangong_actual, prior_year_total, yoy_change, yoy_pct "
        "FROM county_year_summary WHERE county = '获嘉县'",
    )
    # 收支总体情况表: 本年收入合计 5,854.76; 支出表 合计: 基本 70.80, 项目 5,783.96;
    # 基本支出表 合计: 人员经费 69.72, 公用经费 1.08; 项目 特定目标类 财政对机关事业单位养老保险的补助县配套 5,750.00;
    # 三公 table printed empty ("故本表无数据"), text: 三公经费预算为 0 万元; prior: 5854.76 − 606.99.
    assert r[:7] == (
        D("58547600.00"),
        D("58547600.00"),
        D("708000.00"),
        D("57839600.00"),
        D("697200.00"),
        D("10800.00"),
        D("57500000.00"),
    )
    assert r[7] == D("0.982107")  # 5750 / 5854.76
    assert r[8] == D("0.00") and r[9] is None
    # The only stated changes are of 收入/支出总计 and 一般公共预算收支预算 (+606.99 万, 11.57%), not of
    # 本年支出合计: no like-for-like prior year (see test_yoy_claim_and_prior_year_fact for the facts).
    assert r[10] is None and r[11] is None and r[12] is None


@pytest.mark.parametrize(
    ("code", "total", "basic", "project"),
    [
        ("2080109", "841200.00", "501600.00", "339600.00"),
        ("2080502", "37600.00", "37600.00", None),
        ("2080505", "76300.00", "76300.00", None),
        ("2080507", "57500000.00", None, "57500000.00"),
        ("2089999", "5400.00", "5400.00", None),
        ("2101102", "30000.00", "30000.00", None),
        ("2210201", "57100.00", "57100.00", None),
    ],
)
def test_function_lines_both_tables(con, code, total, basic, project):
    for family in ("expenditure", "gpb_expenditure"):
        got = dict(
            con.execute(
                f"SELECT measure, amount_yuan FROM core_table_facts WHERE doc_id = ({DOC}) AND table_family = ? "
                "AND function_code = ? AND measure IN ('total', 'basic', 'project')",
                [family, code],
            ).fetchall()
        )
        want = {k: D(v) for k, v in (("total", total), ("basic", basic), ("project", project)) if v}
        assert got == want, family


def test_gpb_table_realigned_on_missing_capital_column(con):
    # The 一般公共预算支出情况表 rows lack the empty 资本性支出 cell; 项目支出 must still be 5,783.96.
    rows = con.execute(
        f"SELECT measure, amount_yuan FROM core_table_facts WHERE doc_id = ({DOC}) "
        "AND table_family = 'gpb_expenditure' AND item_key = 'total'"
    ).fetchall()
    assert dict(rows) == {
        "total": D("58547600.00"),
        "basic": D("708000.00"),
        "wages": D("659600.00"),
        "family_subsidy": D("37600.00"),
        "goods_services": D("10800.00"),
        "project": D("57839600.00"),
        "project_operating": D("339600.00"),
        "project_specific": D("57500000.00"),
    }


def test_class_totals_in_summary_table(con):
    rows = con.execute(
        f"SELECT function_code, amount_yuan FROM core_table_facts WHERE doc_id = ({DOC}) "
        "AND table_family = 'summary' AND item_key = 'function_class'"
    ).fetchall()
    assert dict(rows) == {"208": D("58460500.00"), "210": D("30000.00"), "221": D("57100.00")}


def test_economic_lines(con):
    rows = dict(
        con.execute(
            f"SELECT econ_code, amount_yuan FROM core_table_facts WHERE doc_id = ({DOC}) "
            "AND table_family = 'basic_econ' AND item_key = 'econ' AND measure = 'total'"
        ).fetchall()
    )
    assert rows == {
        "30102": D("60400.00"),
        "30107": D("86000.00"),
        "30101": D("344400.00"),
        "30201": D("10800.00"),
        "30302": D("37600.00"),
        "30108": D("76300.00"),
        "30112": D("5400.00"),
        "30110": D("30000.00"),
        "30113": D("57100.00"),
    }


def test_projects(con):
    rows = con.execute(
        f"SELECT project_name, project_type, amount_yuan FROM core_projects WHERE doc_id = ({DOC}) "
        "AND source_family = 'projects' ORDER BY line"
    ).fetchall()
    assert rows == [
        ("工作经费", "其他运转类", D("135000.00")),
        ("工作经费(其他)", "其他运转类", D("182700.00")),
        ("单位工作运转经费", "其他运转类", D("21900.00")),
        ("财政对机关事业单位养老保险的补助县配套", "特定目标类", D("57500000.00")),
    ]


def test_sangong_disclosed_empty_and_zero_in_text(con):
    status = one(con, f"SELECT status, note FROM core_table_status WHERE doc_id = ({DOC}) AND table_family = 'sangong'")
    assert status[0] == "disclosed_empty" and "故本表无数据" in status[1]
    comps = dict(
        con.execute(
            f"SELECT topic, amount_yuan FROM core_claims WHERE doc_id = ({DOC}) "
            "AND claim_type = 'amount' AND topic LIKE 'sangong_%'"
        ).fetchall()
    )
    assert comps["sangong_abroad"] == 0 and comps["sangong_reception"] == 0
    assert comps["sangong_vehicle_purchase"] == 0 and comps["sangong_vehicle_operation"] == 0


def test_yoy_claim_and_prior_year_fact(con):
    c = one(
        con,
        f"SELECT direction, amount_yuan, pct_printed, compare_year, compare_stage, reason FROM core_claims "
        f"WHERE doc_id = ({DOC}) AND claim_type = 'change' AND topic = 'total_grand'",
    )
    assert c == ("增加", D("6069900.00"), D("0.115700"), 2023, "budget", "对机关事业单位基本养老保险基金的补助增加")
    p = one(
        con,
        f"SELECT fiscal_year, stage, amount_yuan, figure FROM core_prior_year_facts "
        f"WHERE doc_id = ({DOC}) AND topic = 'total_grand'",
    )
    assert p == (2023, "budget", D("52477700.00"), "grand_total")


def test_shares_stated(con):
    shares = dict(
        con.execute(
            f"SELECT subject, pct_printed FROM core_claims WHERE doc_id = ({DOC}) AND claim_type = 'share'"
        ).fetchall()
    )
    assert shares["基本支出"] == D("0.0121") and shares["项目支出"] == D("0.9879")
    assert shares["人员经费支出"] == D("0.9847") and shares["公用经费支出"] == D("0.0153")


def test_performance_targets(con):
    rows = con.execute(
        f"SELECT level1, level3, operator, target_value, target_unit FROM core_performance_indicators "
        f"WHERE doc_id = ({DOC}) AND project_name = '财政对机关事业单位养老保险的补助县配套'"
    ).fetchall()
    assert ("产出指标", "领取退休工资的人员数量", "≥", D("4313.0000"), "人") in rows
    assert ("成本指标", "财政对机关事业单位养老保险的补助", "≤", D("5750.0000"), "万元") in rows
    dept = con.execute(
        f"SELECT level3, target_text FROM core_performance_indicators WHERE doc_id = ({DOC}) AND scope = 'department'"
    ).fetchall()
    assert ("预算执行率", "≥90%") in dept and ("群众满意度", "≥90%") in dept
