"""井研 2024 项目绩效目标表 (001_…, 元) and 香河 2023 单位预算情况说明 (004_…, 万元, no budget tables)."""

from decimal import Decimal as D

from tests.conftest import one

JY = "SELECT doc_id FROM core_documents WHERE county = '井研县'"
XH = "SELECT doc_id FROM core_documents WHERE county = '香河县'"


def test_jingyan_identity_from_table_unit_cut_by_page_break(con):
    assert one(
        con,
        "SELECT unit_name, prefecture, province, adcode, fiscal_year, stage FROM core_documents "
        "WHERE county = '井研县'",
    ) == ("井研县社会保险事务中心", "乐山市", "四川省", "511124", 2024, "budget")


def test_jingyan_only_discloses_projects(con):
    r = one(
        con,
        "SELECT total_expenditure, basic_expenditure, sangong_budget, pension_subsidy, pension_subsidy_share "
        "FROM county_year_summary WHERE county = '井研县'",
    )
    # 2,358,014 + 3,568,830 + 12,635,200 + 300,000 + 2,600,000 + 1,800,000
    assert r == (None, None, None, D("23262044.00"), None)
    total = one(
        con, f"SELECT amount_yuan FROM core_table_facts WHERE doc_id = ({JY}) AND item_key = 'performance_table_total'"
    )
    assert total == (D("24871801.31"),)
    s = one(con, f"SELECT sum(amount_yuan), count(*) FROM core_projects WHERE doc_id = ({JY})")
    assert s == (D("24871801.31"), 15)


def test_jingyan_rows_missing_leading_cell_realigned(con):
    rows = con.execute(
        f"SELECT level1, level2, operator, target_value, target_unit, weight, direction "
        f"FROM core_performance_indicators WHERE doc_id = ({JY}) "
        "AND project_name = '非定额公用经费-事业' ORDER BY row_index"
    ).fetchall()
    assert rows[0] == ("效益指标", "经济效益指标", "≤", D("100.0000"), "%", D("20.0000"), "反向指标")
    assert ("产出指标", "数量指标", "≤", D("5.0000"), "次", D("20.0000"), "反向指标") in rows
    assert len(rows) == 4


def test_jingyan_project_name_joined_across_page_break(con):
    names = [r[0] for r in con.execute(f"SELECT project_name FROM core_projects WHERE doc_id = ({JY})").fetchall()]
    assert "为困难群众代缴城乡居民基本养老保险个人缴费资金(据实结算)" in names
    n = one(
        con,
        f"SELECT count(*) FROM core_performance_indicators WHERE doc_id = ({JY}) "
        "AND project_name = '为困难群众代缴城乡居民基本养老保险个人缴费资金(据实结算)'",
    )
    assert n == (2,)


def test_xianghe_figures_from_text_only(con):
    r = one(
        con,
        "SELECT unit_name, fiscal_year, stage, total_revenue, total_expenditure, basic_expenditure, "
        "project_expenditure, personnel_expenditure, public_expenditure, sangong_budget, "
        "pension_subsidy, prior_year_total, yoy_pct FROM county_year_summary WHERE county = '香河县'",
    )
    # 收入 33891.90; 基本 1603.76 (人员 1555.02, 公用 48.74); 项目 printed 3228.14 (sic: 33891.90 − 1603.76
    # = 32288.14); 三公 0; no project amounts, so no pension figure; 较2022年预算减少1940.12 -> 35832.02.
    assert r == (
        "香河县社会保险事业管理所",
        2023,
        "budget",
        D("338919000.00"),
        D("338919000.00"),
        D("16037600.00"),
        D("32281400.00"),
        D("15550200.00"),
        D("487400.00"),
        D("0.00"),
        None,
        D("358320200.00"),
        D("-0.054145"),
    )


def test_xianghe_vertical_performance_tables(con):
    rows = con.execute(
        f"SELECT project_name, level1, level2, level3, target_text FROM core_performance_indicators "
        f"WHERE doc_id = ({XH}) AND project_name = '财政对机关事业单位养老保险基金的补助'"
    ).fetchall()
    assert len(rows) == 7
    assert ("财政对机关事业单位养老保险基金的补助", "产出指标", "数量指标", "发放退休金人数", "≥5390人") in rows
    assert (
        "财政对机关事业单位养老保险基金的补助",
        "满意度指标",
        "服务对象满意度指标",
        "退休人员满意度",
        "≥95%",
    ) in rows
    projects = one(con, f"SELECT count(DISTINCT project_name) FROM core_performance_indicators WHERE doc_id = ({XH})")
    assert projects == (19,)  # 20 tables; 11 and 12 share one title


def test_xianghe_pension_items_named_without_amounts(con):
    rows = dict(con.execute(f"SELECT item_name, category FROM core_pension_items WHERE doc_id = ({XH})").fetchall())
    assert rows.get("财政负担职业年金") == "occupational_annuity"
    assert rows.get("城乡居民养老保险县级配套资金") == "resident_pension_subsidy"
    assert "城乡居民养老保险办公经费" not in rows and "企业退休社会化管理经费" not in rows
