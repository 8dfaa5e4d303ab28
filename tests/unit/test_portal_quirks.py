"""What real portal pages do to a disclosure's text (#17), each on a few inline lines."""

from etl.identify import unit_name
from etl.model import Document, Paragraph


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
