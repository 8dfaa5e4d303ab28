"""盐池县社会保险事业管理中心 2024 部门决算 (002_…), amounts in 元 as printed; 自评表 in 万元."""

from decimal import Decimal as D

import pytest

from tests.conftest import one

DOC = "SELECT doc_id FROM core_documents WHERE county = '盐池县'"


def test_identity(con):
    assert one(
        con,
        "SELECT unit_name, prefecture, province, adcode, fiscal_year, stage FROM core_documents "
        "WHERE county = '盐池县'",
    ) == ("盐池县社会保险事业管理中心", "吴忠市", "宁夏回族自治区", "640323", 2024, "final")


def test_summary_row(con):
    r = one(
        con,
        "SELECT total_revenue, total_expenditure, basic_expenditure, project_expenditure, "
        "personnel_expenditure, public_expenditure, pension_subsidy, sangong_budget, sangong_actual, "
        "prior_year_total, yoy_change, yoy_pct FROM county_year_summary WHERE county = '盐池县'",
    )
    assert r == (
        D("12984142.90"),
        D("12984142.90"),
        D("2424268.90"),
        D("10559874.00"),
        D("2307815.64"),
        D("116453.26"),
        # executed 民族团结奖 651.9 万 + 取暖费 391.51 万 (自评表)
        D("10434100.00"),
        D("30000.00"),
        D("7635.90"),
        # No prior year for 本年支出合计: the document states changes of 收、支总计, 财政拨款收、支总计
        # and 一般公共预算财政拨款支出 only (+1,578,669.08 each), none of 本年支出合计.
        None,
        None,
        None,
    )


def test_summary_table_two_sides(con):
    rows = dict(
        con.execute(
            f"SELECT item_key || ':' || row_label, amount_yuan FROM core_table_facts WHERE doc_id = ({DOC}) "
            "AND table_family = 'summary' AND item_key NOT IN ('function_class', 'revenue_item')"
        ).fetchall()
    )
    assert rows["revenue_total:本年收入合计"] == D("12984142.90")
    assert rows["carry_in:年初结转和结余"] == D("76659.27")
    assert rows["revenue_grand_total:总计"] == D("13060802.17")
    assert rows["carry_out:年末结转和结余"] == D("76659.27")
    classes = dict(
        con.execute(
            f"SELECT function_code, amount_yuan FROM core_table_facts WHERE doc_id = ({DOC}) "
            "AND table_family = 'summary' AND item_key = 'function_class' AND amount_yuan <> 0"
        ).fetchall()
    )
    assert classes == {"208": D("12615180.13"), "210": D("126132.77"), "221": D("242830.00")}


@pytest.mark.parametrize(
    ("code", "total", "basic", "project"),
    [
        ("208", "12615180.13", "2055306.13", "10559874.00"),
        ("20801", "1801947.97", "1678227.97", "123720.00"),
        ("2080109", "1801947.97", "1678227.97", "123720.00"),
        ("2080502", "103470.00", "101370.00", "2100.00"),
        ("2080506", "91902.72", "91902.72", "0.00"),
        ("2089999", "10434054.00", "0.00", "10434054.00"),
        ("2101103", "45673.20", "45673.20", "0.00"),
        ("2210203", "70966.00", "70966.00", "0.00"),
    ],
)
def test_expenditure_lines_in_03_and_05(con, code, total, basic, project):
    for family in ("expenditure", "gpb_expenditure"):  # 05 表 prints "12, 984, 142. 90" with spaces
        got = dict(
            con.execute(
                f"SELECT measure, amount_yuan FROM core_table_facts WHERE doc_id = ({DOC}) "
                "AND table_family = ? AND function_code = ? AND measure IN ('total','basic','project')",
                [family, code],
            ).fetchall()
        )
        assert got == {"total": D(total), "basic": D(basic), "project": D(project)}, family


def test_income_table_truncated_codes_and_cells(con):
    rows = con.execute(
        f"SELECT function_code_printed, function_code, code_resolution, amount_printed FROM core_table_facts "
        f"WHERE doc_id = ({DOC}) AND table_family = 'income' AND measure = 'total' "
        "AND row_label IN ('社会保险经办机构', '住房公积金', '社会保障和就业支出')"
    ).fetchall()
    assert ("20801", "2080109", "recovered", "1,801,947.97") in rows
    assert ("22102", "2210201", "recovered", "171,864.00") in rows
    assert ("208", "208", "exact", "12,615,180.1") in rows
    conflict = one(
        con,
        f"SELECT value_a_yuan, value_b_yuan FROM core_conflicts WHERE doc_id = ({DOC}) "
        "AND conflict_kind = 'truncated_cell'",
    )
    assert conflict == (D("12615180.10"), D("12615180.13"))


