"""Template variants and unit levels are data: titles, columns and names seen on real portals."""

import pytest

from etl.identify import locate, unit_level
from etl.pipeline import parse_file
from etl.tables.common import family_of


@pytest.mark.parametrize(
    ("title", "family"),
    [
        ("2024年财政拨款“三公”经费、会议费和培训费支出预算表", "sangong"),
        ("2024年会议费和培训费支出预算表", "meeting_training"),
        ("2024年部门支出预算表", "expenditure"),
        ("项目绩效目标公开表", "project_performance"),
        ("2024年对下转移支付项目绩效目标公开表", "project_performance"),
        ("2024年单位收支总表", "summary"),
    ],
)
def test_variant_titles(title, family):
    assert family_of(title, "") == family


@pytest.mark.parametrize(
    ("unit", "level", "county", "prefecture", "province"),
    [
        ("河南省社会保险服务中心", "province", None, None, "河南省"),
        ("新乡市社会保险经办中心", "prefecture", None, "新乡市", "河南省"),
        ("北京市社会保险基金管理中心", "province", None, None, "北京市"),
        ("兴国县城乡居民社会养老保险管理服务中心", "county", "兴国县", "赣州市", "江西省"),
        ("洛阳市孟津区社会保险中心", "county", "孟津区", "洛阳市", "河南省"),
        ("辉县市社会保险经办中心", "county", "辉县市", "新乡市", "河南省"),
    ],
)
def test_unit_level_from_the_name(unit, level, county, prefecture, province):
    info = locate(unit, unit)
    info.update(unit_level(unit, info))
    assert (info["unit_level"], info["county"], info["prefecture"], info["province"]) == (
        level,
        county,
        prefecture,
        province,
    )


DOC = (
    "兴国县社会保险服务中心2024年单位预算\n"
    "2024年财政拨款“三公”经费、会议费和培训费支出预算表\n"
    "单位：万元\n"
    "“三公”经费合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\t会议费\t培训费\n"
    "\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t\n"
    "3.50\t0.00\t2.00\t0.00\t2.00\t1.50\t4.20\t6.00\n"
)


def test_meeting_and_training_columns_are_their_own_figures(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(DOC, encoding="utf-8")
    parsed = parse_file(p)
    assert parsed.info["unit_level"] == "county" and parsed.info["stage"] == "budget"
    got = {f["item_key"]: f["amount_yuan"] for f in parsed.facts.rows["core_table_facts"]}
    assert got == {
        "sangong_total": 35000,
        "sangong_abroad": 0,
        "sangong_vehicle_total": 20000,
        "sangong_vehicle_purchase": 0,
        "sangong_vehicle_operation": 20000,
        "sangong_reception": 15000,
        "sangong_meeting": 42000,
        "sangong_training": 60000,
    }
