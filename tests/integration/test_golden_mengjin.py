"""洛阳市孟津区社会保险中心 2024 部门预算 (003_…), 万元 -> 元."""

from decimal import Decimal as D

from tests.conftest import one

DOC = "SELECT doc_id FROM core_documents WHERE county = '孟津区'"


def test_identity(con):
    assert one(
        con,
        "SELECT unit_name, prefecture, province, adcode, fiscal_year, stage FROM core_documents "
        "WHERE county = '孟津区'",
    ) == ("洛阳市孟津区社会保险中心", "洛阳市", "河南省", "410308", 2024, "budget")


def test_summary_row(con):
    r = one(
        con,
        "SELECT total_revenue, total_expenditure, basic_expenditure, project_expenditure, "
        "personnel_expenditure, public_expenditure, pension_subsidy, sangong_budget, "
        "prior_year_total, yoy_pct FROM county_year_summary WHERE county = '孟津区'",
    )
    # 18786.35; 基本 739.34; 项目 18047.01; 人员 699.70; 公用 39.64;
    # pension projects: 60 + 1926.34 + 4.73 + 2482.50 + 1372.05 + 12000 = 17845.62 万
    # No prior year: the stated change (+15074.42 万, "80.24%") is of 收支总计 and 一般公共预算收支预算,
    # not of 本年支出合计; it stays in core_prior_year_facts with its figure.
    assert r == (
        D("187863500.00"),
        D("187863500.00"),
        D("7393400.00"),
        D("180470100.00"),
        D("6997000.00"),
        D("396400.00"),
        D("178456200.00"),
        D("0.00"),
        None,
        None,
    )


def test_expenditure_lines(con):
    rows = {
        (c, m): a
        for c, m, a in con.execute(
            f"SELECT function_code, measure, amount_yuan FROM core_table_facts WHERE doc_id = ({DOC}) "
            "AND table_family = 'expenditure' AND item_key = 'function'"
        ).fetchall()
    }
    assert rows[("2080109", "total")] == D("65804800.00")
    assert rows[("2080109", "project_specific")] == D("59166200.00")
    assert rows[("2080501", "family_subsidy")] == D("400700.00")
    assert rows[("2080505", "basic")] == D("603700.00")
    assert rows[("2080505", "project")] == D("120000000.00")
    assert rows[("2080505", "project_operating")] == D("120000000.00")


def test_economic_summary_split_codes(con):
    rows = con.execute(
        f"SELECT econ_code, gov_econ_code, amount_yuan FROM core_table_facts WHERE doc_id = ({DOC}) "
        "AND table_family = 'econ_summary' AND measure = 'total' AND item_key = 'econ'"
    ).fetchall()
    assert ("31302", "51002", D("19263400.00")) in rows  # 313 02 对社会保险基金补助 / 510 02
    assert ("30109", "50102", D("38545500.00")) in rows  # 301 09 职业年金缴费 3854.55
    assert ("30108", "50102", D("120000000.00")) in rows


def test_basic_econ_rows_without_code(con):
    rows = con.execute(
        f"SELECT econ_code_printed, econ_code, row_label, amount_yuan FROM core_table_facts "
        f"WHERE doc_id = ({DOC}) AND table_family = 'basic_econ' AND measure = 'total' "
        "AND row_label = '奖金' ORDER BY row_index"
    ).fetchall()
    assert rows == [("30103", "30103", "奖金", D("1395000.00")), (None, "30103", "奖金", D("95400.00"))]


def test_projects_and_types(con):
    rows = con.execute(
        f"SELECT project_name, project_type, amount_yuan FROM core_projects WHERE doc_id = ({DOC}) "
        "AND source_family = 'projects'"
    ).fetchall()
    assert len(rows) == 12
    assert ("2024年机关事业单位养老区级财政补助资金", "其他运转类", D("120000000.00")) in rows
    assert ("计生家庭“出口补助”", "特定目标类", D("710000.00")) in rows


def test_rate_on_wrong_base_is_kept_as_printed(con):
    c = one(
        con,
        f"SELECT amount_yuan, pct_printed, current_amount_yuan FROM core_claims WHERE doc_id = ({DOC}) "
        "AND claim_type = 'change' AND topic = 'total_grand'",
    )
    assert c == (D("150744200.00"), D("0.802400"), D("187863500.00"))


def test_empty_tables_without_explanation(con):
    rows = dict(
        con.execute(
            f"SELECT table_family, status FROM core_table_status WHERE doc_id = ({DOC}) "
            "AND table_family IN ('sangong', 'gov_fund', 'soe_capital')"
        ).fetchall()
    )
    assert rows == {"sangong": "empty_unexplained", "gov_fund": "empty_unexplained", "soe_capital": "empty_unexplained"}


def test_pension_classification(con):
    rows = dict(
        con.execute(
            f"SELECT item_name, category FROM core_pension_items WHERE doc_id = ({DOC}) AND item_kind = 'project'"
        ).fetchall()
    )
    assert rows == {
        "区级代缴困难群众城乡居民养老保险": "hardship_contribution",
        "2024年城乡居民养老区级补助": "resident_pension_subsidy",
        "2023年建国前老工人健康休养费": "enterprise_retiree_subsidy",
        "2024年职业年金记实补记": "occupational_annuity",
        "2024年职业年金实账利息差": "occupational_annuity",
        "2024年机关事业单位养老区级财政补助资金": "institution_pension_subsidy",
    }
    own = one(
        con,
        f"SELECT amount_yuan, rule FROM core_pension_items WHERE doc_id = ({DOC}) AND category = 'own_contribution'",
    )
    assert own == (D("603700.00"), "function_code 2080505 (basic)")