def test_basic_detail_triples_with_truncated_codes(con):
    rows = dict(
        con.execute(
            f"SELECT econ_code, amount_yuan FROM core_table_facts WHERE doc_id = ({DOC}) "
            "AND table_family = 'basic_econ' AND item_key = 'econ' AND amount_yuan <> 0"
        ).fetchall()
    )
    assert rows == {
        "301": D("2206445.64"),
        "30101": D("529659.00"),
        "30102": D("847563.47"),
        "30107": D("87815.00"),
        "30108": D("183805.44"),
        "30109": D("91902.72"),
        "30110": D("80459.57"),
        "30111": D("45673.20"),
        "30112": D("7926.96"),
        "30113": D("171864.00"),
        "30114": D("10000.00"),
        "30199": D("149776.28"),
        "303": D("101370.00"),
        "30302": D("66554.00"),
        "30307": D("34816.00"),
        "302": D("116453.26"),
        "30201": D("80991.07"),
        "30204": D("500.00"),
        "30207": D("601.19"),
        "30211": D("14840.00"),
        "30228": D("11885.10"),
        "30231": D("7635.90"),
    }
    totals = dict(
        con.execute(
            f"SELECT measure, amount_yuan FROM core_table_facts WHERE doc_id = ({DOC}) "
            "AND table_family = 'basic_econ' AND item_key = 'total'"
        ).fetchall()
    )
    assert totals == {"personnel": D("2307815.64"), "public": D("116453.26")}


def test_sangong_budget_and_actual_by_component(con):
    rows = {
        (r, m): a
        for r, m, a in con.execute(
            f"SELECT replace(item_key, 'sangong_', ''), measure, amount_yuan FROM core_table_facts "
            f"WHERE doc_id = ({DOC}) AND table_family = 'sangong'"
        ).fetchall()
    }
    assert rows[("total", "budget")] == D("30000.00") and rows[("total", "actual")] == D("7635.90")
    assert rows[("vehicle_operation", "budget")] == D("30000.00")
    assert rows[("vehicle_operation", "actual")] == D("7635.90")
    assert rows[("abroad", "actual")] == 0 and rows[("reception", "actual")] == 0
    assert rows[("vehicle_purchase", "actual")] == 0


def test_empty_fund_tables_disclosed_empty(con):
    rows = dict(
        con.execute(
            f"SELECT table_family, status FROM core_table_status WHERE doc_id = ({DOC}) "
            "AND table_family IN ('gov_fund', 'soe_capital')"
        ).fetchall()
    )
    assert rows == {"gov_fund": "disclosed_empty", "soe_capital": "disclosed_empty"}


def test_self_evaluations(con):
    rows = con.execute(
        f"SELECT project_name, budget_initial_yuan, executed_yuan, execution_rate_printed, total_score "
        f"FROM core_self_evaluations WHERE doc_id = ({DOC}) ORDER BY page, line"
    ).fetchall()
    assert rows == [
        ("2024年企业退休人员民族团结奖", D("6656400.00"), D("6519000.00"), D("0.979000"), D("99.6000")),
        ("企业退休人员取暖费", D("4179400.00"), D("3915100.00"), D("0.936800"), D("98.9700")),
        ("电子政务网网络运行维护费", D("12150.00"), D("9000.00"), D("0.740700"), D("93.4000")),
        ("社保卡制作经费", D("80000.00"), D("70000.00"), D("0.875000"), D("98.7500")),
        ("社会保险稽核、宣传工作经历及档案标准管理", D("45000.00"), D("44700.00"), D("0.993300"), D("99.8100")),
    ]
    ind = con.execute(
        f"SELECT level3, target_text, actual_text, weight, score FROM core_performance_indicators "
        f"WHERE doc_id = ({DOC}) AND project_name = '企业退休人员取暖费'"
    ).fetchall()
    assert ("指标1:取暖费发放人数", "894人", "858人", D("10.0000"), D("9.6000")) in ind


def test_two_rates_for_one_change_are_both_kept(con):
    rows = con.execute(
        f"SELECT subject, amount_yuan, pct_printed FROM core_claims WHERE doc_id = ({DOC}) "
        "AND claim_type = 'change' AND amount_yuan = 1578669.08 ORDER BY seq"
    ).fetchall()
    assert [r[2] for r in rows] == [D("0.137500"), D("0.138400"), D("0.138400")]
    assert rows[0][0] == "收、支总计"


def test_execution_claims(con):
    rows = con.execute(
        f"SELECT amount_yuan, pct_printed FROM core_claims WHERE doc_id = ({DOC}) "
        "AND claim_type = 'execution_rate' ORDER BY seq"
    ).fetchall()
    # 总体: 12,984,142.90 vs 年初 8,951,379.26 -> 145.05%; 公务员医疗补助 45,673.20 -> 69.68%; 三公 25.45%
    assert (D("12984142.90"), D("1.450500")) in rows
    assert (D("45673.20"), D("0.696800")) in rows
    assert (D("7635.90"), D("0.254500")) in rows


def test_vehicle_count(con):
    rows = con.execute(
        f"SELECT subject, count_value FROM core_claims WHERE doc_id = ({DOC}) "
        "AND claim_type = 'count' AND count_unit = '辆'"
    ).fetchall()
    assert ("共有车辆", 1) in rows
