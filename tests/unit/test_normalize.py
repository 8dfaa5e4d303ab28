from decimal import Decimal as D

import pytest

from etl.normalize import clean_text, compact, find_unit, parse_number, parse_percent, to_yuan, unit_in_header


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("5,854.76", D("5854.76")),
        ("12, 984, 142. 90", D("12984142.90")),
        ("１２３．４５", D("123.45")),
        ("(1,200.00)", D("-1200.00")),
        ("1,200.00-", D("-1200.00")),
        ("-3.5", D("-3.5")),
        ("0.00", D("0.00")),
        ("12,615,180.1", D("12615180.1")),
    ],
)
def test_parse_number_values(printed, value):
    assert parse_number(printed).value == value


@pytest.mark.parametrize("blank", ["", "  ", "-", "—", "——", None])
def test_blank_cells_are_not_disclosed_not_zero(blank):
    p = parse_number(blank)
    assert p.blank and p.value is None


@pytest.mark.parametrize("text", ["11.57%", "合计", "≥90%", "2024年"])
def test_non_numbers(text):
    assert parse_number(text) is None


def test_decimals_recorded():
    assert parse_number("12,615,180.1").decimals == 1 and parse_number("5,750.00").decimals == 2


def test_units_and_yuan():
    assert find_unit("单位：万元") == "万元" and find_unit("金额单位：元") == "元"
    assert find_unit("单位：盐池县社会保险事业管理中心") is None
    assert unit_in_header("项目资金\n（万\n元）") == "万元"
    assert to_yuan(D("5854.76"), "万元") == D("58547600.00")
    assert to_yuan(D("1.215"), "万元") == D("12150.00")
    assert to_yuan(None, "万元") is None


def test_radicals_and_compact():
    assert clean_text("⽀出") == "支出"  # Kangxi radical, NFKC
    assert clean_text("部⻔预算") == "部门预算"  # CJK radicals supplement, mapped
    assert compact("机关事业单位基本养老保险缴 费支出") == "机关事业单位基本养老保险缴费支出"
    assert compact("公务用车购\n置费") == "公务用车购置费"
    assert compact("**0**万元") == "0万元"
    assert compact("Word Excel") == "Word Excel"


def test_percent():
    assert parse_percent("11.57%") == D("0.1157") and parse_percent("abc") is None
