"""What real portal pages do to a disclosure's text (#17), each on a few inline lines."""

from decimal import Decimal as D

import pytest

from etl.identify import fiscal_year, unit_name
from etl.model import Document, Paragraph
from etl.narrative import extract_claims, sentences
from etl.normalize import compact
from etl.pipeline import parse_file


def doc(*lines: str) -> Document:
    d = Document(path="x", file_name="x.txt", fmt="text", page_count=1)
    d.blocks = [Paragraph(text=t, page=1, line=i + 1) for i, t in enumerate(lines)]
    return d


def test_unit_name_has_no_year_remnant_when_the_year_shares_its_line():
    assert unit_name(doc("2024年昆明市人力资源和社会保障局部门预算"), []) == "昆明市人力资源和社会保障局"


def test_scan_and_text_copy_of_one_disclosure_give_one_unit_name():
    text_copy = doc("2024 年度", "获嘉县社会保险中心部门预算")
    scan = doc("2024年度获嘉县社会保险中心部门预算")
    chinese_year = doc("二〇二四年度获嘉县社会保险中心部门预算")
    assert unit_name(text_copy, []) == "获嘉县社会保险中心"
    assert unit_name(scan, []) == "获嘉县社会保险中心"
    assert unit_name(chinese_year, []) == "获嘉县社会保险中心"


def test_labelled_unit_name_loses_its_year_too():
    d = doc("部门名称：2024年度获嘉县社会保险中心", "部门名称：2024年度获嘉县社会保险中心")
    assert unit_name(d, []) == "获嘉县社会保险中心"


def test_a_name_starting_with_a_numeral_is_kept():
    assert unit_name(doc("三门峡市社会保险中心2024年部门预算"), []) == "三门峡市社会保险中心"


TW_PAGE = (
    "2022年本部門財政撥款安排“三公”經(jīng)費502.4 萬元，比上年減少(jiǎn)10.2萬元。"
    "其中：因公出國(guó)(境)費(fèi)0萬元，公務(wù)用車購置及運行費(fèi)400萬元，公務(wù)接待費(fèi)102.4萬元。\n"
)


def test_pinyin_annotations_inside_words_are_removed():
    assert compact("“三公”經(jīng)費502.4 萬元") == "“三公”經費502.4萬元"
    assert compact("經（jīng）費") == "經費"  # full-width brackets
    assert compact("減少 (jiǎn)10.2萬元") == "減少10.2萬元"


def test_brackets_that_are_not_pinyin_stay():
    assert compact("因公出國(境)費") == "因公出國(境)費"
    assert compact("政府和社会资本合作(PPP)项目(a)") == "政府和社会资本合作(PPP)项目(a)"
    assert compact("(jīng)") == "(jīng)"  # not after a CJK character


def test_a_statement_opening_with_its_year_gives_the_fiscal_year():
    assert fiscal_year(["2022年本部门财政拨款安排“三公”经费502.4万元"]) == 2022
    assert fiscal_year(["2023年4月10日"]) is None  # a date, not a fiscal year


def test_traditional_page_with_pinyin_loads_with_year_and_sangong(tmp_path):
    path = tmp_path / "tw.txt"
    path.write_text(TW_PAGE, encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.info["fiscal_year"] == 2022
    amounts = {
        c["topic"]: (c["amount_yuan"], c["amount_printed"])
        for c in parsed.facts.rows["core_claims"]
        if c["claim_type"] == "amount"
    }
    assert amounts["sangong_total"] == (D("5024000.00"), "502.4")
    assert amounts["sangong_abroad"] == (D("0.00"), "0")
    assert amounts["sangong_vehicle_total"] == (D("4000000.00"), "400")
    assert amounts["sangong_reception"] == (D("1024000.00"), "102.4")


@pytest.mark.parametrize("page_number", ["5", "- 5 -", "第5页", "5/20", "\f5"])
def test_page_number_before_the_first_amount_of_a_page_is_not_glued_to_it(page_number):
    d = doc("2024年支出预算总计", page_number, "1154610.5 元，比上年增加12.34万元。")
    claims, _priors = extract_claims(d, 2024, "budget")
    amounts = [(c["amount_yuan"], c["amount_printed"]) for c in claims if c["claim_type"] == "amount"]
    assert amounts == [(D("1154610.50"), "1154610.5")]  # not 51,154,610.5


def test_page_number_line_from_the_text_reader(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(
        "2024年度某县社会保险中心部门预算\n2024年支出预算总计\n5\n1154610.5 元，比上年增加12.34万元。\n"
        "2024年收入预算总计1154610.5元，比上年增加12.34万元。\n",
        encoding="utf-8",
    )
    claims = parse_file(path).facts.rows["core_claims"]
    printed = sorted({c["amount_printed"] for c in claims if c["claim_type"] == "amount"})
    assert printed == ["1154610.5"]


def test_a_year_on_its_own_line_is_not_a_page_number():
    (sentence,) = sentences(doc("与", "2024", "年预算相比增加12.34万元。"))
    assert sentence.text == "与2024年预算相比增加12.34万元。"
