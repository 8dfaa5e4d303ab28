"""The 2020 census reference table and the per-resident measures built on it.

Figures read by hand from census_county_2020_v1.xlsx (sheet 七普（年鉴）): 人口数_合计, and the 5-year
age bands by sex summed from 60 and from 65 up.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from etl.reference.census import census_rows, division_changes
from rules.measures import MEASURES, PER_RESIDENT, format_measure, measure_note
from tests.conftest import one

# adcode -> (population, 60+, 65+), read from the workbook's rows.
BY_HAND = {
    "410724": (398137, 74258, 53569),  # 获嘉县
    "640323": (159209, 24587, 16851),  # 盐池县
    "511124": (280641, 88197, 71891),  # 井研县
    "131024": (449038, 84210, 59042),  # 香河县
    # 孟津区 410308 = 孟津县 410322 (416,845; 91,399; 66,316) + 吉利区 410306 (69,142; 14,879; 10,699)
    "410308": (416845 + 69142, 91399 + 14879, 66316 + 10699),
}
XLSX = Path("/work/shared/reference/census-2020/census_county_2020_v1.xlsx")


def test_census_rows_match_the_yearbook_read_by_hand():
    rows = {r["adcode"]: r for r in census_rows()}
    for code, (pop, p60, p65) in BY_HAND.items():
        r = rows[code]
        assert (r["population"], r["population_60plus"], r["population_65plus"]) == (pop, p60, p65), code
        assert r["population_source"].startswith("2020年第七次全国人口普查")
    assert rows["410308"]["census_codes"] == "410306+410322"
    assert "410322" not in rows and "410306" not in rows  # merged into 孟津区, not counted twice


def test_division_mapping_is_data_and_names_current_divisions():
    from etl.reference.tables import division_rows

    current = {r["adcode"]: r["name"] for r in division_rows()}
    changes = {c["census_code"]: c for c in division_changes()}
    assert changes["410322"]["adcode"] == changes["410306"]["adcode"] == "410308"
    for c in changes.values():
        if c["adcode"]:
            assert current[c["adcode"]] == c["name"], c
    assert not any(r["adcode"] == "330104" for r in census_rows())  # 江干区 split: no denominator


@pytest.mark.skipif(not XLSX.exists(), reason="the census workbook is not on this machine")
def test_65plus_share_agrees_with_the_sheets_own_share():
    import openpyxl

    wb = openpyxl.load_workbook(XLSX, read_only=True)
    rows = wb.worksheets[0].iter_rows(values_only=True)
    header = list(next(rows))
    share = header.index("人口比重_65岁及以上")
    sheet = {str(r[0]): r[share] for r in rows if str(r[0]) in BY_HAND}
    wb.close()
    for code, value in sheet.items():
        pop, _p60, p65 = BY_HAND[code]
        assert abs(100 * p65 / pop - value) < 0.006, code


def test_warehouse_reference_row_equals_the_hand_read_row(con):
    for code, expected in BY_HAND.items():
        got = one(
            con,
            "SELECT population, population_60plus, population_65plus FROM ref_census_2020 WHERE adcode = ?",
            code,
        )
        assert got == expected, code


def test_per_resident_measures_equal_figure_over_population(con):
    checked = 0
    for code, (pop, p60, p65) in BY_HAND.items():
        for doc_id, total, pension in con.execute(
            "SELECT doc_id, total_expenditure_yuan, pension_subsidy_yuan FROM mart_county_year WHERE adcode = ?",
            [code],
        ).fetchall():
            values = dict(
                con.execute(
                    "SELECT measure_key, measure_value FROM mart_measure_values WHERE doc_id = ?", [doc_id]
                ).fetchall()
            )
            for key, figure, people in (
                ("total_per_resident", total, pop),
                ("pension_per_60plus", pension, p60),
                ("pension_per_65plus", pension, p65),
            ):
                if figure is None:
                    assert key not in values  # not disclosed: no value, never 0
                    continue
                assert values[key] == pytest.approx(float(Decimal(figure) / people), rel=1e-12), (doc_id, key)
                checked += 1
    assert checked >= 5


def test_huojia_per_resident_value():
    # 获嘉县 2024 预算: 本年支出合计 5,854.76 万元 = 58,547,600 元 (收支总表), population 398,137
    assert format_measure(58547600 / 398137, MEASURES["total_per_resident"].kind) == "147.05 元/人"


def test_per_resident_measures_say_where_the_denominator_comes_from():
    assert PER_RESIDENT
    for m in PER_RESIDENT:
        assert measure_note(m.key) == m.denominator_note
        assert "2020" in m.denominator_note and "人口普查" in m.denominator_note


def test_county_without_census_row_has_no_per_resident_value(con):
    n = one(
        con,
        "SELECT count(*) FROM mart_measure_values v JOIN mart_county_year s USING (doc_id) "
        "WHERE v.measure_key = 'total_per_resident' AND s.adcode NOT IN (SELECT adcode FROM ref_census_2020)",
    )[0]
    assert n == 0


def test_beneficiary_counts_stated_by_a_document(con):
    """盐池县 2024 决算, 项目支出绩效自评表 (text lines 519-529, 549-559): 民族团结奖 年初预算 665.64 万元,
    指标 预计领取退休职工民族团结奖人数 5547 人 (1,200 元/人, the award's standard); 取暖费 417.94 万元,
    取暖费发放人数 894 人."""
    from warehouse.queries import run

    rows = {r["indicator"]: r for r in run(con, "beneficiary_counts", doc_id="640323-2024-final-c0a9ec").to_dicts()}
    award = rows["指标1:预计领取退休职工民族团结奖人数"]
    assert (award["people"], award["amount_yuan"], award["line"]) == (5547, Decimal("6656400.00"), 529)
    assert award["yuan_per_person"] == pytest.approx(1200.0)
    heating = rows["指标1:取暖费发放人数"]
    assert (heating["people"], heating["amount_yuan"], heating["line"]) == (894, Decimal("4179400.00"), 559)
    assert heating["yuan_per_person"] == pytest.approx(4179400 / 894)
    assert all(r["source_file"] == "002_b6243eb5bb848ade.txt" for r in rows.values())
